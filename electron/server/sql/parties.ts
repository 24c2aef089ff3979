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

export function setKycStatus(db: Db, partyId: string, status: KycStatus): void {
  prepared(db, 'UPDATE parties SET kyc_status = ? WHERE id = ?').run(status, partyId);
}

/** Whether `partyId` is the buyer or the seller of the case's trade. */
export const isPartyOfCase = (db: Db, partyId: string, caseId: string) =>
  prepared(
    db,
    `SELECT 1 FROM cases c JOIN trades t ON t.id = c.trade_id
     WHERE c.id = ? AND ? IN (t.buyer_id, t.seller_id)`,
  ).get(caseId, partyId) !== undefined;

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
