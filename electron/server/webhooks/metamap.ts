// POST /v1/webhooks/metamap (DESIGN §2, §3): no bearer token; the HMAC signature over the raw body is the
// only credential, so it is checked before the body is even parsed, and nothing is stored without it.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { ApiError, invalidRequest } from '../errors';
import { parseInput } from '../http/validate';
import { applyMetamapEvent } from './apply-event';
import { eventEnvelope, HANDLED_EVENTS, metamapEvent } from './payload';
import { hasValidSignature } from './signature';

const invalidSignature = () =>
  new ApiError(401, 'invalid_signature', 'The x-signature header is missing or does not match the body.');

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest('The body is not valid JSON.');
  }
}

export async function registerMetamapWebhook(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (webhooks) => {
    // In this scope bodies stay raw bytes of any type: the app's JSON parser would answer malformed JSON
    // with a 400 before the signature is checked, telling an unsigned caller how its body was read.
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
      request.rawBody = body;
      done(null, body);
    });

    webhooks.post('/v1/webhooks/metamap', async (request) => {
      const secret = ctx.config.metamapWebhookSecret;
      if (!secret) {
        throw new ApiError(
          503,
          'webhooks_not_configured',
          'MetaMap webhooks are off: METAMAP_WEBHOOK_SECRET is not set.',
        );
      }
      const body = request.rawBody ?? Buffer.alloc(0);
      if (!hasValidSignature(secret, body, request.headers['x-signature'])) {
        request.log.warn('MetaMap webhook with a missing or wrong signature refused');
        throw invalidSignature();
      }
      const payload = parseJson(body);
      const { eventName } = parseInput(eventEnvelope, payload);
      // MetaMap sends more events than the desk needs; they are acknowledged so it does not retry them.
      if (!HANDLED_EVENTS.has(eventName)) return { status: 'ignored', reason: 'unhandled_event' };
      const event = parseInput(metamapEvent, payload);
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
