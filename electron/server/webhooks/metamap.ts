// POST /v1/webhooks/metamap (DESIGN §2, §3): no bearer token; the HMAC signature over the raw body is the
// only credential, so it is checked before the payload's shape is looked at, and nothing is stored without it.
// Malformed JSON is the exception: DESIGN §2 answers it 400 invalid_request on every call, and saying that
// the bytes are not JSON tells an unsigned caller nothing it did not send. Then, in order: the shape (a
// handled event needs its `timestamp`), the time window (400 stale_event), and the event itself, which is
// deduplicated and ordered by that timestamp (apply-event.ts).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { ApiError, apiError } from '../errors';
import { parseJsonBody } from '../http/body';
import { defineRoute } from '../http/route';
import { parseInput } from '../http/validate';
import { applyMetamapEvent } from './apply-event';
import { outsideWindow, type OutsideWindow } from './event-window';
import { eventEnvelope, HANDLED_EVENTS, metamapEvent } from './payload';
import { hasValidSignature } from './signature';

const invalidSignature = () =>
  new ApiError(401, 'invalid_signature', 'The x-signature header is missing or does not match the body.');

const WINDOW_MESSAGES = {
  too_old: 'The event is older than the webhook window accepts; it was not applied.',
  ahead_of_clock: 'The event is dated further ahead of the server clock than the webhook window accepts.',
} as const;

/**
 * An authentic event from outside the time window is refused and stores nothing: a replay of an old
 * capture, or a clock far off. 400, not 200: unlike a duplicate, the server has not taken it into account.
 */
const staleEvent = (outside: OutsideWindow) => apiError('stale_event', WINDOW_MESSAGES[outside]);

export async function registerMetamapWebhook(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (webhooks) => {
    // In this scope bodies stay raw bytes of any type: the signature is over exactly these bytes, and
    // MetaMap's Content-Type is not part of what it signs.
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      done(null, body);
    });

    defineRoute(webhooks, ctx, ROUTES.metamapWebhook, ({ request }) => {
      const secret = ctx.config.metamapWebhookSecret;
      if (!secret) {
        throw new ApiError(
          503,
          'webhooks_not_configured',
          'MetaMap webhooks are off: METAMAP_WEBHOOK_SECRET is not set.',
        );
      }
      const body = request.rawBody ?? Buffer.alloc(0);
      const payload = parseJsonBody(body);
      if (!hasValidSignature(secret, body, request.headers['x-signature'])) {
        request.log.warn('MetaMap webhook with a missing or wrong signature refused');
        throw invalidSignature();
      }
      const { eventName } = parseInput(eventEnvelope, payload);
      // MetaMap sends more events than the desk needs; they are acknowledged so it does not retry them.
      if (!HANDLED_EVENTS.has(eventName))
        return { status: 'ignored' as const, reason: 'unhandled_event' as const };
      const event = parseInput(metamapEvent, payload);
      const outside = outsideWindow(new Date(event.timestamp), ctx.now(), ctx.config.metamapEventWindow);
      if (outside) {
        request.log.warn({ eventName, outside }, 'MetaMap webhook outside the time window refused');
        throw staleEvent(outside);
      }
      const outcome = ctx.write(() => applyMetamapEvent(ctx, event));
      if (outcome.status === 'ignored') {
        request.log.warn(
          { eventName, reason: outcome.reason },
          'MetaMap webhook for an unknown party or case ignored',
        );
      }
      return outcome;
    });
  });
}
