// The audit log for supervisors (DESIGN §2, §4): read it in pages and have the server recompute the chain.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { afterSeq, pageLimit } from '../http/paging';
import { requireUser } from '../http/session';
import { parseInput } from '../http/validate';
import { readAudit, verifyAuditChain } from './chain';

const auditQuery = z.object({ after: afterSeq, limit: pageLimit });

export async function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/v1/audit', async (request) => {
    requireUser(ctx, request, ['supervisor']);
    const { after, limit } = parseInput(auditQuery, request.query);
    return { entries: readAudit(ctx.db, after, limit) };
  });

  app.get('/v1/audit/verify', async (request) => {
    requireUser(ctx, request, ['supervisor']);
    return verifyAuditChain(ctx.db);
  });
}
