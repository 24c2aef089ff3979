// Verdicts: an agent's decision on a case, executed at once or proposed for a supervisor's approval.
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface VerdictRow {
  id: string;
  caseId: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  rationale: string;
  state: 'proposed' | 'executed';
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export function insertVerdict(db: Db, verdict: VerdictRow): void {
  prepared(
    db,
    `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at, approved_by, approved_at)
     VALUES (@id, @caseId, @outcome, @reasonCode, @rationale, @state, @proposedBy, @proposedAt, @approvedBy, @approvedAt)`,
  ).run(verdict);
}

/** A proposal a supervisor sent back, written whole (the demo seed's history of four-eyes cases). */
export function insertRejectedVerdict(
  db: Db,
  verdict: Omit<VerdictRow, 'state' | 'approvedBy' | 'approvedAt'> & { rejectedBy: string; rejectedAt: string; reason: string },
): void {
  prepared(
    db,
    `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at, rejected_by,
                           rejected_at, reject_reason)
     VALUES (@id, @caseId, @outcome, @reasonCode, @rationale, 'rejected', @proposedBy, @proposedAt, @rejectedBy,
             @rejectedAt, @reason)`,
  ).run(verdict);
}

export function findProposer(db: Db, caseId: string): string | null {
  const row = prepared(db, "SELECT proposed_by FROM verdicts WHERE case_id = ? AND state = 'proposed'").get(caseId) as
    | { proposed_by: string }
    | undefined;
  return row?.proposed_by ?? null;
}

export interface ExecutedProposal {
  id: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  proposedBy: string;
}

/**
 * Executes the case's proposal unless `supervisorId` may not approve it: they proposed it, or the proposer's
 * current credentials were issued by them or by whoever issued theirs (cases/approval.ts says why);
 * undefined when nothing changed.
 */
export function executeProposal(db: Db, caseId: string, supervisorId: string, at: string): ExecutedProposal | undefined {
  return prepared(
    db,
    `UPDATE verdicts SET state = 'executed', approved_by = @supervisorId, approved_at = @at
     WHERE case_id = @caseId AND state = 'proposed' AND proposed_by <> @supervisorId
       AND NOT EXISTS (
         SELECT 1 FROM users AS proposer
         WHERE proposer.id = verdicts.proposed_by
           AND proposer.credentials_issued_by IN (
             @supervisorId, (SELECT credentials_issued_by FROM users WHERE id = @supervisorId)))
     RETURNING id, outcome, reason_code AS reasonCode, proposed_by AS proposedBy`,
  ).get({ at, caseId, supervisorId }) as ExecutedProposal | undefined;
}

export interface RejectedProposal {
  id: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
}

/** Rejects the case's proposal; returns it, undefined when there was none. */
export function rejectProposal(
  db: Db,
  caseId: string,
  supervisorId: string,
  at: string,
  reason: string,
): RejectedProposal | undefined {
  return prepared(
    db,
    `UPDATE verdicts SET state = 'rejected', rejected_by = ?, rejected_at = ?, reject_reason = ?
     WHERE case_id = ? AND state = 'proposed' RETURNING id, outcome, reason_code AS reasonCode`,
  ).get(supervisorId, at, reason, caseId) as RejectedProposal | undefined;
}
