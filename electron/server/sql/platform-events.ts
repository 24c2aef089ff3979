// The exchange's events (POST /v1/platform/events): the answered events by webhook-id, and the trade-side
// facts they carry before and after a case exists. Times are ISO 8601 with milliseconds, so that string
// order is time order; every "newer wins" rule is a conditional UPDATE on them.
import type { KycStatus } from '../../../shared/domain/dispute';
import type { PlatformPartyRole } from '../../../shared/api/platform-events';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface StoredPlatformEvent {
  bodySha256: string;
  status: number;
  body: string;
}

export function findPlatformEvent(db: Db, id: string): StoredPlatformEvent | null {
  return (
    (prepared(
      db,
      'SELECT body_sha256 AS bodySha256, response_status AS status, response_body AS body FROM platform_events WHERE id = ?',
    ).get(id) as StoredPlatformEvent | undefined) ?? null
  );
}

export interface PlatformEventRow {
  id: string;
  type: string;
  tradeId: string;
  bodySha256: string;
  occurredAt: string;
  receivedAt: string;
  status: number;
  body: string;
}

export function insertPlatformEvent(db: Db, row: PlatformEventRow): void {
  prepared(
    db,
    `INSERT INTO platform_events (id, type, trade_id, body_sha256, occurred_at, received_at, response_status, response_body)
     VALUES (@id, @type, @tradeId, @bodySha256, @occurredAt, @receivedAt, @status, @body)`,
  ).run(row);
}

/** A trade with its escrow and case, as the event handlers judge it. */
export interface PlatformTrade {
  id: string;
  buyerId: string;
  sellerId: string;
  asset: string;
  amountMinor: bigint;
  fiatCurrency: string;
  fiatAmountMinor: bigint;
  /** When the trade opened on the exchange (its trade.opened's time). */
  openedAt: string;
  paidAt: string | null;
  disputedAt: string | null;
  settledAt: string | null;
  settledBy: 'trade.released' | 'trade.cancelled' | null;
  escrowId: string;
  escrowState: 'held' | 'released' | 'refunded';
  caseId: string | null;
  caseStatus: string | null;
}

export function findPlatformTrade(db: Db, tradeId: string): PlatformTrade | null {
  const row = prepared(
    db,
    `SELECT t.id, t.buyer_id AS buyerId, t.seller_id AS sellerId, t.asset, t.amount_minor AS amountMinor,
            t.fiat_currency AS fiatCurrency, t.fiat_amount_minor AS fiatAmountMinor, t.created_at AS openedAt, t.paid_at AS paidAt,
            t.disputed_at AS disputedAt, t.settled_at AS settledAt, t.settled_by AS settledBy,
            e.id AS escrowId, e.state AS escrowState, c.id AS caseId, c.status AS caseStatus
     FROM trades t JOIN escrows e ON e.trade_id = t.id LEFT JOIN cases c ON c.trade_id = t.id
     WHERE t.id = ?`,
  )
    .safeIntegers(true)
    .get(tradeId) as PlatformTrade | undefined;
  return row ?? null;
}

/** What makes a trade the trade it is: its parties, what is sold and what is paid for it. */
export interface TradeTerms {
  buyerId: string;
  sellerId: string;
  asset: string;
  amountMinor: bigint;
  fiatCurrency: string;
  fiatAmountMinor: bigint;
}

/** The terms of the trade with this id; the trade history recorded without an escrow (the seed's) counts too. */
export function findTradeTerms(db: Db, tradeId: string): TradeTerms | null {
  const row = prepared(
    db,
    `SELECT buyer_id AS buyerId, seller_id AS sellerId, asset, amount_minor AS amountMinor,
            fiat_currency AS fiatCurrency, fiat_amount_minor AS fiatAmountMinor
     FROM trades WHERE id = ?`,
  )
    .safeIntegers(true)
    .get(tradeId) as TradeTerms | undefined;
  return row ?? null;
}

/** The trade whose escrow has this id, if one has. */
export const tradeOfEscrow = (db: Db, escrowId: string) =>
  (prepared(db, 'SELECT trade_id AS tradeId FROM escrows WHERE id = ?').get(escrowId) as { tradeId: string } | undefined)
    ?.tradeId ?? null;

/** The trade whose case has this id, if one has. */
export const tradeOfCase = (db: Db, caseId: string) =>
  (prepared(db, 'SELECT trade_id AS tradeId FROM cases WHERE id = ?').get(caseId) as { tradeId: string } | undefined)
    ?.tradeId ?? null;

export interface PlatformPartyRow {
  id: string;
  displayName: string;
  kycStatus: KycStatus;
  country: string;
  accountCreatedAt: string;
  seenAt: string;
}

