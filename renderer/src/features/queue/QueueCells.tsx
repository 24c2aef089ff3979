// The queue's cells that are more than text: the live SLA countdown, the status badge and the flag icons.
import { useTranslation } from 'react-i18next';
import type { CaseFlags } from '../../../../shared/api/types';
import type { CaseStatus } from '../../../../shared/domain/dispute';
import { Badge, type BadgeTone } from '../../components';
import { formatDuration } from './format';
import { useNow } from './useNow';

export function SlaCountdown({ dueAt, resolved }: { dueAt: string; resolved: boolean }) {
  const { t } = useTranslation('queue');
  const now = useNow();
  if (resolved) return <span className="sla sla--done">—</span>;
  const remaining = Date.parse(dueAt) - now;
  if (remaining < 0) {
    return (
      <span className="sla sla--breached" title={t('sla.breached')}>
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path d="M8 4.5v4M8 11v.5" stroke="var(--surface)" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
        {t('sla.overdue', { time: formatDuration(remaining) })}
      </span>
    );
  }
  const urgent = remaining < 60 * 60 * 1000;
  return <span className={`sla${urgent ? ' sla--urgent' : ''}`}>{t('sla.left', { time: formatDuration(remaining) })}</span>;
}

const STATUS_TONES: Record<CaseStatus, BadgeTone> = {
  open: 'info',
  in_review: 'accent',
  pending_approval: 'warning',
  resolved: 'success',
};

export function StatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation('queue');
  return <Badge tone={STATUS_TONES[status]}>{t(`status.${status}`)}</Badge>;
}

type FlagName = keyof CaseFlags;
const FLAG_ORDER: FlagName[] = ['kyt', 'livenessFailed', 'fourEyes', 'onHold'];

/** Small glyphs, each with its words as the accessible name and the tooltip. */
const FLAG_ICONS: Record<FlagName, React.ReactNode> = {
  kyt: <path d="M8 1.5l6 2.2v4.1c0 3.4-2.5 5.9-6 6.7-3.5-.8-6-3.3-6-6.7V3.7z" fill="currentColor" />,
  livenessFailed: (
    <>
      <circle cx="8" cy="6" r="3" fill="currentColor" />
      <path d="M2.5 14c.7-2.6 2.9-4 5.5-4s4.8 1.4 5.5 4" fill="currentColor" />
    </>
  ),
  fourEyes: (
    <>
      <circle cx="4.5" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="11.5" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </>
  ),
  onHold: (
    <>
      <rect x="3.5" y="2.5" width="3" height="11" rx="1" fill="currentColor" />
      <rect x="9.5" y="2.5" width="3" height="11" rx="1" fill="currentColor" />
    </>
  ),
};

export function FlagIcons({ flags }: { flags: CaseFlags }) {
  const { t } = useTranslation('queue');
  const raised = FLAG_ORDER.filter((flag) => flags[flag]);
  if (raised.length === 0) return <span className="visually-hidden">{t('flags.none')}</span>;
  return (
    <span className="flags">
      {raised.map((flag) => (
        <span key={flag} className={`flag flag--${flag}`} title={t(`flags.${flag}`)}>
          <svg viewBox="0 0 16 16" width="14" height="14" role="img" aria-label={t(`flags.${flag}`)}>
            {FLAG_ICONS[flag]}
          </svg>
        </span>
      ))}
    </span>
  );
}
