// The liveness_checks rows MetaMap webhooks write to (DESIGN §3). Call these inside a write transaction:
// a check is matched, created or claimed and then updated under one write lock, so two deliveries of the
// same verification cannot both create a check (provider_verification_id is also UNIQUE).
import { randomUUID } from 'node:crypto';
import type { LivenessStatus } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';

export interface CheckRow {
  id: string;
  party_id: string;
  case_id: string | null;
  trigger: 'onboarding' | 'trade';
  status: LivenessStatus;
  liveness_score: number | null;
  face_match_score: number | null;
  error_code: string | null;
  provider_verification_id: string | null;
  completed_at: string | null;
}

export interface CheckFields {
  status: LivenessStatus;
  liveness_score: number | null;
  face_match_score: number | null;
  error_code: string | null;
  completed_at: string | null;
}

const CHECK_COLUMNS = `id, party_id, case_id, trigger, status, liveness_score, face_match_score, error_code,
  provider_verification_id, completed_at`;

export function findCheckByVerification(db: Db, verificationId: string): CheckRow | null {
  return (
    (db
      .prepare(`SELECT ${CHECK_COLUMNS} FROM liveness_checks WHERE provider_verification_id = ?`)
      .get(verificationId) as CheckRow | undefined) ?? null
  );
}

export const partyExists = (db: Db, partyId: string) =>
  db.prepare('SELECT 1 FROM parties WHERE id = ?').get(partyId) !== undefined;

/** Whether `partyId` is the buyer or the seller of the case's trade. */
export const isPartyOfCase = (db: Db, partyId: string, caseId: string) =>
  db
    .prepare(
      `SELECT 1 FROM cases c JOIN trades t ON t.id = c.trade_id
       WHERE c.id = ? AND ? IN (t.buyer_id, t.seller_id)`,
    )
    .get(caseId, partyId) !== undefined;

/**
 * Gives the verification id to the newest pending check of this party and case that has none yet (the one
 * an agent's Proof of Life request created before the party opened MetaMap). Null when there is none.
 */
export function claimPendingCheck(
  db: Db,
  partyId: string,
  caseId: string | null,
  verificationId: string,
): CheckRow | null {
  const claimed = db
    .prepare(
      `UPDATE liveness_checks SET provider_verification_id = @verificationId
       WHERE id = (SELECT id FROM liveness_checks
                   WHERE party_id = @partyId AND case_id IS @caseId AND status = 'pending'
                     AND provider_verification_id IS NULL
                   ORDER BY created_at DESC, id DESC LIMIT 1)`,
    )
    .run({ verificationId, partyId, caseId });
  return claimed.changes === 1 ? findCheckByVerification(db, verificationId) : null;
}

/** A check for a verification the party started on their own in the mobile SDK. */
export function createCheck(
  db: Db,
  partyId: string,
  caseId: string | null,
  verificationId: string,
  at: Date,
): CheckRow {
  db.prepare(
    `INSERT INTO liveness_checks (id, party_id, case_id, trigger, status, provider, provider_verification_id, created_at)
     VALUES (?, ?, ?, ?, 'pending', 'metamap', ?, ?)`,
  ).run(
    `LIV-${randomUUID()}`,
    partyId,
    caseId,
    caseId ? 'trade' : 'onboarding',
    verificationId,
    at.toISOString(),
  );
  return findCheckByVerification(db, verificationId)!;
}

export function updateCheck(db: Db, checkId: string, fields: CheckFields): void {
  db.prepare(
    `UPDATE liveness_checks SET status = @status, liveness_score = @liveness_score,
       face_match_score = @face_match_score, error_code = @error_code, completed_at = @completed_at
     WHERE id = @id`,
  ).run({ ...fields, id: checkId });
}

/**
 * The cases whose detail shows this party's checks: every unresolved case the party trades in, plus the
 * check's own case even when it is resolved (its detail lists the check too).
 */
export function casesShowingParty(db: Db, partyId: string, caseId: string | null): string[] {
  const rows = db
    .prepare(
      `SELECT c.id FROM cases c JOIN trades t ON t.id = c.trade_id
       WHERE (t.buyer_id = @partyId OR t.seller_id = @partyId) AND (c.status <> 'resolved' OR c.id IS @caseId)
       ORDER BY c.id`,
    )
    .all({ partyId, caseId }) as { id: string }[];
  return rows.map((row) => row.id);
}
