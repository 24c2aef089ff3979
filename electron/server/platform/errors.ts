// What the exchange can be told about one of its events, each with its stable code (README "Platform
// events"). Refusals that are final for the event (`final: true` in ingest.ts) are stored under its
// webhook-id; the others (a trade not seen yet, a hold that may lift) store nothing, so a retry can succeed.
import { ApiError, apiError, conflict, invalidRequest } from '../errors';

export const platformEventsNotConfigured = () =>
  apiError('platform_events_not_configured', 'Platform events are off: PLATFORM_EVENTS_SECRET is not set.');
export const invalidSignature = () =>
  apiError('invalid_signature', 'The webhook-id, webhook-timestamp or webhook-signature header is missing or does not match.');
export const staleTimestamp = () =>
  apiError('stale_timestamp', 'The webhook-timestamp is more than 5 minutes away from the server’s clock.');
export const unknownEventType = (type: string) =>
  apiError('unknown_event_type', `type: "${type.slice(0, 64)}" is not an event this platform knows.`);
export const unknownTrade = (tradeId: string) =>
  apiError('unknown_trade', `data.tradeId: no trade ${tradeId} has opened here yet. Send its trade.opened first.`);
export const eventIdReused = () =>
  new ApiError(422, 'idempotency_key_reused', 'This webhook-id was already used for an event with a different body.');
export const escrowFrozen = (disputedAt: string) =>
  conflict('escrow_frozen', `A dispute opened at ${disputedAt}, before this event: only a verdict moves the escrow now.`);
export const escrowAlreadySettled = (state: string) =>
  conflict('escrow_already_settled', `The escrow has already been ${state}: it moves only once.`);
export const tradeAlreadySettled = (state: string, settledAt: string | null) =>
  conflict(
    'trade_already_settled',
    `The escrow was ${state}${settledAt ? ` at ${settledAt}` : ''} before this dispute arrived: there is nothing left to dispute.`,
  );
/** An id the event names or implies that another trade holds, or a trade told again with other terms. */
export const tradeConflict = (detail: string) => conflict('trade_conflict', detail);
export const escrowOnHoldForEvent = () =>
  conflict('escrow_on_hold', 'Compliance has put this escrow on hold: send the event again once the hold is lifted.');
/** A MetaMap verification id that a check of another party, or of another trade, already holds. */
export const verificationConflict = (detail: string) => conflict('verification_conflict', detail);
export const notAParty = (tradeId: string) => invalidRequest(`data.partyId: not the buyer or the seller of trade ${tradeId}.`);
