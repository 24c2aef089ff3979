// The change feed over HTTP: /v1/sync pages and the /v1/events pokes that say when to pull (DESIGN §2, §5).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../http/route';
import { registerEventStream } from './events';
import { readSyncBody } from './sync-body';

const mustRefetch = () =>
  new ApiError(
    410,
    'must_refetch',
    'This cursor is older than the change feed keeps. Sync again from after=0.',
  );

export async function registerFeedRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // The page is spliced from stored bytes (sync-body.ts), so it goes out as the reply's own body.
  defineRoute(app, ctx, ROUTES.sync, ({ query: { after, limit }, reply }) => {
    const body = readSyncBody(ctx, after, limit);
    if (!body) throw mustRefetch();
    return reply.type('application/json; charset=utf-8').send(body);
  });
  registerEventStream(app, ctx);
}
