// POST and DELETE /v1/cases/{id}/hold: compliance freezes a case's escrow while it looks into it. While
// the hold stands, neither release nor refund can happen (the verdict and approval updates check it).
import type { FastifyInstance } from 'fastify';
import type { CaseDetail } from '../../../shared/api/types';
import { holdBody } from '../../../shared/api/requests';
import type { ServerContext } from '../context';
import { changeCase } from '../feed/changes';
import { requireUser, type AuthUser } from '../http/session';
import { parseInput } from '../http/validate';
import { holdEscrow, liftEscrowHold } from '../sql/escrow';
import { caseAlreadyResolved, escrowNotOnHold, escrowOnHold } from './errors';
import { requireCase } from './lookup';

/** Call inside ctx.write(). 409 when the escrow is already on hold or has already moved. */
export function placeHold(
  ctx: ServerContext,
  reviewer: Pick<AuthUser, 'id'>,
  caseId: string,
  reason: string,
): CaseDetail {
  const state = requireCase(ctx.db, caseId);
  const now = ctx.now();
  const held = holdEscrow(ctx.db, state.escrowId, { reason, by: reviewer.id, at: now.toISOString() });
  if (!held) throw state.escrowState === 'held' ? escrowOnHold() : caseAlreadyResolved();
  return changeCase(
    ctx,
    caseId,
    { actor: reviewer.id, action: 'escrow.hold_placed', data: { escrowId: state.escrowId, reason } },
    now,
  );
}

/** Call inside ctx.write(). 409 when there is no hold to lift. */
export function liftHold(
  ctx: ServerContext,
  reviewer: Pick<AuthUser, 'id'>,
  caseId: string,
  reason: string,
): CaseDetail {
  const state = requireCase(ctx.db, caseId);
  const now = ctx.now();
  if (!liftEscrowHold(ctx.db, state.escrowId, now.toISOString())) throw escrowNotOnHold();
  return changeCase(
    ctx,
    caseId,
    { actor: reviewer.id, action: 'escrow.hold_lifted', data: { escrowId: state.escrowId, reason } },
    now,
  );
}

export function registerHoldRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/v1/cases/:id/hold', async (request) => {
    const reviewer = requireUser(ctx, request, ['compliance']);
    const input = parseInput(holdBody, request.body);
    return ctx.write(() => placeHold(ctx, reviewer, request.params.id, input.reason));
  });

  app.delete<{ Params: { id: string } }>('/v1/cases/:id/hold', async (request) => {
    const reviewer = requireUser(ctx, request, ['compliance']);
    const input = parseInput(holdBody, request.body);
    return ctx.write(() => liftHold(ctx, reviewer, request.params.id, input.reason));
  });
}
