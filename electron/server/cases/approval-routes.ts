// POST /v1/cases/{id}/verdict/approve and /reject: supervisors, each with a fresh step-up code. The
// proposer is refused before the code is checked, like any other caller who may not do this.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { requireStepUp } from '../auth/stepup';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { approveVerdict, proposerMayNotApprove, proposerOf, rejectVerdict } from './approval';
import { requireCase } from './lookup';

export function registerApprovalRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.approveVerdict, ({ user: supervisor, body: input, params }) => {
    const caseId = params.id;
    requireCase(ctx.db, caseId);
    if (proposerOf(ctx, caseId) === supervisor.id) throw proposerMayNotApprove();
    requireStepUp(ctx, supervisor, input.totp);
    return ctx.write(() => approveVerdict(ctx, supervisor, caseId));
  });

  defineRoute(app, ctx, ROUTES.rejectVerdict, ({ user: supervisor, body: input, params }) => {
    const caseId = params.id;
    requireCase(ctx.db, caseId);
    requireStepUp(ctx, supervisor, input.totp);
    return ctx.write(() => rejectVerdict(ctx, supervisor, caseId, input.reason));
  });
}
