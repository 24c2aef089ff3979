// Escrows and their double-entry ledger rows. The rules (one lock, one settlement, balanced movements)
// are in ledger/escrow.ts; these are the statements it and the hold routes run.
import type { Db } from '../db/open';
import { prepared } from './statements';

export function insertEscrow(db: Db, escrow: { id: string; tradeId: string; asset: string; amountMinor: bigint; at: string }): void {
  prepared(
    db,
    `INSERT INTO escrows (id, trade_id, asset, amount_minor, state, updated_at) VALUES (@id, @tradeId, @asset, @amountMinor, 'held', @at)`,
  ).run(escrow);
}

export interface EscrowParties {
  id: string;
  asset: string;
  amount_minor: bigint;
  trade_id: string;
  buyer_id: string;
  seller_id: string;
}

export function findEscrowParties(db: Db, escrowId: string): EscrowParties | undefined {
  return prepared(
    db,
    `SELECT e.id, e.asset, e.amount_minor, e.trade_id, t.buyer_id, t.seller_id
     FROM escrows e JOIN trades t ON t.id = e.trade_id WHERE e.id = ?`,
  )
    .safeIntegers(true)
    .get(escrowId) as EscrowParties | undefined;
}

export interface LedgerEntry {
  movementId: string;
  escrowId: string;
  account: string;
  asset: string;
  amountMinor: bigint;
  kind: 'lock' | 'release' | 'refund';
  at: string;
}

export function insertLedgerEntry(db: Db, entry: LedgerEntry): void {
  prepared(
    db,
    `INSERT INTO ledger_entries (movement_id, escrow_id, account, asset, amount_minor, kind, at)
     VALUES (@movementId, @escrowId, @account, @asset, @amountMinor, @kind, @at)`,
  ).run(entry);
}

/**
 * The one move of a held escrow without a hold. Returns the escrow with its trade's parties when this call
 * moved it (what the ledger's movement needs, read by the same statement), undefined otherwise.
 */
export const settleHeldEscrow = (db: Db, escrowId: string, state: 'released' | 'refunded', at: string) =>
  prepared(
    db,
    `UPDATE escrows SET state = ?, updated_at = ? WHERE id = ? AND state = 'held' AND hold_reason IS NULL
     RETURNING id, asset, amount_minor, trade_id,
       (SELECT buyer_id FROM trades t WHERE t.id = escrows.trade_id) AS buyer_id,
       (SELECT seller_id FROM trades t WHERE t.id = escrows.trade_id) AS seller_id`,
  )
    .safeIntegers(true)
    .get(state, at, escrowId) as EscrowParties | undefined;

export function readEscrowState(db: Db, escrowId: string): { state: string; hold_reason: string | null } | undefined {
  return prepared(db, 'SELECT state, hold_reason FROM escrows WHERE id = ?').get(escrowId) as
    | { state: string; hold_reason: string | null }
    | undefined;
}

/** Puts a held escrow without a hold on hold; true when this call did. */
export const holdEscrow = (db: Db, escrowId: string, hold: { reason: string; by: string; at: string }) =>
  prepared(
    db,
    `UPDATE escrows SET hold_reason = ?, hold_by = ?, hold_at = ?, updated_at = ?
     WHERE id = ? AND state = 'held' AND hold_reason IS NULL`,
  ).run(hold.reason, hold.by, hold.at, hold.at, escrowId).changes === 1;

/** Lifts the escrow's hold; true when there was one. */
export const liftEscrowHold = (db: Db, escrowId: string, at: string) =>
  prepared(
    db,
    `UPDATE escrows SET hold_reason = NULL, hold_by = NULL, hold_at = NULL, updated_at = ?
     WHERE id = ? AND hold_reason IS NOT NULL`,
  ).run(at, escrowId).changes === 1;

export function unbalancedMovements(db: Db): string[] {
  return (
    prepared(db, 'SELECT movement_id FROM ledger_entries GROUP BY movement_id, asset HAVING SUM(amount_minor) <> 0').all() as {
      movement_id: string;
    }[]
  ).map((row) => row.movement_id);
}

export interface EscrowBalance {
  id: string;
  state: string;
  amount_minor: bigint;
  balance: bigint;
  locks: bigint;
  settlements: bigint;
}

/** Every escrow with what its account holds and how many lock and settlement movements it had. */
export function escrowBalances(db: Db): EscrowBalance[] {
  return prepared(
    db,
    `SELECT e.id, e.state, e.amount_minor,
            COALESCE((SELECT SUM(l.amount_minor) FROM ledger_entries l
                      WHERE l.escrow_id = e.id AND l.account = 'escrow:' || e.id), 0) AS balance,
            (SELECT COUNT(DISTINCT movement_id) FROM ledger_entries l WHERE l.escrow_id = e.id AND l.kind = 'lock') AS locks,
            (SELECT COUNT(DISTINCT movement_id) FROM ledger_entries l WHERE l.escrow_id = e.id AND l.kind <> 'lock') AS settlements
     FROM escrows e`,
  )
    .safeIntegers(true)
    .all() as EscrowBalance[];
}
