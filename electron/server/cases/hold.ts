// POST and DELETE /v1/cases/{id}/hold: compliance freezes a case's escrow while it looks into it. While
// the hold stands, neither release nor refund can happen (the verdict and approval updates check it).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { recordCaseChange } from '../feed/changes';
import { defineRoute } from '../http/route';
import type { AuthUser } from '../http/session';
import { caseAlreadyResolved, escrowNotOnHold, escrowOnHold } from './errors';
import { caseDetailOf, requireCase } from './lookup';

/** Call inside ctx.write(). 409 when the escrow is already on hold or has already moved. */
export function placeHold(
  ctx: ServerContext,
  reviewer: Pick<AuthUser, 'id'>,
  caseId: string,
  reason: string,
): CaseDetail {
  const state = requireCase(ctx.db, caseId);
  const now = ctx.now();
  const at = now.toISOString();
  const held = ctx.db
    .prepare(
      `UPDATE escrows SET hold_reason = ?, hold_by = ?, hold_at = ?, updated_at = ?
       WHERE id = ? AND state = 'held' AND hold_reason IS NULL`,
    )
    .run(reason, reviewer.id, at, at, state.escrowId);
  if (held.changes !== 1) throw state.escrowState === 'held' ? escrowOnHold() : caseAlreadyResolved();
  appendAudit(ctx.db, now, {
    actor: reviewer.id,
    action: 'escrow.hold_placed',
    subject: caseId,
    data: { escrowId: state.escrowId, reason },
  });
  recordCaseChange(ctx, caseId);
  return caseDetailOf(ctx, caseId);
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
  const lifted = ctx.db
    .prepare(
      `UPDATE escrows SET hold_reason = NULL, hold_by = NULL, hold_at = NULL, updated_at = ?
       WHERE id = ? AND hold_reason IS NOT NULL RETURNING hold_reason`,
    )
    .get(now.toISOString(), state.escrowId);
  if (!lifted) throw escrowNotOnHold();
  appendAudit(ctx.db, now, {
    actor: reviewer.id,
    action: 'escrow.hold_lifted',
    subject: caseId,
    data: { escrowId: state.escrowId, reason },
  });
  recordCaseChange(ctx, caseId);
  return caseDetailOf(ctx, caseId);
}

export function registerHoldRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.placeHold, ({ user: reviewer, body: input, params }) => {
    return ctx.write(() => placeHold(ctx, reviewer, params.id, input.reason));
  });

  defineRoute(app, ctx, ROUTES.liftHold, ({ user: reviewer, body: input, params }) => {
    return ctx.write(() => liftHold(ctx, reviewer, params.id, input.reason));
  });
}
