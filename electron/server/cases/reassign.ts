// POST /v1/cases/{id}/reassign: a supervisor hands a case to another agent (a shift change, an absence).
// The new agent holds it as if they had claimed it; a decided case stays with whoever decided it.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { conflict, invalidRequest } from '../errors';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { reassignUndecidedCase } from '../sql/cases';
import { findPerson } from '../sql/users';
import { caseAlreadyResolved } from './errors';
import { runOnce } from './idempotency';
import { requireCase } from './lookup';

const ROLE_NAMES = { agent: 'an agent', compliance: 'a compliance reviewer', supervisor: 'a supervisor' } as const;

/** The new holder must be an agent: anyone else is a 400, since the request itself is wrong. */
function requireAgent(ctx: ServerContext, assigneeId: string): { id: string; displayName: string } {
  const person = findPerson(ctx.db, assigneeId);
  if (!person) throw invalidRequest(`assigneeId: there is no agent with the id ${assigneeId}.`);
  if (person.role !== 'agent') {
    throw invalidRequest(`assigneeId: ${person.displayName} is ${ROLE_NAMES[person.role]}; only agents hold cases.`);
  }
  return person;
}

const alreadyAssigned = (name: string) =>
  conflict('already_assigned', `${name} already holds this case: choose another agent.`);

/**
 * Call inside ctx.write(). Refuses, in this order: an unknown case (404), an assignee who is not an agent
 * (400), a decided case (409 case_already_resolved), the agent who holds it already (409 already_assigned:
 * a reassignment that changes nothing is a mistake worth saying, not a silent success).
 */
export function reassignCase(
  ctx: ServerContext,
  supervisor: Pick<AuthUser, 'id'>,
  caseId: string,
  input: { assigneeId: string; reason: string },
): CaseDetail {
  const state = requireCase(ctx.db, caseId);
  const assignee = requireAgent(ctx, input.assigneeId);
  if (state.status === 'resolved') throw caseAlreadyResolved();
  if (state.assigneeId === assignee.id) throw alreadyAssigned(assignee.displayName);
  const now = ctx.now();
  if (!reassignUndecidedCase(ctx.db, caseId, assignee.id, now.toISOString())) throw caseAlreadyResolved();
  return changeCase(
    ctx,
    caseId,
    {
      actor: supervisor.id,
      action: 'case.reassigned',
      data: { from: state.assigneeId, to: assignee.id, reason: input.reason },
    },
    now,
  );
}

export function registerReassignRoute(app: FastifyInstance, ctx: ServerContext): void {
  const route = ROUTES.reassignCase;
  defineRoute(app, ctx, route, ({ user: supervisor, body, params, idempotencyKey, reply }) => {
    const once = { userId: supervisor.id, key: idempotencyKey, route: route.path, subject: params.id };
    return runOnce(ctx, { ...once, body, status: route.status, reply }, () =>
      reassignCase(ctx, supervisor, params.id, body),
    );
  });
}
