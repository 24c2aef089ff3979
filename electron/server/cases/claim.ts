// POST /v1/cases/{id}/claim: an agent takes an open case. The claim is the conditional UPDATE itself, so of
// two agents claiming at once exactly one wins, whichever connection or process they come from.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { claimOpenCase } from '../sql/cases';
import { caseAlreadyResolved, caseClaimed } from './errors';
import { caseDetailOf, requireCase } from './lookup';

/**
 * Assigns the case to `agent` and starts its review. Claiming a case you already hold answers its detail
 * and changes nothing; a case someone else holds (in review or awaiting approval) is `case_claimed`.
 * Call inside ctx.write().
 */
export function claimCase(ctx: ServerContext, agent: Pick<AuthUser, 'id'>, caseId: string): CaseDetail {
  const now = ctx.now();
  if (claimOpenCase(ctx.db, caseId, agent.id, now.toISOString())) {
    return changeCase(ctx, caseId, { actor: agent.id, action: 'case.claimed' }, now);
  }
  const state = requireCase(ctx.db, caseId);
  if (state.status === 'resolved') throw caseAlreadyResolved();
  if (state.assigneeId === agent.id) return caseDetailOf(ctx, caseId);
  throw caseClaimed();
}

export function registerClaimRoute(app: FastifyInstance, ctx: ServerContext): void {
  // The contract's claim body refuses any input: no body at all, or an empty JSON object.
  defineRoute(app, ctx, ROUTES.claimCase, ({ user: agent, params }) => {
    return ctx.write(() => claimCase(ctx, agent, params.id));
  });
}
