// Standard Webhooks signatures (https://www.standardwebhooks.com), used both ways between the platform and
// the exchange: headers `webhook-id`, `webhook-timestamp` (seconds since the epoch) and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The signature header may carry
// several space-separated signatures (a sender rotating its secret signs with both); a receiver may hold
// several secrets (rotation on its side). Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far the sending time may be from ours, either way (Standard Webhooks' recommendation). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Secrets may be given as Standard Webhooks prints them (`whsec_<base64>`) or as plain text. */
function secretBytes(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** Standard Webhooks keys are 24 to 64 random bytes; a shorter HMAC key can be guessed, an empty one by anyone. */
export const MIN_SECRET_BYTES = 24;

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Why a secret cannot sign, or null when it can. Node's base64 decoder skips what it cannot read, so
 * `whsec_!!!!` would quietly become an empty key: the text after `whsec_` must be strict base64. The
 * answer never repeats the secret.
 */
export function secretProblem(secret: string): string | null {
  if (secret.startsWith('whsec_') && !STRICT_BASE64.test(secret.slice('whsec_'.length))) {
    return 'starts with whsec_ but the rest is not base64';
  }
  const length = secretBytes(secret).length;
  if (length < MIN_SECRET_BYTES) return `is ${length} bytes long; a signing key needs at least ${MIN_SECRET_BYTES}`;
  return null;
}

export function signature(secret: string, id: string, timestamp: string, body: Buffer | string): string {
  const mac = createHmac('sha256', secretBytes(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

/** The headers for one delivery attempt, signed with every given secret (the first is the current one). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  body: Buffer | string,
  now: Date = new Date(),
): SignedHeaders {
  if (secrets.length === 0) throw new Error('signedHeaders: no secret to sign with');
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((secret) => `v1,${signature(secret, id, timestamp, body)}`).join(' '),
  };
}

export type VerifyFailure = 'missing_headers' | 'invalid_signature' | 'stale_timestamp';

const ID = /^[\x21-\x7e]{1,128}$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Checks one delivery: the headers are present and well-formed, one of its signatures matches one of our
 * secrets, and its timestamp is within the tolerance of `now`. The signature is checked before the time,
 * so an unsigned caller learns nothing about our clock.
 */
export function verifySignedDelivery(
  secrets: readonly string[],
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  now: Date = new Date(),
): { ok: true; id: string; timestamp: Date } | { ok: false; failure: VerifyFailure } {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    return { ok: false, failure: 'missing_headers' };
  }
  if (!ID.test(id) || !TIMESTAMP.test(timestamp) || signatures.length > 4096) {
    return { ok: false, failure: 'invalid_signature' };
  }
  const offered = signatures
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(signature(secret, id, timestamp, body), 'base64');
    return offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  });
  if (!matches) return { ok: false, failure: 'invalid_signature' };
  const sentAt = Number(timestamp) * 1000;
  if (Math.abs(now.getTime() - sentAt) > TIMESTAMP_TOLERANCE_SECONDS * 1000) return { ok: false, failure: 'stale_timestamp' };
  return { ok: true, id, timestamp: new Date(sentAt) };
}
