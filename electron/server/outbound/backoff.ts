// The pause before the next attempt after `failures` failed ones: 1 s, 2 s, 4 s … doubling up to an
// hour (with the default tuning), each shortened by a random part of up to a quarter so that a receiver
// coming back after an outage is not hit by every queued event in the same second. Never shorter than
// three quarters of its step, so the pauses still grow.
import type { OutboundDeliveryTuning } from '../config';

export function retryDelayMs(
  failures: number,
  tuning: Pick<OutboundDeliveryTuning, 'firstBackoffMs' | 'maxBackoffMs'>,
  random: () => number,
): number {
  const step = Math.min(tuning.maxBackoffMs, tuning.firstBackoffMs * 2 ** Math.min(failures - 1, 40));
  return Math.round(step * (1 - random() / 4));
}
