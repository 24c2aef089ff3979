// Trades and cases: creating them, the case's state for checks, and the conditional UPDATEs that are the
// authorisation of every case move (`changes === 1` or a returned row means this request won).
import type { CaseStatus } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface TradeRow {
  id: string;
  buyerId: string;
  sellerId: string;
  asset: string;
  amountMinor: bigint;
  fiatCurrency: string;
  fiatAmountMinor: bigint;
  price: string;
  paymentMethod: string;
  createdAt: string;
  paidAt: string | null;
  /** Null for a trade that completed without a dispute. */
  disputedAt: string | null;
  /** The instruments transaction monitoring follows (migration 0002); unknown ones are null. */
  depositAddress?: string | null;
  payoutAddress?: string | null;
  payoutAccount?: string | null;
}

export function insertTrade(db: Db, trade: TradeRow): void {
  prepared(
    db,
    `INSERT INTO trades (id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor, price,
                         payment_method, created_at, paid_at, disputed_at, deposit_address, payout_address,
                         payout_account)
     VALUES (@id, @buyerId, @sellerId, @asset, @amountMinor, @fiatCurrency, @fiatAmountMinor, @price,
             @paymentMethod, @createdAt, @paidAt, @disputedAt, @depositAddress, @payoutAddress, @payoutAccount)`,
  ).run({ depositAddress: null, payoutAddress: null, payoutAccount: null, ...trade });
}

/** The receipts the buyer gave for a trade, by content; giving one file twice is one row. */
export function insertTradeReceipts(db: Db, tradeId: string, sha256s: readonly string[]): void {
  const insert = prepared(db, 'INSERT INTO trade_receipts (trade_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING');
  for (const sha256 of sha256s) insert.run(tradeId, sha256);
}

export interface NewCaseRow {
  id: string;
  tradeId: string;
  escrowId: string;
  reason: string;
  openedBy: 'buyer' | 'seller';
  openedAt: string;
  slaDueAt: string;
  fourEyes: boolean;
  usdEquivalent: string;
}

/** An open case; its first version is dated when it opened. */
export function insertCase(db: Db, row: NewCaseRow): void {
  prepared(
    db,
    `INSERT INTO cases (id, trade_id, escrow_id, status, reason, opened_by, opened_at, sla_due_at, four_eyes,
                        usd_equivalent, updated_at)
     VALUES (@id, @tradeId, @escrowId, 'open', @reason, @openedBy, @openedAt, @slaDueAt, @fourEyes,
             @usdEquivalent, @openedAt)`,
  ).run({ ...row, fourEyes: row.fourEyes ? 1 : 0 });
}

export interface CaseState {
  id: string;
  status: CaseStatus;
  assigneeId: string | null;
  escrowId: string;
  escrowState: 'held' | 'released' | 'refunded';
  onHold: boolean;
  fourEyes: boolean;
  buyerId: string;
  sellerId: string;
}

/** Who holds the case: undefined for an unknown case, null for one nobody holds. */
export function findCaseAssignee(db: Db, caseId: string): string | null | undefined {
  const row = prepared(db, 'SELECT assignee_id FROM cases WHERE id = ?').get(caseId) as
    | { assignee_id: string | null }
    | undefined;
  return row ? row.assignee_id : undefined;
}

export function findCaseState(db: Db, caseId: string): CaseState | null {
  const row = prepared(
    db,
    `SELECT c.id, c.status, c.assignee_id, c.escrow_id, c.four_eyes, e.state AS escrow_state,
            e.hold_reason IS NOT NULL AS on_hold, t.buyer_id, t.seller_id
     FROM cases c JOIN escrows e ON e.id = c.escrow_id JOIN trades t ON t.id = c.trade_id
     WHERE c.id = ?`,
  ).get(caseId) as
    | {
        id: string;
        status: CaseStatus;
        assignee_id: string | null;
        escrow_id: string;
        four_eyes: number;
        escrow_state: CaseState['escrowState'];
        on_hold: number;
        buyer_id: string;
        seller_id: string;
      }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    assigneeId: row.assignee_id,
    escrowId: row.escrow_id,
    escrowState: row.escrow_state,
    onHold: row.on_hold === 1,
    fourEyes: row.four_eyes === 1,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
  };
}

