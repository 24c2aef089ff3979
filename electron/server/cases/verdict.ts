// The verdict itself: the state check and the move, in one transaction (DESIGN §2). The HTTP contract
// around it (idempotency key, holder, step-up code) is in verdict-route.ts.
import { randomUUID } from 'node:crypto';
import type { VerdictResponse } from '../../../shared/api/types';
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import type { ApiError } from '../errors';
import { recordCaseChange } from '../feed/changes';
import type { AuthUser } from '../http/session';
import {
  caseAlreadyResolved,
  caseNotInReview,
  escrowOnHold,
  notCaseHolder,
  verdictPendingApproval,
} from './errors';
import { requireCase, type CaseState } from './lookup';
import { settleVerdictEscrow, verdictResult } from './settle';

export interface VerdictDecision {
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  rationale: string;
}

/** Why a verdict on this case cannot be taken now, in the order a client should learn it. */
function verdictConflict(state: CaseState, agentId: string): ApiError {
  if (state.status === 'resolved') return caseAlreadyResolved();
  if (state.status === 'pending_approval') return verdictPendingApproval();
  if (state.assigneeId !== agentId) return notCaseHolder();
  if (state.status !== 'in_review') return caseNotInReview();
  if (state.onHold) return escrowOnHold();
  throw new Error(`verdictConflict: case ${state.id} looks decidable`);
}

/**
 * Takes the verdict: on a four-eyes case it becomes a proposal awaiting a supervisor and nothing moves;
 * otherwise the escrow moves, exactly once. The conditional UPDATE of the case is the state check: of
 * any number of concurrent verdicts (any connection, any process) exactly one changes the row. Call
 * inside ctx.write(); throws an ApiError for a case in the wrong state.
 */
export function issueVerdict(
  ctx: ServerContext,
  agent: Pick<AuthUser, 'id'>,
  caseId: string,
  decision: VerdictDecision,
): VerdictResponse {
  const now = ctx.now();
  const at = now.toISOString();
  const decided = ctx.db
    .prepare(
      `UPDATE cases SET status = CASE four_eyes WHEN 1 THEN 'pending_approval' ELSE 'resolved' END, updated_at = @at
       WHERE id = @caseId AND status = 'in_review' AND assignee_id = @agentId
         AND NOT EXISTS (SELECT 1 FROM escrows e WHERE e.id = cases.escrow_id AND e.hold_reason IS NOT NULL)
       RETURNING status, escrow_id AS escrowId`,
    )
    .get({ at, caseId, agentId: agent.id }) as
    { status: 'pending_approval' | 'resolved'; escrowId: string } | undefined;
  if (!decided) throw verdictConflict(requireCase(ctx.db, caseId), agent.id);

  const executed = decided.status === 'resolved';
  const movementId = executed ? settleVerdictEscrow(ctx.db, decided.escrowId, decision.outcome, now) : null;
  const verdictId = `VRD-${randomUUID()}`;
  ctx.db
    .prepare(
      `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      verdictId,
      caseId,
      decision.outcome,
      decision.reasonCode,
      decision.rationale,
      executed ? 'executed' : 'proposed',
      agent.id,
      at,
    );
  appendAudit(ctx.db, now, {
    actor: agent.id,
    action: executed ? 'verdict.executed' : 'verdict.proposed',
    subject: caseId,
    data: {
      verdictId,
      outcome: decision.outcome,
      reasonCode: decision.reasonCode,
      rationale: decision.rationale,
      escrowId: decided.escrowId,
      ...(movementId ? { movementId } : {}),
    },
  });
  recordCaseChange(ctx, caseId);
  return verdictResult(ctx, caseId);
}