/** A party seen for the first time; false when it was known already. */
export const insertPlatformParty = (db: Db, party: PlatformPartyRow) =>
  prepared(
    db,
    `INSERT INTO parties (id, display_name, kyc_status, country, account_created_at, trade_count, dispute_count, platform_seen_at)
     VALUES (@id, @displayName, @kycStatus, @country, @accountCreatedAt, 0, 0, @seenAt) ON CONFLICT DO NOTHING`,
  ).run(party).changes === 1;

/**
 * Refreshes what the exchange says of a known party, unless a newer event already did. The KYC status is
 * MetaMap's to decide once MetaMap has ruled on the party (`kyc_status_at` set, migration 0006): the
 * exchange's `kycStatus` is its own record, which may lag MetaMap's webhooks to us, so it fills in only a
 * status no MetaMap outcome has set (a late `verified` would otherwise undo a rejection).
 */
export const refreshPlatformParty = (db: Db, party: PlatformPartyRow) =>
  prepared(
    db,
    `UPDATE parties SET display_name = @displayName, country = @country, platform_seen_at = @seenAt,
       kyc_status = CASE WHEN kyc_status_at IS NULL THEN @kycStatus ELSE kyc_status END
     WHERE id = @id AND (platform_seen_at IS NULL OR platform_seen_at < @seenAt)`,
  ).run(party).changes === 1;

export function countPartyTrade(db: Db, partyIds: readonly string[], column: 'trade_count' | 'dispute_count'): void {
  const statement = prepared(db, `UPDATE parties SET ${column} = ${column} + 1 WHERE id = ?`);
  for (const id of partyIds) statement.run(id);
}

/** The buyer's payment as the exchange marks it; an older mark never replaces a newer one. */
export const markTradePaid = (db: Db, tradeId: string, at: string) =>
  prepared(db, 'UPDATE trades SET paid_at = @at WHERE id = @tradeId AND (paid_at IS NULL OR paid_at < @at)').run({
    tradeId,
    at,
  }).changes === 1;

export const markTradeDisputed = (db: Db, tradeId: string, at: string) =>
  prepared(db, 'UPDATE trades SET disputed_at = ? WHERE id = ?').run(at, tradeId);

export const markTradeSettled = (db: Db, tradeId: string, by: 'trade.released' | 'trade.cancelled', at: string) =>
  prepared(db, 'UPDATE trades SET settled_at = ?, settled_by = ? WHERE id = ?').run(at, by, tradeId);

/** A case whose escrow the parties settled themselves is over; true when this call closed it. */
export const resolveCaseSettledByParty = (db: Db, caseId: string, at: string) =>
  prepared(db, "UPDATE cases SET status = 'resolved', updated_at = ? WHERE id = ? AND status <> 'resolved'").run(
    at,
    caseId,
  ).changes === 1;

export interface TradeMessageRow {
  tradeId: string;
  messageId: string;
  sender: PlatformPartyRole;
  body: string;
  evidence: readonly string[];
  at: string;
}

/** A chat line of the trade; false when the exchange sent this message before. */
export const insertTradeMessage = (db: Db, message: TradeMessageRow) =>
  prepared(
    db,
    `INSERT INTO trade_messages (trade_id, message_id, sender, body, evidence, at)
     VALUES (@tradeId, @messageId, @sender, @body, @evidence, @at) ON CONFLICT DO NOTHING`,
  ).run({ ...message, evidence: JSON.stringify(message.evidence) }).changes === 1;

export function readTradeMessages(db: Db, tradeId: string): TradeMessageRow[] {
  const rows = prepared(
    db,
    `SELECT trade_id AS tradeId, message_id AS messageId, sender, body, evidence, at
     FROM trade_messages WHERE trade_id = ? ORDER BY at, message_id`,
  ).all(tradeId) as (Omit<TradeMessageRow, 'evidence'> & { evidence: string })[];
  return rows.map((row) => ({ ...row, evidence: JSON.parse(row.evidence) as string[] }));
}

export interface TradeReceiptRow {
  tradeId: string;
  sha256: string;
  uploadedBy: PlatformPartyRole;
  fileName: string | null;
  at: string;
}

/** A receipt given for the trade; false when this file was given for it before. */
export const insertTradeReceipt = (db: Db, receipt: TradeReceiptRow) =>
  prepared(
    db,
    `INSERT INTO trade_receipts (trade_id, sha256, uploaded_by, file_name, uploaded_at)
     VALUES (@tradeId, @sha256, @uploadedBy, @fileName, @at) ON CONFLICT DO NOTHING`,
  ).run(receipt).changes === 1;

/** The receipts the exchange sent for a trade (rows from the seed, which have no uploader, are left out). */
export function readTradeReceipts(db: Db, tradeId: string): TradeReceiptRow[] {
  return prepared(
    db,
    `SELECT trade_id AS tradeId, sha256, uploaded_by AS uploadedBy, file_name AS fileName, uploaded_at AS at
     FROM trade_receipts WHERE trade_id = ? AND uploaded_by IS NOT NULL ORDER BY uploaded_at, sha256`,
  ).all(tradeId) as TradeReceiptRow[];
}
