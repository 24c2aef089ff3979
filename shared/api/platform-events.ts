// The exchange's side of the platform API: the events it sends to `POST /v1/platform/events` and the
// ones the platform sends back to it (README "Platform events"). Both directions are signed as Standard
// Webhooks do (electron/server/webhooks/standard-webhooks.ts); these are the bodies, checked at the boundary.
//
// A body is `{type, timestamp, data}`: `timestamp` is when the event happened on the exchange (it orders
// events that arrive out of order), not when it was sent (the `webhook-timestamp` header says that).
import { z } from 'zod';
import { ASSETS, FIAT_CURRENCIES } from '../domain/money';
import { KYC_STATUSES, VERDICT_OUTCOMES } from '../domain/dispute';
import { showBidiControls } from './text';

/** Ids the exchange gives: letters, digits, `-` and `_`, as its own systems print them. */
const externalId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1 to 64 letters, digits, - or _');
/**
 * The exchange's customers' words (names, chat, reasons): trimmed, 1 to `max` characters, each directional
 * control kept but shown as "[U+202E]" (./text.ts says why they are not refused here).
 */
const text = (max: number) => z.string().trim().min(1).max(max).transform(showBidiControls);
/** Other strings of the exchange that the desk shows (file names, account numbers): controls shown too. */
const shownString = (schema: z.ZodString) => schema.transform(showBidiControls);
const decimal = z.string().regex(/^(0|[1-9]\d{0,17})(\.\d{1,18})?$/, 'a decimal amount such as "1250.50"');
const isoTime = z.iso.datetime({ offset: false });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const PLATFORM_PARTY_ROLES = ['buyer', 'seller'] as const;
export type PlatformPartyRole = (typeof PLATFORM_PARTY_ROLES)[number];

/** A trader as the exchange knows them when a trade opens; created on first sight, refreshed after. */
export const platformParty = z.strictObject({
  id: externalId,
  displayName: text(120),
  /** ISO 3166-1 alpha-2. */
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code'),
  kycStatus: z.enum(KYC_STATUSES),
  accountCreatedAt: isoTime,
});
export type PlatformParty = z.infer<typeof platformParty>;

const tradeRef = { tradeId: externalId };

export const tradeOpenedData = z.strictObject({
  ...tradeRef,
  buyer: platformParty,
  seller: platformParty,
  asset: z.enum(ASSETS as [string, ...string[]]),
  amount: decimal,
  fiatCurrency: z.enum(FIAT_CURRENCIES),
  fiatAmount: decimal,
  price: decimal,
  paymentMethod: text(64),
  /** The address the seller funded the escrow from, where known. */
  depositAddress: shownString(z.string().max(128)).nullable().optional(),
  /** The seller's account that should receive the fiat payment. */
  payoutAccount: shownString(z.string().max(128)).nullable().optional(),
});

export const tradeMessageData = z.strictObject({
  ...tradeRef,
  messageId: externalId,
  sender: z.enum(PLATFORM_PARTY_ROLES),
  body: text(4000),
  /** Receipts sent earlier in `trade.receipt` events that this message shows. */
  evidence: z.array(sha256).max(10).optional(),
});

export const tradeReceiptData = z.strictObject({
  ...tradeRef,
  uploadedBy: z.enum(PLATFORM_PARTY_ROLES),
  fileName: shownString(z.string().trim().max(200)).optional(),
  /** The file's bytes; the platform stores them by their sha256 and sniffs their type itself. */
  contentBase64: z.string().min(4).max(1_000_000),
});

export const tradePaidData = z.strictObject({ ...tradeRef });
export const tradeReleasedData = z.strictObject({ ...tradeRef });
export const tradeCancelledData = z.strictObject({ ...tradeRef, reason: text(500).optional() });

export const disputeOpenedData = z.strictObject({
  ...tradeRef,
  openedBy: z.enum(PLATFORM_PARTY_ROLES),
  reason: text(2000),
});

export const livenessRequestedData = z.strictObject({
  ...tradeRef,
  partyId: externalId,
  /** MetaMap's verification id when the exchange already started it; its webhooks then find the check. */
  verificationId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/)
    .optional(),
});

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ type: z.literal(type), timestamp: isoTime, data });

