// POST /v1/cases/{id}/reassign: a supervisor hands a case to another agent (a shift change, an absence).
// The new agent holds it as if they had claimed it; a decided case stays with whoever decided it.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { reassignUndecidedCase } from '../sql/cases';
import { userRole } from '../sql/users';
import { caseAlreadyResolved } from './errors';
import { caseDetailOf, requireCase } from './lookup';

/**
 * Call inside ctx.write(). The assignee must be an agent: anyone else is a 400, since the request itself
 * is wrong. Reassigning to the current holder changes nothing and records nothing.
 */
export function reassignCase(
  ctx: ServerContext,
  supervisor: Pick<AuthUser, 'id'>,
  caseId: string,
  input: { assigneeId: string; reason: string },
): CaseDetail {
  const state = requireCase(ctx.db, caseId);
  if (userRole(ctx.db, input.assigneeId) !== 'agent') throw invalidRequest('assigneeId: not an agent');
  if (state.status === 'resolved') throw caseAlreadyResolved();
  if (state.assigneeId === input.assigneeId) return caseDetailOf(ctx, caseId);
  const now = ctx.now();
  if (!reassignUndecidedCase(ctx.db, caseId, input.assigneeId, now.toISOString()))
    throw caseAlreadyResolved();
  return changeCase(
    ctx,
    caseId,
    {
      actor: supervisor.id,
      action: 'case.reassigned',
      data: { from: state.assigneeId, to: input.assigneeId, reason: input.reason },
    },
    now,
  );
}

export function registerReassignRoute(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.reassignCase, ({ user: supervisor, body: input, params }) => {
    return ctx.write(() => reassignCase(ctx, supervisor, params.id, input));
  });
}
