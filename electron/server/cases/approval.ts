// Four-eyes (DESIGN §2): a verdict on a case worth at least the threshold is only a proposal until a
// supervisor other than the proposer approves it (the escrow moves then, exactly once) or rejects it (the
// case goes back to its agent in review, nothing moves). The moves; the routes are in approval-routes.ts.
//
// Two pairs of eyes must be two people, and a supervisor who issued someone's credentials (created the
// account or reset its 2FA: the invitation came back to them) could have enrolled as that person. So the
// approver may not be the supervisor who issued the proposer's current credentials, nor one whose own
// credentials came from that supervisor (who could otherwise reset a second supervisor, enrol as both, and
// approve as the second). Sending a proposal back moves nothing: any supervisor may.
import type { VerdictResponse } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { apiError, forbidden, type ApiError } from '../errors';
import { changeCase } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { enqueueExecutedVerdict, enqueueVerdictEvent } from '../outbound/events';
import { reopenPendingCase, resolvePendingCase } from '../sql/cases';
import { credentialsIssuerOf } from '../sql/users';
import { executeProposal, findProposer, rejectProposal } from '../sql/verdicts';
import { caseAlreadyResolved, escrowOnHold, noProposedVerdict } from './errors';
import { requireCase, type CaseState } from './lookup';
import { settleVerdictEscrow, verdictResult } from './settle';

const proposerMayNotApprove = () => forbidden('You proposed this verdict: another supervisor must approve it.');

const issuerMayNotApprove = () =>
  apiError(
    'issuer_may_not_approve',
    'You issued the sign-in of the agent who proposed this verdict (you created their account or reset ' +
      'their two-step sign-in): another supervisor must approve it.',
  );

const sameIssuerMayNotApprove = () =>
  apiError(
    'issuer_may_not_approve',
    'The supervisor who issued your sign-in also issued that of the agent who proposed this verdict: a ' +
      'supervisor whose sign-in they did not issue must approve it.',
  );

/** Why this supervisor may not approve the case's proposal; null when they may (or there is none). */
export function approvalRefusal(ctx: ServerContext, supervisorId: string, caseId: string): ApiError | null {
  const proposer = findProposer(ctx.db, caseId);
  if (proposer === null) return null;
  if (proposer === supervisorId) return proposerMayNotApprove();
  const proposerIssuer = credentialsIssuerOf(ctx.db, proposer);
  if (proposerIssuer === null) return null;
  if (proposerIssuer === supervisorId) return issuerMayNotApprove();
  if (proposerIssuer === credentialsIssuerOf(ctx.db, supervisorId)) return sameIssuerMayNotApprove();
  return null;
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
  const approved = resolvePendingCase(ctx.db, caseId, at);
  if (!approved) throw pendingConflict(requireCase(ctx.db, caseId));
  const verdict = executeProposal(ctx.db, caseId, supervisor.id, at);
  // The case was pending approval, so its proposal exists: only a supervisor who may not approve it misses.
  if (!verdict) {
    throw approvalRefusal(ctx, supervisor.id, caseId) ?? new Error(`approveVerdict: case ${caseId} has no proposal`);
  }
  const movementId = settleVerdictEscrow(ctx.db, approved.escrowId, verdict.outcome, now);
  enqueueExecutedVerdict(
    ctx,
    {
      verdictId: verdict.id,
      caseId,
      escrowId: approved.escrowId,
      outcome: verdict.outcome,
      reasonCode: verdict.reasonCode,
    },
    movementId,
  );
  const detail = changeCase(
    ctx,
    caseId,
    {
      actor: supervisor.id,
      action: 'verdict.approved',
      data: {
        verdictId: verdict.id,
        outcome: verdict.outcome,
        reasonCode: verdict.reasonCode,
        proposedBy: verdict.proposedBy,
        escrowId: approved.escrowId,
        movementId,
      },
    },
    now,
  );
  return verdictResult(detail);
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
  if (!reopenPendingCase(ctx.db, caseId, at)) {
    const state = requireCase(ctx.db, caseId);
    throw state.status === 'resolved' ? caseAlreadyResolved() : noProposedVerdict();
  }
  const proposal = rejectProposal(ctx.db, caseId, supervisor.id, at, reason);
  if (!proposal) throw new Error(`rejectVerdict: case ${caseId} was pending approval without a proposal`);
  // The exchange heard of the proposal (verdict.proposed): it hears that it will not apply either.
  enqueueVerdictEvent(ctx, {
    verdictId: proposal.id,
    caseId,
    escrowId: requireCase(ctx.db, caseId).escrowId,
    outcome: proposal.outcome,
    reasonCode: proposal.reasonCode,
    state: 'sent_back',
  });
  const detail = changeCase(
    ctx,
    caseId,
    { actor: supervisor.id, action: 'verdict.rejected', data: { verdictId: proposal.id, reason } },
    now,
  );
  return verdictResult(detail);
}
