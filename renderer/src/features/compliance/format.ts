// How the compliance workspace writes levels, ages and amounts.
import type { TFunction } from 'i18next';
import type { KytAlert } from '../../../../shared/api/types';
import type { KytLevel } from '../../../../shared/domain/dispute';
import type { BadgeTone } from '../../components';

/** SEVERE first: the order a reviewer works alerts in. */
export const LEVEL_RANK: Record<KytLevel, number> = { SEVERE: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

export const LEVEL_TONE: Record<KytLevel, BadgeTone> = {
  SEVERE: 'danger',
  HIGH: 'warning',
  MEDIUM: 'info',
  LOW: 'neutral',
};

export const STATUS_TONE: Record<KytAlert['status'], BadgeTone> = {
  open: 'accent',
  in_review: 'info',
  dismissed: 'neutral',
  escalated: 'warning',
  reported: 'danger',
};

/** "35 min", "5 h", "3 d": how long the alert has waited, as coarse as a glance needs. */
export function alertAge(t: TFunction<'compliance'>, createdAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 60_000));
  if (minutes < 60) return t('age.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('age.hours', { count: hours });
  return t('age.days', { count: Math.floor(hours / 24) });
}

/** Whether an alert matches the search box: its id, rule, party or case, case and accents ignored. */
export function matchesSearch(alert: KytAlert, search: string): boolean {
  const needle = fold(search.trim());
  if (needle === '') return true;
  return [alert.id, alert.rule, alert.ruleId, alert.partyId, alert.caseId ?? '', alert.category].some((field) =>
    fold(field).includes(needle),
  );
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
