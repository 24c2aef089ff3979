// The change feed over HTTP: /v1/sync pages and the /v1/events pokes that say when to pull (DESIGN §2, §5).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../http/route';
import { readFeedPageBytes } from './changes';
import { registerEventStream } from './events';

const mustRefetch = () =>
  new ApiError(
    410,
    'must_refetch',
    'This cursor is older than the change feed keeps. Sync again from after=0.',
  );

export async function registerFeedRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.sync, ({ query: { after, limit }, reply }) => {
    const page = readFeedPageBytes(ctx, after, limit);
    if (!page) throw mustRefetch();
    // The page's JSON as the database made it (feed/changes.ts): sent as it is, not parsed and serialised again.
    return reply.type('application/json; charset=utf-8').send(page);
  });
  registerEventStream(app, ctx);
}
