// When things happen in a seeded dispute: SLA clocks relative to the moment of seeding, and the trade's
// moments (created, marked as paid) placed backwards from the dispute so that every chat line fits.
import type { ChatLine } from './chat';
import type { Prng } from './prng';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export type SlaBucket = 'breached' | 'soon' | 'later';

/**
 * SLA clocks as in real life: standard disputes are due 24 h after opening, high-value and KYT-flagged
 * ones 72 h. Some are breached, some due within two hours, most later; decided ones were opened days ago.
 */
export function slaTimes(
  prng: Prng,
  now: Date,
  options: { bucket?: SlaBucket | undefined; decided: boolean; longWindow: boolean; daysAgo?: number },
): { openedAt: Date; slaDueAt: Date } {
  const windowMs = (options.longWindow ? 72 : 24) * HOUR_MS;
  const seconds = prng.int(0, 59) * 1000;
  if (options.decided) {
    // Office hours of that day, give or take: decided disputes of the verdict history span weeks.
    const hoursAgo = options.daysAgo === undefined ? prng.int(40, 130) : options.daysAgo * 24 + prng.int(-6, 6);
    const openedAt = new Date(now.getTime() - hoursAgo * HOUR_MS - prng.int(0, 59) * MINUTE_MS - seconds);
    return { openedAt, slaDueAt: new Date(openedAt.getTime() + windowMs) };
  }
  const bucket =
    options.bucket ??
    prng.weighted<SlaBucket>([
      ['breached', 15],
      ['soon', 20],
      ['later', 65],
    ]);
  const windowMinutes = windowMs / MINUTE_MS;
  // "later" stops 130 minutes short of the window, so every open dispute was opened 2 h or more ago.
  const offsetMinutes =
    bucket === 'breached' ? -prng.int(15, 540) : bucket === 'soon' ? prng.int(10, 110) : prng.int(150, windowMinutes - 130);
  const slaDueAt = new Date(now.getTime() + offsetMinutes * MINUTE_MS + seconds);
  return { openedAt: new Date(slaDueAt.getTime() - windowMs), slaDueAt };
}

export interface TradeMoments {
  tradeCreatedAt: Date;
  /** When the buyer marked the order as paid. */
  paidAt: Date;
  /** What the chat's 'paid' lines count their minutes from. */
  paidAnchor: Date;
  openedAt: Date;
}

/**
 * When the trade started and was marked as paid, so that every chat line falls in its phase. `paidAt` is
 * the moment of the chat's "marked as paid" event, the one the trade records.
 */
export function chatMoments(prng: Prng, lines: readonly ChatLine[], openedAt: Date): TradeMoments {
  const offsets = (anchor: ChatLine['at']) => lines.filter((line) => line.at === anchor).map((line) => line.minutes);
  const latestCreated = Math.max(0, ...offsets('created'));
  const earliestPaid = Math.min(0, ...offsets('paid'));
  const latestPaid = Math.max(0, ...offsets('paid'));
  const paidAnchor = new Date(openedAt.getTime() - (latestPaid + prng.int(6, 25)) * MINUTE_MS - prng.int(0, 59) * 1000);
  const tradeCreatedAt = new Date(paidAnchor.getTime() - (latestCreated - earliestPaid + prng.int(4, 14)) * MINUTE_MS);
  const markedPaid = lines.find((line) => line.event === 'paid');
  const paidAt = new Date(paidAnchor.getTime() + (markedPaid?.minutes ?? 0) * MINUTE_MS);
  return { tradeCreatedAt, paidAt, paidAnchor, openedAt };
}

export function lineTime(moments: TradeMoments, line: ChatLine): Date {
  const anchor = line.at === 'created' ? moments.tradeCreatedAt : line.at === 'paid' ? moments.paidAnchor : moments.openedAt;
  return new Date(anchor.getTime() + line.minutes * MINUTE_MS);
}
