// POST and DELETE /v1/cases/{id}/hold: compliance freezes a case's escrow while it looks into it. While
// the hold stands, neither release nor refund can happen (the verdict and approval updates check it).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { enqueueEscrowEvent } from '../outbound/events';
import { holdEscrow, liftEscrowHold } from '../sql/escrow';
import { caseAlreadyResolved, escrowNotOnHold, escrowOnHold } from './errors';
import { runOnce } from './idempotency';
import { requireCase } from './lookup';
import { requireStepUp } from '../auth/stepup';

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
  enqueueEscrowEvent(ctx, 'escrow.held', state.escrowId, { cause: 'compliance_hold' });
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
  enqueueEscrowEvent(ctx, 'escrow.hold_lifted', state.escrowId, { cause: 'compliance_review' });
  return changeCase(
    ctx,
    caseId,
    { actor: reviewer.id, action: 'escrow.hold_lifted', data: { escrowId: state.escrowId, reason } },
    now,
  );
}

export function registerHoldRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.placeHold, ({ user: reviewer, body, params, idempotencyKey, reply }) => {
    const once = { userId: reviewer.id, key: idempotencyKey, route: ROUTES.placeHold.path, subject: params.id };
    return runOnce(ctx, { ...once, body, status: ROUTES.placeHold.status, reply }, () =>
      placeHold(ctx, reviewer, params.id, body.reason),
    );
  });

  // Lifting a hold unblocks money, so it takes the step-up a verdict takes: a fresh code of the reviewer.
  defineRoute(app, ctx, ROUTES.liftHold, ({ user: reviewer, body, params, idempotencyKey, reply }) => {
    const once = { userId: reviewer.id, key: idempotencyKey, route: ROUTES.liftHold.path, subject: params.id };
    return runOnce(
      ctx,
      { ...once, body, status: ROUTES.liftHold.status, reply },
      () => liftHold(ctx, reviewer, params.id, body.reason),
      () => {
        requireCase(ctx.db, params.id);
        requireStepUp(ctx, reviewer, body.totp);
      },
    );
  });
}
