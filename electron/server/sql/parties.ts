// The parties of trades: who they are, their KYC status, and which cases show them.
import type { KycStatus } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface PartyRow {
  id: string;
  displayName: string;
  kycStatus: KycStatus;
  country: string;
  accountCreatedAt: string;
  tradeCount: number;
  disputeCount: number;
}

export function insertParty(db: Db, party: PartyRow): void {
  prepared(
    db,
    `INSERT INTO parties (id, display_name, kyc_status, country, account_created_at, trade_count, dispute_count)
     VALUES (@id, @displayName, @kycStatus, @country, @accountCreatedAt, @tradeCount, @disputeCount)`,
  ).run(party);
}

export const partyExists = (db: Db, partyId: string) =>
  prepared(db, 'SELECT 1 FROM parties WHERE id = ?').get(partyId) !== undefined;

/** What a MetaMap outcome did to a party's KYC status. */
export type KycUpdate = 'changed' | 'confirmed' | 'older';

/**
 * Sets the party's KYC status from a MetaMap outcome that happened at `at`, unless the status already holds
 * as of a later event: a late or replayed outcome never undoes a newer one. The same status from a newer
 * event is `confirmed`: it now holds as of that event.
 */
export function setKycStatusAsOf(db: Db, partyId: string, status: KycStatus, at: string): KycUpdate {
  const newer = 'id = @partyId AND (kyc_status_at IS NULL OR kyc_status_at < @at)';
  const args = { partyId, status, at };
  const confirmed = prepared(
    db,
    `UPDATE parties SET kyc_status_at = @at WHERE ${newer} AND kyc_status = @status`,
  ).run(args);
  if (confirmed.changes === 1) return 'confirmed';
  const changed = prepared(db, `UPDATE parties SET kyc_status = @status, kyc_status_at = @at WHERE ${newer}`).run(
    args,
  );
  return changed.changes === 1 ? 'changed' : 'older';
}

/** Whether `partyId` is the buyer or the seller of the case's trade. */
export const isPartyOfCase = (db: Db, partyId: string, caseId: string) =>
  prepared(
    db,
    `SELECT 1 FROM cases c JOIN trades t ON t.id = c.trade_id
     WHERE c.id = ? AND ? IN (t.buyer_id, t.seller_id)`,
  ).get(caseId, partyId) !== undefined;

/** `tradeId` when it names a trade the party is the buyer or the seller of, else null. */
export function tradeOfParty(db: Db, partyId: string, tradeId: string | null): string | null {
  if (tradeId === null) return null;
  const found = prepared(db, 'SELECT 1 FROM trades WHERE id = ? AND ? IN (buyer_id, seller_id)').get(tradeId, partyId);
  return found === undefined ? null : tradeId;
}

/** The case of the trade's dispute, if it has one. */
export const caseOfTrade = (db: Db, tradeId: string) =>
  (prepared(db, 'SELECT id FROM cases WHERE trade_id = ?').get(tradeId) as { id: string } | undefined)?.id ?? null;

/**
 * The cases whose detail shows this party's checks: every unresolved case the party trades in, plus the
 * check's own case even when it is resolved (its detail lists the check too).
 */
export function casesShowingParty(db: Db, partyId: string, caseId: string | null): string[] {
  const rows = prepared(
    db,
    `SELECT c.id FROM cases c JOIN trades t ON t.id = c.trade_id
     WHERE (t.buyer_id = @partyId OR t.seller_id = @partyId) AND (c.status <> 'resolved' OR c.id IS @caseId)
     ORDER BY c.id`,
  ).all({ partyId, caseId }) as { id: string }[];
  return rows.map((row) => row.id);
}
