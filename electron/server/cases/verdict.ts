// The verdict itself: the state check and the move, in one transaction (DESIGN §2). The HTTP contract
// around it (idempotency key, holder, step-up code) is in verdict-route.ts.
import { randomUUID } from 'node:crypto';
import type { VerdictResponse } from '../../../shared/api/types';
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import type { ApiError } from '../errors';
import { changeCaseUnread } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { decideCaseInReview } from '../sql/cases';
import { enqueueExecutedVerdict, enqueueVerdictEvent } from '../outbound/events';
import { issuerChainOf } from '../sql/issuer-chain';
import { insertVerdict } from '../sql/verdicts';
import {
  caseAlreadyResolved,
  caseNotInReview,
  escrowOnHold,
  notCaseHolder,
  verdictPendingApproval,
} from './errors';
import { caseDetailOf, requireCase, type CaseState } from './lookup';
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
 * takeVerdict, answered with the case as it leaves it: a verdict on its own (the race tests' workers). The
 * verdict route reads the answers of a whole write batch at once instead (verdict-route.ts). Call inside
 * ctx.write().
 */
export function issueVerdict(
  ctx: ServerContext,
  agent: Pick<AuthUser, 'id'>,
  caseId: string,
  decision: VerdictDecision,
): VerdictResponse {
  takeVerdict(ctx, agent, caseId, decision);
  return verdictResult(caseDetailOf(ctx, caseId));
}

/**
 * Takes the verdict: on a four-eyes case it becomes a proposal awaiting a supervisor and nothing moves;
 * otherwise the escrow moves, exactly once. The conditional UPDATE of the case is the state check: of
 * any number of concurrent verdicts (any connection, any process) exactly one changes the row. Call
 * inside ctx.write(); throws an ApiError for a case in the wrong state. The answer (the case's detail)
 * is the caller's to read: the verdict route reads those of a whole batch at once.
 */
export function takeVerdict(
  ctx: ServerContext,
  agent: Pick<AuthUser, 'id'>,
  caseId: string,
  decision: VerdictDecision,
): void {
  const now = ctx.now();
  const at = now.toISOString();
  const decided = decideCaseInReview(ctx.db, caseId, agent.id, at);
  if (!decided) throw verdictConflict(requireCase(ctx.db, caseId), agent.id);

  const executed = decided.status === 'resolved';
  const movementId = executed ? settleVerdictEscrow(ctx.db, decided.escrowId, decision.outcome, now) : null;
  const verdictId = `VRD-${randomUUID()}`;
  insertVerdict(ctx.db, {
    id: verdictId,
    caseId,
    outcome: decision.outcome,
    reasonCode: decision.reasonCode,
    rationale: decision.rationale,
    state: executed ? 'executed' : 'proposed',
    proposedBy: agent.id,
    proposedAt: at,
    approvedBy: null,
    approvedAt: null,
    // Who could act as the agent now is who may not approve it, whatever is re-issued later (approval.ts).
    ...(executed ? {} : { proposerIssuerChain: issuerChainOf(ctx.db, agent.id) }),
  });
  const notice = {
    verdictId,
    caseId,
    escrowId: decided.escrowId,
    outcome: decision.outcome,
    reasonCode: decision.reasonCode,
  };
  if (movementId) enqueueExecutedVerdict(ctx, notice, movementId);
  else enqueueVerdictEvent(ctx, { ...notice, state: 'proposed' });
  changeCaseUnread(
    ctx,
    caseId,
    {
      actor: agent.id,
      action: executed ? 'verdict.executed' : 'verdict.proposed',
      data: {
        verdictId,
        outcome: decision.outcome,
        reasonCode: decision.reasonCode,
        rationale: decision.rationale,
        escrowId: decided.escrowId,
        ...(movementId ? { movementId } : {}),
      },
    },
    now,
  );
}
