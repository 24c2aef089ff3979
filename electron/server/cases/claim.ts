// POST /v1/cases/{id}/claim: an agent takes an open case. The claim is the conditional UPDATE itself, so of
// two agents claiming at once exactly one wins, whichever connection or process they come from.
import type { FastifyInstance } from 'fastify';
import type { CaseDetail } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { recordCaseChange } from '../feed/changes';
import { requireUser, type AuthUser } from '../http/session';
import { caseAlreadyResolved, caseClaimed } from './errors';
import { caseDetailOf, requireCase } from './lookup';

/**
 * Assigns the case to `agent` and starts its review. Claiming a case you already hold answers its detail
 * and changes nothing; a case someone else holds (in review or awaiting approval) is `case_claimed`.
 * Call inside ctx.write().
 */
export function claimCase(ctx: ServerContext, agent: Pick<AuthUser, 'id'>, caseId: string): CaseDetail {
  const now = ctx.now().toISOString();
  const claimed = ctx.db
    .prepare(
      `UPDATE cases SET status = 'in_review', assignee_id = ?, updated_at = ?
       WHERE id = ? AND status = 'open' AND assignee_id IS NULL`,
    )
    .run(agent.id, now, caseId);
  if (claimed.changes === 1) {
    appendAudit(ctx.db, ctx.now(), { actor: agent.id, action: 'case.claimed', subject: caseId });
    recordCaseChange(ctx, caseId);
    return caseDetailOf(ctx, caseId);
  }
  const state = requireCase(ctx.db, caseId);
  if (state.status === 'resolved') throw caseAlreadyResolved();
  if (state.assigneeId === agent.id) return caseDetailOf(ctx, caseId);
  throw caseClaimed();
}

/** A claim carries no input: no body at all, or an empty JSON object. Anything else is a client bug. */
function refuseInput(body: unknown): void {
  if (body === undefined) return;
  const empty =
    typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
  if (!empty) throw invalidRequest('A claim takes no body (or an empty JSON object).');
}

export function registerClaimRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/v1/cases/:id/claim', async (request) => {
    const agent = requireUser(ctx, request, ['agent']);
    refuseInput(request.body);
    return ctx.write(() => claimCase(ctx, agent, request.params.id));
  });
}
