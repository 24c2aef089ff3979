// POST /v1/platform/events: the exchange's signed events (README "Platform events"). No bearer token: a
// Standard Webhooks signature over the raw bytes, by one of the configured secrets, is the credential. It
// is checked first, so an unsigned caller learns nothing (not even whether its JSON would parse), and
// nothing is stored without it.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { verifySignedDelivery } from '../webhooks/standard-webhooks';
import { invalidSignature, platformEventsNotConfigured, staleTimestamp } from './errors';
import { receivePlatformEvent } from './ingest';

export async function registerPlatformEventRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    // In this scope bodies stay raw bytes of any type: the signature is over exactly these bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      done(null, body);
    });

    defineRoute(scope, ctx, ROUTES.platformEvents, ({ request, reply }) => {
      const secrets = ctx.config.platformEventsSecrets;
      if (secrets.length === 0) throw platformEventsNotConfigured();
      const body = request.rawBody ?? Buffer.alloc(0);
      const verified = verifySignedDelivery(secrets, request.headers, body, ctx.now());
      if (!verified.ok) {
        request.log.warn({ failure: verified.failure }, 'Platform event refused at the signature check');
        throw verified.failure === 'stale_timestamp' ? staleTimestamp() : invalidSignature();
      }
      const answer = receivePlatformEvent(ctx, verified.id, body);
      return reply.status(answer.status).send(answer.body);
    });
  });
}
