// The compliance workspace's pure parts: its routes, the alert search and the alert's age.
import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import type { KytAlert } from '../../shared/api/types';
import { alertHref, parseRoute } from '../../renderer/src/app/router';
import { alertAge, matchesSearch } from '../../renderer/src/features/compliance/format';

const alert = {
  id: 'KYT-100002',
  rule: 'Darknet market exposure',
  ruleId: 'darknet',
  partyId: 'PTY-100026',
  caseId: 'DSP-100014',
  category: 'darknet market',
} as KytAlert;

describe('routes', () => {
  it('reads the alerts list and one alert, and round-trips an id through its link', () => {
    expect(parseRoute('#/alerts')).toEqual({ name: 'alerts' });
    expect(parseRoute('#/alerts/')).toEqual({ name: 'alerts' });
    expect(parseRoute(alertHref('KYT-1'))).toEqual({ name: 'alert', alertId: 'KYT-1' });
    expect(parseRoute('#/alerts/KYT-1/extra')).toEqual({ name: 'queue' });
    expect(parseRoute('#/cases/DSP-1')).toEqual({ name: 'case', caseId: 'DSP-1' });
  });
});

describe('alert search', () => {
  it('matches id, rule, party and case, case and accents ignored; empty matches all', () => {
    expect(matchesSearch(alert, '')).toBe(true);
    expect(matchesSearch(alert, 'kyt-100002')).toBe(true);
    expect(matchesSearch(alert, 'DARKNÉT')).toBe(true);
    expect(matchesSearch(alert, 'pty-100026')).toBe(true);
    expect(matchesSearch(alert, 'DSP-100014')).toBe(true);
    expect(matchesSearch(alert, 'mixer')).toBe(false);
  });
});

describe('alert age', () => {
  const t = ((key: string, options: { count: number }) => `${options.count} ${key}`) as unknown as TFunction<'compliance'>;
  const now = Date.parse('2026-12-06T12:00:00Z');
  it('says minutes under an hour, hours under two days, days after', () => {
    expect(alertAge(t, '2026-12-06T11:25:00Z', now)).toBe('35 age.minutes');
    expect(alertAge(t, '2026-12-05T07:00:00Z', now)).toBe('29 age.hours');
    expect(alertAge(t, '2026-12-03T11:00:00Z', now)).toBe('3 age.days');
    expect(alertAge(t, '2026-12-06T12:05:00Z', now)).toBe('0 age.minutes');
  });
});
