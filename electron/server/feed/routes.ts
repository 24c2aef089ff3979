// The change feed over HTTP: /v1/sync pages and the /v1/events pokes that say when to pull (DESIGN §2, §5).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { afterSeq, pageLimit } from '../http/paging';
import { requireUser } from '../http/session';
import { parseInput } from '../http/validate';
import { registerEventStream } from './events';
import { readSyncBody } from './sync-body';

const syncQuery = z.object({ after: afterSeq, limit: pageLimit });

const mustRefetch = () =>
  new ApiError(
    410,
    'must_refetch',
    'This cursor is older than the change feed keeps. Sync again from after=0.',
  );

export async function registerFeedRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/v1/sync', async (request, reply) => {
    requireUser(ctx, request);
    const { after, limit } = parseInput(syncQuery, request.query);
    const body = readSyncBody(ctx, after, limit);
    if (!body) throw mustRefetch();
    return reply.type('application/json; charset=utf-8').send(body);
  });
  registerEventStream(app, ctx);
}
