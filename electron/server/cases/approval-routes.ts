// POST /v1/cases/{id}/verdict/approve and /reject: supervisors, each with a fresh step-up code. The
// proposer, and a supervisor who issued the proposer's credentials (approval.ts), are refused before the
// code is checked, like any other caller who may not do this. Both take an
// optional Idempotency-Key (the desk's outbox always sends one): a repeat answers the stored response.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { requireStepUp } from '../auth/stepup';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { approvalRefusal, approveVerdict, rejectVerdict } from './approval';
import { runOnce } from './idempotency';
import { requireCase } from './lookup';

export function registerApprovalRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const approve = ROUTES.approveVerdict;
  defineRoute(app, ctx, approve, ({ user: supervisor, body, params, idempotencyKey, reply }) => {
    const caseId = params.id;
    const once = { userId: supervisor.id, key: idempotencyKey, route: approve.path, subject: caseId };
    return runOnce(
      ctx,
      { ...once, body, status: approve.status, reply },
      () => approveVerdict(ctx, supervisor, caseId),
      () => {
        requireCase(ctx.db, caseId);
        const refusal = approvalRefusal(ctx, supervisor.id, caseId);
        if (refusal) throw refusal;
        requireStepUp(ctx, supervisor, body.totp);
      },
    );
  });

  const reject = ROUTES.rejectVerdict;
  defineRoute(app, ctx, reject, ({ user: supervisor, body, params, idempotencyKey, reply }) => {
    const caseId = params.id;
    const once = { userId: supervisor.id, key: idempotencyKey, route: reject.path, subject: caseId };
    return runOnce(
      ctx,
      { ...once, body, status: reject.status, reply },
      () => rejectVerdict(ctx, supervisor, caseId, body.reason),
      () => {
        requireCase(ctx.db, caseId);
        requireStepUp(ctx, supervisor, body.totp);
      },
    );
  });
}
