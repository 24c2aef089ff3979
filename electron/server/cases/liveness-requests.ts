// POST /v1/cases/{id}/liveness-requests: the agent holding a case asks its buyer or seller for a new Proof
// of Life (DESIGN §3). The check starts `pending`; MetaMap's webhooks fill it in, matched by its party and
// case.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LivenessCheck } from '../../../shared/api/types';
import { livenessRequestBody } from '../../../shared/api/requests';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { changeCase } from '../feed/changes';
import { requireUser, type AuthUser } from '../http/session';
import { parseInput } from '../http/validate';
import { insertLivenessCheck } from '../sql/liveness';
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
  const check: LivenessCheck = {
    id: `LIV-${randomUUID()}`,
    partyId,
    caseId,
    trigger: 'trade',
    status: 'pending',
    livenessScore: null,
    faceMatchScore: null,
    documentType: null,
    idPhoto: null,
    frames: [],
    errorCode: null,
    provider: 'metamap',
    providerVerificationId: null,
    requestedBy: { id: agent.id, username: agent.username, displayName: agent.displayName },
    createdAt: now.toISOString(),
    completedAt: null,
  };
  insertLivenessCheck(ctx.db, {
    id: check.id,
    partyId,
    caseId,
    trigger: 'trade',
    status: 'pending',
    livenessScore: null,
    faceMatchScore: null,
    documentType: null,
    idPhoto: null,
    frames: [],
    errorCode: null,
    providerVerificationId: null,
    requestedBy: agent.id,
    createdAt: check.createdAt,
    completedAt: null,
  });
  changeCase(ctx, caseId, { actor: agent.id, action: 'liveness.requested', data: { checkId: check.id, partyId } }, now);
  return check;
}

export function registerLivenessRequestRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/v1/cases/:id/liveness-requests', async (request, reply) => {
    const agent = requireUser(ctx, request, ['agent']);
    const input = parseInput(livenessRequestBody, request.body);
    const check = ctx.write(() => requestLiveness(ctx, agent, request.params.id, input.partyId));
    return reply.status(201).send(check);
  });
}
