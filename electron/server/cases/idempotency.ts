// Idempotency keys for verdicts (IETF draft "The Idempotency-Key HTTP Header Field"), scoped per user.
//
// A record goes through two states. `in_flight` is written before the step-up code is checked, so a second
// request with the key while the first is being decided gets 409: in a small transaction of its own, committed
// before the change (runOnce), or in the verdict's one transaction (verdict-route.ts), where no other request
// can see it but one of the same write batch, which waits for the answer stored at the batch's end
// (answeredLaterInBatch). `done` is written in the same transaction as the move, with the response, so
// "moved" and "answered" can never disagree after a crash. A request that fails before or at the step-up
// deletes its in_flight record: it stored nothing and may be retried under the same key with a fresh code.
//
// A `done` record's answer is dropped after a day (retention/jobs.ts: it holds a whole case) but the record
// stays 30 days: a repeat then is answered 409 already_applied, never carried out a second time.
//
// A crash between runOnce's two transactions leaves an in_flight record whose change was rolled back (a
// verdict's one transaction leaves nothing). It is a lease: once it is older than IDEMPOTENCY_LEASE_MS it
// counts as abandoned and a retry with the same body takes it over, so a crash never blocks a key for good.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IDEMPOTENCY_KEY } from '../../../shared/api/requests';
import type { ServerContext } from '../context';
import type { Db } from '../db/open';
import type { BatchScope } from '../db/write-batch';
import { ApiError, conflict, invalidRequest, storageFailure } from '../errors';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  deleteInFlightKey,
  findIdempotencyRecord,
} from '../sql/idempotency';

export const IDEMPOTENCY_LEASE_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyScope {
  userId: string;
  key: string;
  /** Fingerprint of what was asked: route, case and canonical body. */
  requestHash: string;
}

/** A claimed in_flight record: `startedAt` tells it apart from a later takeover of the same key. */
export interface IdempotencyLease extends IdempotencyScope {
  startedAt: string;
}

/** A structured-field string ("abc") stands for its content: `"abc"` and `abc` are the same key. */
const unquoted = (key: string) => (/^"[^"\\]+"$/.test(key) ? key.slice(1, -1) : key);

/** The Idempotency-Key header: required; printable ASCII of a bounded length (it is stored and compared). */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const header = request.headers['idempotency-key'];
  if (header === undefined || header === '') {
    throw new ApiError(400, 'idempotency_key_required', 'Send an Idempotency-Key header with this request.');
  }
  const key = typeof header === 'string' ? unquoted(header) : '';
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw invalidRequest('Idempotency-Key: one key of 1 to 255 printable ASCII characters.');
  }
  return key;
}

/** sha256 of the route, the case and the body in RFC 8785 canonical form (key order does not matter). */
export function requestFingerprint(route: string, caseId: string, body: unknown): string {
  return createHash('sha256')
    .update(`${route}\n${caseId}\n${canonicalize(body ?? null) ?? 'null'}`)
    .digest('hex');
}

const leaseCutoff = (ctx: ServerContext) =>
  new Date(ctx.now().getTime() - IDEMPOTENCY_LEASE_MS).toISOString();

const keyReused = () =>
  new ApiError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was already used for a different request.',
  );
const alreadyApplied = (at: string) =>
  conflict(
    'already_applied',
    `This request was carried out at ${at}; its full answer is no longer kept and nothing was done again. ` +
      'The next sync brings the case as it is now.',
  );
const keyInFlight = () =>
  conflict('idempotency_key_in_flight', 'A request with this Idempotency-Key is still being processed.');

/**
 * What the key already says about this request: the stored response to answer again, or null when the
 * request should go ahead (a new key, or an abandoned lease). 422 for another request under the key, 409
 * while it is in flight, 409 already_applied once the answer of a success has been dropped.
 */
export function findStoredResponse(ctx: ServerContext, scope: IdempotencyScope): StoredResponse | null {
  const row = findIdempotencyRecord(ctx.db, scope.userId, scope.key);
  if (!row) return null;
  if (row.request_hash !== scope.requestHash) throw keyReused();
  if (row.state === 'done') {
    if (row.response_body === null) throw alreadyApplied(row.created_at);
    return { status: row.response_status ?? 500, body: JSON.parse(row.response_body ?? 'null') as unknown };
  }
  if (row.created_at > leaseCutoff(ctx)) throw keyInFlight();
  return null;
}

const ANSWERS_DUE = Symbol('the keys whose answers a write batch stores once all its works have run');

const dueAnswers = (batch: BatchScope) =>
  batch.shared(ANSWERS_DUE, () => new Map<string, IdempotencyLease>());
const dueKey = (scope: IdempotencyScope) => `${scope.userId}\n${scope.key}`;

