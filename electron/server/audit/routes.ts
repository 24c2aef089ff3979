// The audit log for supervisors (DESIGN §2, §4): read it in pages and have the server recompute the chain.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { readAudit, verifyAuditChain } from './chain';

export async function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.audit, ({ query: { after, limit } }) => {
    return { entries: readAudit(ctx.db, after, limit) };
  });

  defineRoute(app, ctx, ROUTES.verifyAudit, () => {
    return verifyAuditChain(ctx.db);
  });
}
