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

/**
 * `proposerIssuerChain`: for a proposal, the proposer's issuer chain as it is now (sql/issuer-chain.ts),
 * kept so that re-issuing their credentials later does not change who may approve it; omitted otherwise.
 */
export function insertVerdict(db: Db, verdict: VerdictRow & { proposerIssuerChain?: readonly string[] }): void {
  const { proposerIssuerChain, ...row } = verdict;
  prepared(
    db,
    `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at, approved_by,
                           approved_at, proposer_issuer_chain)
     VALUES (@id, @caseId, @outcome, @reasonCode, @rationale, @state, @proposedBy, @proposedAt, @approvedBy,
             @approvedAt, @proposerIssuerChain)`,
  ).run({ ...row, proposerIssuerChain: proposerIssuerChain ? JSON.stringify(proposerIssuerChain) : null });
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

export interface PendingProposal {
  proposedBy: string;
  /** The proposer's issuer chain when they proposed; null for a proposal made before it was recorded. */
  proposerIssuerChain: string[] | null;
}

export function findPendingProposal(db: Db, caseId: string): PendingProposal | null {
  const row = prepared(
    db,
    `SELECT proposed_by AS proposedBy, proposer_issuer_chain AS chain FROM verdicts
     WHERE case_id = ? AND state = 'proposed'`,
  ).get(caseId) as { proposedBy: string; chain: string | null } | undefined;
  if (!row) return null;
  return { proposedBy: row.proposedBy, proposerIssuerChain: row.chain === null ? null : (JSON.parse(row.chain) as string[]) };
}

export interface ExecutedProposal {
  id: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  proposedBy: string;
}

/**
 * Executes the case's proposal as approved by `supervisorId`; undefined when it has none. Whether they may
 * approve it (cases/approval.ts, approvalRefusal) is decided in the same write transaction, just before.
 */
export function executeProposal(db: Db, caseId: string, supervisorId: string, at: string): ExecutedProposal | undefined {
  return prepared(
    db,
    `UPDATE verdicts SET state = 'executed', approved_by = @supervisorId, approved_at = @at
     WHERE case_id = @caseId AND state = 'proposed'
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