/** Every event the exchange may send, told apart by `type`. */
export const platformEvent = z.discriminatedUnion('type', [
  event('trade.opened', tradeOpenedData),
  event('trade.message', tradeMessageData),
  event('trade.receipt', tradeReceiptData),
  event('trade.paid', tradePaidData),
  event('trade.released', tradeReleasedData),
  event('trade.cancelled', tradeCancelledData),
  event('dispute.opened', disputeOpenedData),
  event('liveness.requested', livenessRequestedData),
]);
export type PlatformEvent = z.infer<typeof platformEvent>;
export type PlatformEventType = PlatformEvent['type'];
export const PLATFORM_EVENT_TYPES = platformEvent.options.map((option) => option.shape.type.value);

/** The envelope's own fields, read first so that an unknown type is named as such. */
export const platformEventEnvelope = z.looseObject({ type: z.string().max(64), timestamp: isoTime, data: z.unknown() });

/** The answer to an accepted event; a redelivery (same `webhook-id`) gets the same answer again. */
export const platformEventOutcome = z.strictObject({
  eventId: z.string(),
  status: z.enum(['applied', 'unchanged']),
  tradeId: z.string(),
  /** The case a `dispute.opened` created (or the trade's case for events after it). */
  caseId: z.string().nullable(),
});
export type PlatformEventOutcome = z.infer<typeof platformEventOutcome>;

// ---- Outbound: what the platform tells the exchange ----------------------------------------------------

export const OUTBOUND_EVENT_TYPES = [
  'escrow.locked',
  'escrow.released',
  'escrow.refunded',
  'escrow.held',
  'escrow.hold_lifted',
  'verdict.proposed',
  'verdict.executed',
  'verdict.sent_back',
  'verdict.voided',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export const outboundEscrowData = z.strictObject({
  escrowId: z.string(),
  tradeId: z.string(),
  caseId: z.string().nullable(),
  asset: z.string(),
  amount: decimal,
  /** Who the crypto went to, for a release or refund. */
  beneficiaryPartyId: z.string().nullable(),
  /** The ledger movement, for a lock, release or refund. */
  movementId: z.string().nullable(),
  /** Why an escrow moved or was held: `verdict`, `trade.released`, `trade.cancelled`, `compliance_hold`, ... */
  cause: z.string(),
});

export const outboundVerdictData = z.strictObject({
  verdictId: z.string(),
  caseId: z.string(),
  tradeId: z.string(),
  outcome: z.enum(VERDICT_OUTCOMES),
  reasonCode: z.string(),
  /**
   * `proposed` waits for a supervisor (four-eyes); `executed` moved the escrow; `sent_back`: a supervisor
   * turned the proposal down and the case is with its agent again; `voided`: the trade settled on the
   * exchange (a release or cancel from before the dispute) while the proposal waited, so it never applies.
   */
  state: z.enum(['proposed', 'executed', 'sent_back', 'voided']),
});

export const outboundEvent = z.discriminatedUnion('type', [
  ...(['escrow.locked', 'escrow.released', 'escrow.refunded', 'escrow.held', 'escrow.hold_lifted'] as const).map((type) =>
    z.strictObject({ type: z.literal(type), timestamp: isoTime, data: outboundEscrowData }),
  ),
  ...(['verdict.proposed', 'verdict.executed', 'verdict.sent_back', 'verdict.voided'] as const).map((type) =>
    z.strictObject({ type: z.literal(type), timestamp: isoTime, data: outboundVerdictData }),
  ),
] as unknown as [z.ZodObject, ...z.ZodObject[]]);
export type OutboundEvent =
  | { type: 'escrow.locked' | 'escrow.released' | 'escrow.refunded' | 'escrow.held' | 'escrow.hold_lifted'; timestamp: string; data: z.infer<typeof outboundEscrowData> }
  | {
      type: 'verdict.proposed' | 'verdict.executed' | 'verdict.sent_back' | 'verdict.voided';
      timestamp: string;
      data: z.infer<typeof outboundVerdictData>;
    };
