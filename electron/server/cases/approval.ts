// Four-eyes (DESIGN §2): a verdict on a case worth at least the threshold is only a proposal until a
// supervisor other than the proposer approves it (the escrow moves then, exactly once) or rejects it (the
// case goes back to its agent in review, nothing moves). The moves; the routes are in approval-routes.ts.
//
// Two pairs of eyes must be two people, and whoever holds an invitation may enrol as its account: the
// supervisor who issued someone's credentials (created the account or reset its 2FA) can act as them, and
// so can whoever issued that supervisor's, and so on (their issuer chain, sql/issuer-chain.ts). So a
// supervisor may approve a proposal only if no one could control both them and the proposer: they are not
// in the proposer's issuer chain, the proposer is not in theirs, and the two chains share nobody. Otherwise
// one person creates (or resets) a second supervisor, enrols as them, creates an agent as that supervisor,
// enrols as the agent, proposes, and approves: four eyes become two, however long the chain. The
// proposer's chain counts as it was when they proposed as well as it is now, so a later 2FA reset of the
// proposer does not open the approval to whoever held their credentials then. Sending a proposal back
// moves nothing: any supervisor may.
import type { VerdictResponse } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { apiError, forbidden, type ApiError } from '../errors';
import { changeCase } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { enqueueExecutedVerdict, enqueueVerdictEvent } from '../outbound/events';
import { reopenPendingCase, resolvePendingCase } from '../sql/cases';
import { issuerChainOf } from '../sql/issuer-chain';
import { executeProposal, findPendingProposal, rejectProposal, type PendingProposal } from '../sql/verdicts';
import { caseAlreadyResolved, escrowOnHold, noProposedVerdict } from './errors';
import { requireCase, type CaseState } from './lookup';
import { settleVerdictEscrow, verdictResult } from './settle';

const proposerMayNotApprove = () => forbidden('You proposed this verdict: another supervisor must approve it.');

const issuerMayNotApprove = () =>
  apiError(
    'issuer_may_not_approve',
    'You issued the sign-in of the person who proposed this verdict, or of someone who issued theirs (you ' +
      'created an account or reset its two-step sign-in along the way), so you could act as them: a ' +
      'supervisor outside that chain must approve it.',
  );

const sharedIssuerMayNotApprove = () =>
  apiError(
    'issuer_may_not_approve',
    'Someone issued both your sign-in and that of the person who proposed this verdict (directly or through ' +
      'others they issued), so one person could act as both of you: a supervisor whose sign-in has nobody ' +
      'in common with theirs must approve it.',
  );

/** Everyone who could act as the proposer: the proposer and both their chains, when proposed and now. */
function proposerSide(ctx: ServerContext, proposal: PendingProposal): Set<string> {
  return new Set([proposal.proposedBy, ...(proposal.proposerIssuerChain ?? []), ...issuerChainOf(ctx.db, proposal.proposedBy)]);
}

/**
 * Why this supervisor may not approve the case's proposal; null when they may (or there is none). Called
 * before the step-up code is spent and again inside the approval's write transaction (approveVerdict).
 */
export function approvalRefusal(ctx: ServerContext, supervisorId: string, caseId: string): ApiError | null {
  const proposal = findPendingProposal(ctx.db, caseId);
  if (proposal === null) return null;
  if (proposal.proposedBy === supervisorId) return proposerMayNotApprove();
  const couldActAsProposer = proposerSide(ctx, proposal);
  if (couldActAsProposer.has(supervisorId)) return issuerMayNotApprove();
  const couldActAsSupervisor = issuerChainOf(ctx.db, supervisorId);
  if (couldActAsSupervisor.some((person) => couldActAsProposer.has(person))) return sharedIssuerMayNotApprove();
  return null;
}

function pendingConflict(state: CaseState): ApiError {
  if (state.status === 'resolved') return caseAlreadyResolved();
  if (state.status !== 'pending_approval') return noProposedVerdict();
  return escrowOnHold();
}

/**
 * Carries out the proposed verdict if this supervisor may approve it. The conditional UPDATE of the case
 * decides: of two supervisors approving at once, one changes the row and the other finds the case
 * resolved. Call inside ctx.write().
 */
export function approveVerdict(
  ctx: ServerContext,
  supervisor: Pick<AuthUser, 'id'>,
  caseId: string,
): VerdictResponse {
  // Decided in this write transaction (BEGIN IMMEDIATE), so no account can be re-issued in between.
  const refusal = approvalRefusal(ctx, supervisor.id, caseId);
  if (refusal) throw refusal;
  const now = ctx.now();
  const at = now.toISOString();
  const approved = resolvePendingCase(ctx.db, caseId, at);
  if (!approved) throw pendingConflict(requireCase(ctx.db, caseId));
  const verdict = executeProposal(ctx.db, caseId, supervisor.id, at);
  if (!verdict) throw new Error(`approveVerdict: case ${caseId} was pending approval without a proposal`);
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
