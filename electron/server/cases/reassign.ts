// POST /v1/cases/{id}/reassign: a supervisor hands a case to another agent (a shift change, an absence).
// The new agent holds it as if they had claimed it; a decided case stays with whoever decided it.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { recordCaseChange } from '../feed/changes';
import { defineRoute } from '../http/route';
import type { AuthUser } from '../http/session';
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
  const assignee = ctx.db.prepare('SELECT role FROM users WHERE id = ?').get(input.assigneeId) as
    { role: string } | undefined;
  if (assignee?.role !== 'agent') throw invalidRequest('assigneeId: not an agent');
  if (state.status === 'resolved') throw caseAlreadyResolved();
  if (state.assigneeId === input.assigneeId) return caseDetailOf(ctx, caseId);
  const now = ctx.now();
  const moved = ctx.db
    .prepare(
      `UPDATE cases SET assignee_id = @assigneeId, updated_at = @at,
              status = CASE status WHEN 'open' THEN 'in_review' ELSE status END
       WHERE id = @caseId AND status <> 'resolved'`,
    )
    .run({ assigneeId: input.assigneeId, at: now.toISOString(), caseId });
  if (moved.changes !== 1) throw caseAlreadyResolved();
  appendAudit(ctx.db, now, {
    actor: supervisor.id,
    action: 'case.reassigned',
    subject: caseId,
    data: { from: state.assigneeId, to: input.assigneeId, reason: input.reason },
  });
  recordCaseChange(ctx, caseId);
  return caseDetailOf(ctx, caseId);
}

export function registerReassignRoute(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.reassignCase, ({ user: supervisor, body: input, params }) => {
    return ctx.write(() => reassignCase(ctx, supervisor, params.id, input));
  });
}
