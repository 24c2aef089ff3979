// The audit log for supervisors (DESIGN §2, §4): read it in pages and have the server recompute the chain.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { notFound } from '../errors';
import { readAudit, verifyAuditChain } from './chain';
import { latestCheckpoint, listCheckpoints } from './checkpoints';

export async function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.audit, ({ query: { after, limit } }) => {
    return { entries: readAudit(ctx.db, after, limit) };
  });

  defineRoute(app, ctx, ROUTES.verifyAudit, () => {
    return verifyAuditChain(ctx.db);
  });

  defineRoute(app, ctx, ROUTES.auditCheckpoint, () => {
    const checkpoint = latestCheckpoint(ctx.db);
    if (!checkpoint) throw notFound('A signed checkpoint (the audit log is still empty)');
    return checkpoint;
  });

  defineRoute(app, ctx, ROUTES.auditCheckpoints, ({ query: { after, limit } }) => {
    return { checkpoints: listCheckpoints(ctx.db, after, limit) };
  });
}
