// Sending one event the way an exchange does: signed, and tried again with backoff while the network fails
// or the server answers 5xx or 429. A retry is the same delivery: the same `webhook-id` (the platform's
// idempotency key) and the same body, signed afresh for its sending time.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseSecretList } from '../server/config';
import { signedHeaders } from '../server/webhooks/standard-webhooks';
import { signWebhookBody } from '../server/webhooks/signature';

export interface DeliveryAnswer {
  status: number;
  /** The parsed JSON answer, or null when it was not JSON. */
  body: unknown;
  attempts: number;
}

export class DeliveryFailed extends Error {
  readonly code = 'delivery_failed';
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'DeliveryFailed';
  }
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 250, maxMs: 8_000, timeoutMs: 15_000 };

const retryable = (status: number) => status >= 500 || status === 429;

export type Signer = (body: string, now: Date) => Record<string, string>;

/**
 * Standard Webhooks headers for the platform's event route. `secret` is read as PLATFORM_EVENTS_SECRET is
 * (several, space- or comma-separated, while a rotation lasts): the delivery is signed with each.
 */
export const platformSigner = (secret: string, webhookId: string): Signer => {
  const secrets = parseSecretList(secret);
  return (body, now) => ({ ...signedHeaders(secrets, webhookId, body, now) });
};

/** MetaMap's header: the hex HMAC of the body. */
export const metamapSigner =
  (secret: string): Signer =>
  (body) => ({ 'x-signature': signWebhookBody(secret, body) });

/**
 * POSTs `body` to `url` until it gets an answer that is not a 5xx or 429, or the attempts run out
 * (DeliveryFailed). The abort signal stops the waiting between attempts, never an attempt under way.
 */
export async function deliver(
  url: string,
  body: string,
  sign: Signer,
  options: { retry?: RetryPolicy; signal?: AbortSignal } = {},
): Promise<DeliveryAnswer> {
  const retry = options.retry ?? DEFAULT_RETRY;
  let lastProblem = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    if (attempt > 1) {
      const backoff = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 2));
      // Jitter so that many trades failing at once do not all come back at the same moment.
      const waited = await sleep(backoff / 2 + Math.random() * (backoff / 2), true, {
        signal: options.signal,
      }).catch(() => false);
      if (!waited) throw new DeliveryFailed(`stopped while retrying (${lastProblem})`, attempt - 1);
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sign(body, new Date()) },
        body,
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      const text = await response.text();
      if (retryable(response.status)) {
        lastProblem = `HTTP ${response.status}`;
        continue;
      }
      return { status: response.status, body: parseJson(text), attempts: attempt };
    } catch (error) {
      lastProblem =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
  }
  throw new DeliveryFailed(`no answer after ${retry.attempts} attempts (${lastProblem})`, retry.attempts);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The error code and message of an `{"error":{code,message}}` answer. */
export function errorOf(body: unknown): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : 'unknown',
    message: typeof error?.message === 'string' ? error.message : '',
  };
}
