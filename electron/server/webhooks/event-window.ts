// The time window a MetaMap event must fall in (config.metamapEventWindow). MetaMap's signature covers
// only the body, so the body's `timestamp` is the one time a captured delivery carries when replayed.
import type { MetamapEventWindow } from '../config';

export type OutsideWindow = 'too_old' | 'ahead_of_clock';

/** Why an event that happened at `occurredAt` falls outside the window around `now`; null when inside. */
export function outsideWindow(occurredAt: Date, now: Date, window: MetamapEventWindow): OutsideWindow | null {
  const ahead = occurredAt.getTime() - now.getTime();
  if (ahead > window.maxAheadMs) return 'ahead_of_clock';
  if (-ahead > window.maxAgeMs) return 'too_old';
  return null;
}
