// POST /v1/cases/{id}/liveness-requests: the agent holding a case asks its buyer or seller for a new Proof
// of Life (DESIGN §3). The check starts `pending`; MetaMap's webhooks fill it in, matched by its party and
// case.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { LivenessCheck } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { insertLivenessCheck, pendingTradeCheck } from '../sql/liveness';
import { caseAlreadyResolved } from './errors';
import { requireHeldCase } from './lookup';

/**
 * Call inside ctx.write(). A party of another case is a 400: the request names the party relative to
 * this case, so it is the request that is wrong, not a missing resource. A decided case needs no new check.
 */
export function requestLiveness(
  ctx: ServerContext,
  agent: AuthUser,
  caseId: string,
  partyId: string,
): LivenessCheck {
  const state = requireHeldCase(ctx.db, caseId, agent);
  if (partyId !== state.buyerId && partyId !== state.sellerId) {
    throw invalidRequest('partyId: not the buyer or the seller of this case');
  }
  if (state.status === 'resolved') throw caseAlreadyResolved();
  const now = ctx.now();
  const row = pendingTradeCheck({
    id: `LIV-${randomUUID()}`,
    partyId,
    caseId,
    requestedBy: agent.id,
    createdAt: now.toISOString(),
  });
  insertLivenessCheck(ctx.db, row);
  const check: LivenessCheck = {
    ...row,
    frames: [...row.frames],
    provider: 'metamap',
    requestedBy: { id: agent.id, username: agent.username, displayName: agent.displayName },
  };
  changeCase(
    ctx,
    caseId,
    { actor: agent.id, action: 'liveness.requested', data: { checkId: check.id, partyId } },
    now,
  );
  return check;
}

export function registerLivenessRequestRoute(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.requestLiveness, ({ user: agent, body: input, params }) => {
    return ctx.write(() => requestLiveness(ctx, agent, params.id, input.partyId));
  });
}
