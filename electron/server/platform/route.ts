// POST /v1/platform/events: the exchange's signed events (README "Platform events"). No bearer token: a
// Standard Webhooks signature over the raw bytes, by one of the configured secrets, is the credential. It
// is checked first, so an unsigned caller learns nothing (not even whether its JSON would parse), and
// nothing is stored without it.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { verifySignedDelivery } from '../webhooks/standard-webhooks';
import { invalidSignature, platformEventsNotConfigured, staleTimestamp, tradeConflict } from './errors';
import { receivePlatformEvent } from './ingest';

/**
 * A constraint of the store that the event handlers did not check first (a uniqueness, a foreign key) means
 * the event collides with what the platform holds: the transaction rolled back, nothing is stored, and the
 * exchange gets a 409 it can act on instead of a 500. A trigger's RAISE (SQLITE_CONSTRAINT_TRIGGER) is
 * left alone: that is the store refusing to write, a server fault.
 */
const COLLISIONS = new Set([
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  'SQLITE_CONSTRAINT_CHECK',
  'SQLITE_CONSTRAINT_NOTNULL',
]);

function receiveOrConflict(
  ctx: ServerContext,
  delivery: { id: string; timestamp: Date },
  body: Buffer,
  log: FastifyBaseLogger,
) {
  try {
    return receivePlatformEvent(ctx, delivery.id, body, delivery.timestamp);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (!(typeof code === 'string' && COLLISIONS.has(code))) throw error;
    log.warn({ err: error, eventId: delivery.id }, 'Platform event refused: it collides with stored data');
    throw tradeConflict('The event collides with what the platform already holds; nothing of it was stored.');
  }
}

export async function registerPlatformEventRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    // In this scope bodies stay raw bytes of any type: the signature is over exactly these bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      done(null, body);
    });

    // Counted per address before the body is read or any signature computed.
    const perAddressLimit = {
      config: { rateLimit: { max: ctx.config.platformEventsRateLimitPerMinute, timeWindow: '1 minute' } },
    };
    defineRoute(
      scope,
      ctx,
      ROUTES.platformEvents,
      ({ request, reply }) => {
        const secrets = ctx.config.platformEventsSecrets;
        if (secrets.length === 0) throw platformEventsNotConfigured();
        const body = request.rawBody ?? Buffer.alloc(0);
        const verified = verifySignedDelivery(secrets, request.headers, body, ctx.now());
        if (!verified.ok) {
          request.log.warn({ failure: verified.failure }, 'Platform event refused at the signature check');
          throw verified.failure === 'stale_timestamp' ? staleTimestamp() : invalidSignature();
        }
        const answer = receiveOrConflict(ctx, verified, body, request.log);
        return reply.status(answer.status).send(answer.body);
      },
      perAddressLimit,
    );
  });
}
