// POST /v1/cases/{id}/verdict/approve and /reject: supervisors, each with a fresh step-up code. The
// proposer is refused before the code is checked, like any other caller who may not do this.
import type { FastifyInstance } from 'fastify';
import { approveBody, rejectBody } from '../../../shared/api/requests';
import { requireStepUp } from '../auth/stepup';
import type { ServerContext } from '../context';
import { requireUser } from '../http/session';
import { parseInput } from '../http/validate';
import { approveVerdict, proposerMayNotApprove, proposerOf, rejectVerdict } from './approval';
import { requireCase } from './lookup';

export function registerApprovalRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { id: string } }>('/v1/cases/:id/verdict/approve', async (request) => {
    const supervisor = requireUser(ctx, request, ['supervisor']);
    const input = parseInput(approveBody, request.body);
    const caseId = request.params.id;
    requireCase(ctx.db, caseId);
    if (proposerOf(ctx, caseId) === supervisor.id) throw proposerMayNotApprove();
    requireStepUp(ctx, supervisor, input.totp);
    return ctx.write(() => approveVerdict(ctx, supervisor, caseId));
  });

  app.post<{ Params: { id: string } }>('/v1/cases/:id/verdict/reject', async (request) => {
    const supervisor = requireUser(ctx, request, ['supervisor']);
    const input = parseInput(rejectBody, request.body);
    const caseId = request.params.id;
    requireCase(ctx.db, caseId);
    requireStepUp(ctx, supervisor, input.totp);
    return ctx.write(() => rejectVerdict(ctx, supervisor, caseId, input.reason));
  });
}