/**
 * Notes that the lease's answer is stored at the end of this write batch (in an AfterBatch), so that the
 * same request again in the same batch waits for it rather than find the key in flight.
 */
export function answerDueInBatch(batch: BatchScope, lease: IdempotencyLease): void {
  dueAnswers(batch).set(dueKey(lease), lease);
}

/**
 * Whether an earlier work of this batch answers this key once the batch's works have run; then the stored
 * answer is found after it (findStoredResponse in an AfterBatch). 422 for another request under the key.
 * False, and the request goes on as it would alone, when that work failed after saying so: its savepoint
 * took its claim of the key with it.
 */
export function answeredLaterInBatch(
  ctx: ServerContext,
  batch: BatchScope,
  scope: IdempotencyScope,
): boolean {
  const lease = dueAnswers(batch).get(dueKey(scope));
  if (!lease) return false;
  const row = findIdempotencyRecord(ctx.db, scope.userId, scope.key);
  if (row?.state !== 'in_flight' || row.created_at !== lease.startedAt) return false;
  if (lease.requestHash !== scope.requestHash) throw keyReused();
  return true;
}

/**
 * Marks the key in flight inside the caller's write transaction: a new record, or the takeover of an
 * abandoned one for the same request. The conditional write decides; losing it means another request got
 * there first (409, thrown: the caller's transaction rolls back).
 */
export function claimIdempotentRequest(ctx: ServerContext, scope: IdempotencyScope): IdempotencyLease {
  const lease: IdempotencyLease = { ...scope, startedAt: ctx.now().toISOString() };
  if (!claimIdempotencyKey(ctx.db, lease, leaseCutoff(ctx))) throw keyInFlight();
  return lease;
}

/** claimIdempotentRequest in a small transaction of its own, committed before the request goes on. */
export const beginIdempotentRequest = (ctx: ServerContext, scope: IdempotencyScope): IdempotencyLease =>
  ctx.write(() => claimIdempotentRequest(ctx, scope));

/** Frees the key inside the caller's transaction: the request stopped before anything was decided. */
export function releaseIdempotentRequest(db: Db, lease: IdempotencyLease): void {
  deleteInFlightKey(db, lease);
}

/** Forgets an in_flight record whose request stopped before anything was decided. */
export function abandonIdempotentRequest(ctx: ServerContext, lease: IdempotencyLease): void {
  try {
    ctx.write(() => deleteInFlightKey(ctx.db, lease));
  } catch (error) {
    // On a full or failing disk even this delete may fail: the lease then lapses (IDEMPOTENCY_LEASE_MS),
    // and the caller reports the failure that stopped the request, not this one.
    if (!storageFailure(error)) throw error;
  }
}

/**
 * Stores the response under the key and returns the body as stored (JSON), to be sent as it is rather than
 * serialised a second time. Call inside the transaction that made the change it reports. If the lease was
 * taken over meanwhile, this throws, rolling the change back: the other request decides.
 */
export function storeIdempotentResponse(db: Db, lease: IdempotencyLease, response: StoredResponse): string {
  const body = JSON.stringify(response.body);
  if (!completeIdempotencyKey(db, lease, response.status, body)) throw keyInFlight();
  return body;
}

export interface OnceRequest {
  userId: string;
  /** The Idempotency-Key, or undefined for a call made without one (it then simply runs). */
  key: string | undefined;
  /** The route's path template and the subject it acts on (a case or alert id) go into the fingerprint. */
  route: string;
  subject: string;
  body: unknown;
  status: number;
  reply: FastifyReply;
}

/**
 * Runs a change at most once per Idempotency-Key, for calls where the key is optional (holds, KYT
 * assignments and decisions). `check` runs first, outside the change's transaction (a step-up code, whose
 * refusal must stay counted); `change` runs in one write transaction with the response stored under the
 * key, so "changed" and "answered" cannot disagree. A refused request stores nothing and may be retried
 * under the same key. The same key again answers the stored response (sent on `reply`).
 */
export function runOnce<T>(
  ctx: ServerContext,
  request: OnceRequest,
  change: () => T,
  check: () => void = () => {},
): T | FastifyReply {
  if (request.key === undefined) {
    check();
    return ctx.write(change);
  }
  const scope: IdempotencyScope = {
    userId: request.userId,
    key: request.key,
    requestHash: requestFingerprint(request.route, request.subject, request.body),
  };
  const stored = findStoredResponse(ctx, scope);
  if (stored) return request.reply.status(stored.status).send(stored.body);
  const lease = beginIdempotentRequest(ctx, scope);
  try {
    check();
    return ctx.write(() => {
      const answer = change();
      storeIdempotentResponse(ctx.db, lease, { status: request.status, body: answer });
      return answer;
    });
  } catch (error) {
    abandonIdempotentRequest(ctx, lease);
    throw error;
  }
}
