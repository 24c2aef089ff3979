// The escrow ledger. Balances are never stored: they are sums of double-entry rows, each movement summing
// to zero per asset. An escrow moves exactly once, decided by a conditional UPDATE (it returns the escrow
// only to the call that moved it), so two settlements racing on one escrow cannot both write entries,
// whatever process they run in.
import { randomUUID } from 'node:crypto';
import type { VerdictOutcome } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import {
  escrowBalances,
  insertLedgerEntry,
  findEscrowParties,
  readEscrowState,
  settleHeldEscrow,
  unbalancedMovements,
  type EscrowParties,
} from '../sql/escrow';

export const escrowAccount = (escrowId: string) => `escrow:${escrowId}`;
export const partyAccount = (partyId: string) => `party:${partyId}`;

function readEscrowParties(db: Db, escrowId: string): EscrowParties {
  const row = findEscrowParties(db, escrowId);
  if (!row) throw new Error(`No escrow ${escrowId}`);
  return row;
}

function insertMovement(
  db: Db,
  escrowId: string,
  asset: string,
  kind: 'lock' | 'release' | 'refund',
  debit: string,
  credit: string,
  amount: bigint,
  at: string,
): string {
  const movementId = `MOV-${randomUUID()}`;
  insertLedgerEntry(db, { movementId, escrowId, account: debit, asset, amountMinor: -amount, kind, at });
  insertLedgerEntry(db, { movementId, escrowId, account: credit, asset, amountMinor: amount, kind, at });
  return movementId;
}

/** Locks the seller's crypto when a trade starts and returns the movement. Call inside a write transaction. */
export function lockEscrow(db: Db, escrowId: string, at: Date): string {
  const escrow = readEscrowParties(db, escrowId);
  return insertMovement(
    db,
    escrowId,
    escrow.asset,
    'lock',
    partyAccount(escrow.seller_id),
    escrowAccount(escrowId),
    escrow.amount_minor,
    at.toISOString(),
  );
}

export type SettleResult = { moved: true; movementId: string } | { moved: false; reason: 'not_held' | 'on_hold' };

/**
 * Releases the escrow to the buyer or refunds it to the seller, exactly once. Call inside a
 * BEGIN IMMEDIATE transaction together with the verdict and audit rows it belongs to.
 */
export function settleEscrow(db: Db, escrowId: string, outcome: VerdictOutcome, at: Date): SettleResult {
  const newState = outcome === 'release' ? 'released' : 'refunded';
  const escrow = settleHeldEscrow(db, escrowId, newState, at.toISOString());
  if (!escrow) {
    const row = readEscrowState(db, escrowId);
    if (!row) throw new Error(`No escrow ${escrowId}`);
    return { moved: false, reason: row.state === 'held' && row.hold_reason !== null ? 'on_hold' : 'not_held' };
  }
  const beneficiary = outcome === 'release' ? escrow.buyer_id : escrow.seller_id;
  const movementId = insertMovement(
    db,
    escrowId,
    escrow.asset,
    outcome,
    escrowAccount(escrowId),
    partyAccount(beneficiary),
    escrow.amount_minor,
    at.toISOString(),
  );
  return { moved: true, movementId };
}

export interface LedgerCheck {
  balanced: boolean;
  problems: string[];
}

/**
 * Checks the ledger's invariants: every movement sums to zero; every escrow has one lock and at most one
 * settlement; an escrow account holds the escrowed amount while `held` and nothing once settled.
 */
export function checkLedger(db: Db): LedgerCheck {
  const problems: string[] = [];
  for (const movementId of unbalancedMovements(db)) problems.push(`movement ${movementId} does not sum to zero`);
  for (const escrow of escrowBalances(db)) {
    const expected = escrow.state === 'held' ? escrow.amount_minor : 0n;
    if (escrow.balance !== expected) problems.push(`escrow ${escrow.id} holds ${escrow.balance}, expected ${expected}`);
    if (escrow.locks !== 1n) problems.push(`escrow ${escrow.id} was locked ${escrow.locks} times`);
    const expectedSettlements = escrow.state === 'held' ? 0n : 1n;
    if (escrow.settlements !== expectedSettlements) {
      problems.push(`escrow ${escrow.id} (${escrow.state}) has ${escrow.settlements} settlements`);
    }
  }
  return { balanced: problems.length === 0, problems };
}
