// Four-eyes (DESIGN §2): a verdict on a case worth at least the threshold is only a proposal until a
// supervisor other than the proposer approves it (the escrow moves then, exactly once) or rejects it (the
// case goes back to its agent in review, nothing moves). The moves; the routes are in approval-routes.ts.
import type { VerdictResponse } from '../../../shared/api/types';
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { forbidden, type ApiError } from '../errors';
import { recordCaseChange } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { caseAlreadyResolved, escrowOnHold, noProposedVerdict } from './errors';
import { requireCase, type CaseState } from './lookup';
import { settleVerdictEscrow, verdictResult } from './settle';

export const proposerMayNotApprove = () =>
  forbidden('You proposed this verdict: another supervisor must approve it.');

export function proposerOf(ctx: ServerContext, caseId: string): string | null {
  const row = ctx.db
    .prepare("SELECT proposed_by FROM verdicts WHERE case_id = ? AND state = 'proposed'")
    .get(caseId) as { proposed_by: string } | undefined;
  return row?.proposed_by ?? null;
}

function pendingConflict(state: CaseState): ApiError {
  if (state.status === 'resolved') return caseAlreadyResolved();
  if (state.status !== 'pending_approval') return noProposedVerdict();
  return escrowOnHold();
}

/**
 * Carries out the proposed verdict. The conditional UPDATE of the case decides: of two supervisors
 * approving at once, one changes the row and the other finds the case resolved. Call inside ctx.write().
 */
export function approveVerdict(
  ctx: ServerContext,
  supervisor: Pick<AuthUser, 'id'>,
  caseId: string,
): VerdictResponse {
  const now = ctx.now();
  const at = now.toISOString();
  const approved = ctx.db
    .prepare(
      `UPDATE cases SET status = 'resolved', updated_at = @at
       WHERE id = @caseId AND status = 'pending_approval'
         AND NOT EXISTS (SELECT 1 FROM escrows e WHERE e.id = cases.escrow_id AND e.hold_reason IS NOT NULL)
       RETURNING escrow_id AS escrowId`,
    )
    .get({ at, caseId }) as { escrowId: string } | undefined;
  if (!approved) throw pendingConflict(requireCase(ctx.db, caseId));
  const verdict = ctx.db
    .prepare(
      `UPDATE verdicts SET state = 'executed', approved_by = @supervisorId, approved_at = @at
       WHERE case_id = @caseId AND state = 'proposed' AND proposed_by <> @supervisorId
       RETURNING id, outcome, reason_code AS reasonCode, proposed_by AS proposedBy`,
    )
    .get({ at, caseId, supervisorId: supervisor.id }) as
    { id: string; outcome: VerdictOutcome; reasonCode: ReasonCode; proposedBy: string } | undefined;
  // The case was pending approval, so its proposal exists: only its proposer can miss it.
  if (!verdict) throw proposerMayNotApprove();
  const movementId = settleVerdictEscrow(ctx.db, approved.escrowId, verdict.outcome, now);
  appendAudit(ctx.db, now, {
    actor: supervisor.id,
    action: 'verdict.approved',
    subject: caseId,
    data: {
      verdictId: verdict.id,
      outcome: verdict.outcome,
      reasonCode: verdict.reasonCode,
      proposedBy: verdict.proposedBy,
      escrowId: approved.escrowId,
      movementId,
    },
  });
  recordCaseChange(ctx, caseId);
  return verdictResult(ctx, caseId);
}

/** Turns the proposal down: the case returns to its agent in review. Call inside ctx.write(). */
export function rejectVerdict(
  ctx: ServerContext,
  supervisor: Pick<AuthUser, 'id'>,
  caseId: string,
  reason: string,
): VerdictResponse {
  const now = ctx.now();
  const at = now.toISOString();
  const reopened = ctx.db
    .prepare(
      `UPDATE cases SET status = 'in_review', updated_at = ? WHERE id = ? AND status = 'pending_approval'`,
    )
    .run(at, caseId);
  if (reopened.changes !== 1) {
    const state = requireCase(ctx.db, caseId);
    throw state.status === 'resolved' ? caseAlreadyResolved() : noProposedVerdict();
  }
  const verdict = ctx.db
    .prepare(
      `UPDATE verdicts SET state = 'rejected', rejected_by = ?, rejected_at = ?, reject_reason = ?
       WHERE case_id = ? AND state = 'proposed' RETURNING id`,
    )
    .get(supervisor.id, at, reason, caseId) as { id: string } | undefined;
  if (!verdict) throw new Error(`rejectVerdict: case ${caseId} was pending approval without a proposal`);
  appendAudit(ctx.db, now, {
    actor: supervisor.id,
    action: 'verdict.rejected',
    subject: caseId,
    data: { verdictId: verdict.id, reason },
  });
  recordCaseChange(ctx, caseId);
  return verdictResult(ctx, caseId);
}
