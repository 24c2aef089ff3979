// MetaMap webhook signatures (DESIGN §2): header `x-signature` = hex HMAC-SHA256 of the raw body with the
// shared secret. Compared in constant time so the answer's timing says nothing about the right value.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MetamapEventBody } from './payload';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export function signWebhookBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function hasValidSignature(
  secret: string,
  body: Buffer,
  signature: string | string[] | undefined,
): boolean {
  if (typeof signature !== 'string' || !HEX_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/**
 * A MetaMap delivery as MetaMap makes it: the JSON body and the headers to POST it with. The event's
 * `timestamp` is when it happened: a sender replaying the market now gives the current time, since the
 * server refuses events outside its window (400 stale_event).
 */
export function signedMetamapDelivery(secret: string, event: MetamapEventBody) {
  const body = JSON.stringify(event);
  return {
    body,
    headers: { 'content-type': 'application/json', 'x-signature': signWebhookBody(secret, body) },
  };
}
