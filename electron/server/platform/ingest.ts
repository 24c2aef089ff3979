// One signed event from the exchange, applied exactly once. The webhook-id is the idempotency key: the
// event's effects and its answer are written in one ctx.write() transaction, so a crash leaves either both
// or neither, and a redelivery (same id, same bytes) gets the stored answer without anything moving again.
// The same id with other bytes is refused 422. Refusals that say something about the request (its shape,
// a trade not opened yet) store nothing, so a corrected or later delivery can still succeed.
import { createHash } from 'node:crypto';
import {
  PLATFORM_EVENT_TYPES,
  platformEvent,
  platformEventEnvelope,
  type PlatformEvent,
  type PlatformEventOutcome,
} from '../../../shared/api/platform-events';
import type { ServerContext } from '../context';
import { parseJsonBody } from '../http/body';
import { parseInput } from '../http/validate';
import { invalidRequest } from '../errors';
import { findPlatformEvent, findPlatformTrade, insertPlatformEvent } from '../sql/platform-events';
import { applyDisputeOpened } from './dispute-opened';
import { eventIdReused, unknownEventType } from './errors';
import type { EventInput, EventResult } from './event-context';
import { applyLivenessRequested } from './liveness-requested';
import { applySettlement, applyTradePaid } from './settlement';
import { applyTradeMessage, applyTradeReceipt } from './trade-chat';
import { applyTradeOpened } from './trade-opened';

export interface EventAnswer {
  status: number;
  body: PlatformEventOutcome | { error: { code: string; message: string } };
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(PLATFORM_EVENT_TYPES);

/** The event in the body: JSON, a known type, and that type's shape (400s naming what is wrong). */
export function parsePlatformEvent(body: Buffer): PlatformEvent {
  const payload = parseJsonBody(body);
  const envelope = parseInput(platformEventEnvelope, payload);
  if (!KNOWN_TYPES.has(envelope.type)) throw unknownEventType(envelope.type);
  return parseInput(platformEvent, payload);
}

/** How far an event's own time may run ahead of its sending, for clocks that differ on the exchange's side. */
export const EVENT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Events whose time decides who moves the escrow: the dispute's opening and the settlements it freezes. */
const ESCROW_TIMED: ReadonlySet<PlatformEvent['type']> = new Set([
  'trade.released',
  'trade.cancelled',
  'dispute.opened',
]);

/**
 * The event's `timestamp` orders it against the others, and decides whether a release came before the
 * dispute that freezes the escrow: so it must be a time the event could have happened. Not after it was
 * sent (a dispute dated 2099 would make every later release "before the dispute"), and for the events
 * that move or freeze the escrow, not before the trade opened (a release dated last year would pass as
 * one from before any dispute).
 */
function checkEventTime(ctx: ServerContext, event: PlatformEvent, at: string, sentAt: Date): void {
  const latest = new Date(sentAt.getTime() + EVENT_CLOCK_SKEW_MS);
  if (at > latest.toISOString()) {
    throw invalidRequest(
      `timestamp: ${at} is later than the event was sent (webhook-timestamp ${sentAt.toISOString()}).`,
    );
  }
  if (!ESCROW_TIMED.has(event.type)) return;
  const trade = findPlatformTrade(ctx.db, event.data.tradeId);
  if (trade && at < trade.openedAt) {
    throw invalidRequest(`timestamp: ${at} is before trade ${trade.id} opened (${trade.openedAt}).`);
  }
}

function applyEvent(input: EventInput, event: PlatformEvent): EventResult {
  switch (event.type) {
    case 'trade.opened':
      return applyTradeOpened(input, event.data);
    case 'trade.message':
      return applyTradeMessage(input, event.data);
    case 'trade.receipt':
      return applyTradeReceipt(input, event.data);
    case 'trade.paid':
      return applyTradePaid(input, event.data.tradeId);
    case 'trade.released':
      return applySettlement(input, event.data.tradeId, 'trade.released');
    case 'trade.cancelled':
      return applySettlement(input, event.data.tradeId, 'trade.cancelled', event.data.reason);
    case 'dispute.opened':
      return applyDisputeOpened(input, event.data);
    case 'liveness.requested':
      return applyLivenessRequested(input, event.data);
  }
}

function answerOf(eventId: string, tradeId: string, result: EventResult): EventAnswer {
  if ('refused' in result) return { status: result.refused.status, body: result.refused.toBody() };
  return { status: 200, body: { eventId, status: result.status, tradeId, caseId: result.caseId } };
}

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Applies one delivery whose signature was checked, sent at `sentAt` (its webhook-timestamp). Throws an ApiError for a refusal that stores nothing;
 * returns the answer (success or a final refusal) otherwise, stored under `eventId`.
 */
export function receivePlatformEvent(
  ctx: ServerContext,
  eventId: string,
  body: Buffer,
  sentAt: Date = ctx.now(),
): EventAnswer {
  const bodySha256 = sha256Hex(body);
  return ctx.write(() => {
    // Read inside the write transaction: two deliveries of one id at once are serialised, and the second
    // finds the first's answer.
    const stored = findPlatformEvent(ctx.db, eventId);
    if (stored) {
      if (stored.bodySha256 !== bodySha256) throw eventIdReused();
      return { status: stored.status, body: JSON.parse(stored.body) as EventAnswer['body'] };
    }
    const event = parsePlatformEvent(body);
    const now = ctx.now();
    // Milliseconds always, so that string order is time order in every comparison the handlers make.
    const at = new Date(event.timestamp).toISOString();
    checkEventTime(ctx, event, at, sentAt);
    const result = applyEvent({ ctx, eventId, at, now }, event);
    const answer = answerOf(eventId, event.data.tradeId, result);
    insertPlatformEvent(ctx.db, {
      id: eventId,
      type: event.type,
      tradeId: event.data.tradeId,
      bodySha256,
      occurredAt: at,
      receivedAt: now.toISOString(),
      status: answer.status,
      body: JSON.stringify(answer.body),
    });
    return answer;
  });
}
