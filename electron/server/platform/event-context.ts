// What every event handler is given and answers. A handler runs inside the ingestion's ctx.write(): it
// either changes the store and says so, finds nothing to change, or refuses the event for good (the
// refusal is stored under the webhook-id like any answer). A thrown ApiError is a refusal that stores
// nothing: the whole transaction rolls back.
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { PLATFORM_USER_ID } from '../db/migrations/0006-platform-events';
import type { ApiError } from '../errors';
import { changeCase } from '../feed/changes';
import { findPlatformTrade, type PlatformTrade } from '../sql/platform-events';
import { unknownTrade } from './errors';

export { PLATFORM_USER_ID };

export interface EventInput {
  ctx: ServerContext;
  /** The webhook-id: audit entries name it, so each change can be traced to the delivery that made it. */
  eventId: string;
  /** When it happened on the exchange, ISO with milliseconds (orders out-of-order events). */
  at: string;
  /** When the platform applies it. */
  now: Date;
}

export type EventResult =
  | { status: 'applied' | 'unchanged'; caseId: string | null }
  | { refused: ApiError };

export const applied = (caseId: string | null): EventResult => ({ status: 'applied', caseId });
export const unchanged = (caseId: string | null): EventResult => ({ status: 'unchanged', caseId });
export const refused = (error: ApiError): EventResult => ({ refused: error });

/** The trade an event is about; a trade not opened yet is refused without storing anything (the exchange retries). */
export function requireTrade(input: EventInput, tradeId: string): PlatformTrade {
  const trade = findPlatformTrade(input.ctx.db, tradeId);
  if (!trade) throw unknownTrade(tradeId);
  return trade;
}

/**
 * Records the change the event made: on the case (audit, new version, feed row, so the desks see it live)
 * once the trade has one, else an audit entry about the trade. The exchange's service account is the actor.
 */
export function recordEventChange(
  input: EventInput,
  trade: { id: string; caseId: string | null },
  action: string,
  data: Record<string, unknown> = {},
): void {
  const change = { actor: PLATFORM_USER_ID, action, data: { eventId: input.eventId, tradeId: trade.id, occurredAt: input.at, ...data } };
  if (trade.caseId) changeCase(input.ctx, trade.caseId, change, input.now);
  else appendAudit(input.ctx.db, input.now, { ...change, subject: trade.id });
}
