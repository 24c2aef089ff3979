// The audit log for supervisors (DESIGN §2, §4): read it in pages and have the server recompute the chain.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { notFound } from '../errors';
import { readAudit, verifyAuditChainInSlices } from './chain';
import { checkpointConsistency, latestCheckpoint, listCheckpoints } from './checkpoints';

export async function registerAuditRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.audit, ({ query: { after, limit } }) => {
    return { entries: readAudit(ctx.db, after, limit) };
  });

  // The chain recomputed, and then held against the signed checkpoints: a row edited and the chain
  // recomputed after it passes the first test and fails the second. The chain is hashed in slices, so that
  // a long log does not stop the server answering everyone else meanwhile.
  defineRoute(app, ctx, ROUTES.verifyAudit, async () => {
    const chain = await verifyAuditChainInSlices(ctx.db);
    const checkpoints = checkpointConsistency(ctx.db, ctx.checkpoints.recorded(), ctx.signer().publicKey);
    const firstBad = [chain.firstBad, checkpoints.firstBad]
      .filter((seq): seq is number => seq !== null)
      .reduce<number | null>((first, seq) => (first === null ? seq : Math.min(first, seq)), null);
    return {
      ...chain,
      ok: chain.ok && checkpoints.problem === null,
      firstBad,
      checkpoint: checkpoints.checkpoint,
      problem: chain.ok ? checkpoints.problem : `entry ${chain.firstBad} breaks the chain`,
    };
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