/** A new version of the case (every recorded change bumps it): the new version, null for an unknown case. */
export function bumpCaseVersion(db: Db, caseId: string, at: string): number | null {
  const row = prepared(
    db,
    'UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version',
  ).get(at, caseId) as { version: number } | undefined;
  return row?.version ?? null;
}

/** An open, unassigned case goes to `agentId` in review; true when this call took it. */
export const claimOpenCase = (db: Db, caseId: string, agentId: string, at: string) =>
  prepared(
    db,
    `UPDATE cases SET status = 'in_review', assignee_id = ?, updated_at = ?
     WHERE id = ? AND status = 'open' AND assignee_id IS NULL`,
  ).run(agentId, at, caseId).changes === 1;

/** An undecided case goes to `assigneeId` (an open one into review); true when it moved. */
export const reassignUndecidedCase = (db: Db, caseId: string, assigneeId: string, at: string) =>
  prepared(
    db,
    `UPDATE cases SET assignee_id = @assigneeId, updated_at = @at,
            status = CASE status WHEN 'open' THEN 'in_review' ELSE status END
     WHERE id = @caseId AND status <> 'resolved'`,
  ).run({ assigneeId, at, caseId }).changes === 1;

/**
 * The verdict's state check: a case in review, held by the agent, whose escrow is not on hold, becomes
 * pending approval (four-eyes) or resolved. Undefined when the case is in any other state.
 */
export function decideCaseInReview(
  db: Db,
  caseId: string,
  agentId: string,
  at: string,
): { status: 'pending_approval' | 'resolved'; escrowId: string } | undefined {
  return prepared(
    db,
    `UPDATE cases SET status = CASE four_eyes WHEN 1 THEN 'pending_approval' ELSE 'resolved' END, updated_at = @at
     WHERE id = @caseId AND status = 'in_review' AND assignee_id = @agentId
       AND NOT EXISTS (SELECT 1 FROM escrows e WHERE e.id = cases.escrow_id AND e.hold_reason IS NOT NULL)
     RETURNING status, escrow_id AS escrowId`,
  ).get({ at, caseId, agentId }) as { status: 'pending_approval' | 'resolved'; escrowId: string } | undefined;
}

/** A case pending approval whose escrow is not on hold is resolved; returns its escrow, else undefined. */
export function resolvePendingCase(db: Db, caseId: string, at: string): { escrowId: string } | undefined {
  return prepared(
    db,
    `UPDATE cases SET status = 'resolved', updated_at = @at
     WHERE id = @caseId AND status = 'pending_approval'
       AND NOT EXISTS (SELECT 1 FROM escrows e WHERE e.id = cases.escrow_id AND e.hold_reason IS NOT NULL)
     RETURNING escrow_id AS escrowId`,
  ).get({ at, caseId }) as { escrowId: string } | undefined;
}

/** A case pending approval goes back into review; true when it did. */
export const reopenPendingCase = (db: Db, caseId: string, at: string) =>
  prepared(db, `UPDATE cases SET status = 'in_review', updated_at = ? WHERE id = ? AND status = 'pending_approval'`).run(
    at,
    caseId,
  ).changes === 1;

/** Sets a case's status and assignee outright: only the seed writes history this way. */
export function setCaseState(db: Db, caseId: string, status: CaseStatus, assigneeId: string | null, at: string): void {
  prepared(db, 'UPDATE cases SET status = ?, assignee_id = ?, updated_at = ? WHERE id = ?').run(
    status,
    assigneeId,
    at,
    caseId,
  );
}
