// The retention jobs' deletes (retention/jobs.ts). Each removes at most `limit` rows older than a cutoff, so
// that the first run on a store that never pruned does not hold the write lock for long: the next run
// carries on. Each is answered by an index on the time it prunes by (migration 0013).
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface PruneBatch {
  /** ISO time: rows older than this go. */
  before: string;
  limit: number;
}

/** Sessions that expired or were revoked before `before` (a revoked one is dead at once). */
export const deleteEndedSessions = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `DELETE FROM sessions WHERE token_hash IN (
       SELECT token_hash FROM sessions WHERE expires_at <= @before
       UNION ALL SELECT token_hash FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at <= @before
       LIMIT @limit)`,
  ).run({ before, limit }).changes;

/** Sign-in tokens (the step between password and code) that expired. */
export const deleteExpiredSignInTokens = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    'DELETE FROM login_tokens WHERE token_hash IN (SELECT token_hash FROM login_tokens WHERE expires_at <= @before LIMIT @limit)',
  ).run({ before, limit }).changes;

export const deleteAuthFailures = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(db, 'DELETE FROM auth_failures WHERE id IN (SELECT id FROM auth_failures WHERE at < @before LIMIT @limit)').run({
    before,
    limit,
  }).changes;

/**
 * Drops the stored answer of successful requests made before `before`, keeping the key, the request's
 * fingerprint and the status: a repeat is then told it was applied (cases/idempotency.ts). A stored
 * refusal is a few words and stays whole. The partial index of migration 0016 finds the rows with a body.
 */
export const slimIdempotencyAnswers = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `UPDATE idempotency_keys SET response_body = NULL WHERE rowid IN (
       SELECT rowid FROM idempotency_keys
       WHERE response_body IS NOT NULL AND created_at < @before AND state = 'done'
         AND response_status BETWEEN 200 AND 299
       LIMIT @limit)`,
  ).run({ before, limit }).changes;

/** In-flight records older than `before`: leases abandoned long ago (a crash), which nothing will finish. */
export const deleteAbandonedIdempotencyLeases = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `DELETE FROM idempotency_keys WHERE rowid IN (
       SELECT rowid FROM idempotency_keys WHERE created_at < @before AND state = 'in_flight' LIMIT @limit)`,
  ).run({ before, limit }).changes;

export const deleteIdempotencyRecords = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `DELETE FROM idempotency_keys WHERE rowid IN (
       SELECT rowid FROM idempotency_keys WHERE created_at < @before LIMIT @limit)`,
  ).run({ before, limit }).changes;

export const deletePlatformEvents = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    'DELETE FROM platform_events WHERE id IN (SELECT id FROM platform_events WHERE received_at < @before LIMIT @limit)',
  ).run({ before, limit }).changes;

/** By the event's own time: that is what the MetaMap window refuses by. */
export const deleteMetamapEvents = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `DELETE FROM metamap_events WHERE (verification_id, event_name, step_id, occurred_at) IN (
       SELECT verification_id, event_name, step_id, occurred_at FROM metamap_events
       WHERE occurred_at < @before LIMIT @limit)`,
  ).run({ before, limit }).changes;

/** Delivered events only: a pending or given-up one is still owed to the exchange. */
export const deleteDeliveredOutboundEvents = (db: Db, { before, limit }: PruneBatch): number =>
  prepared(
    db,
    `DELETE FROM outbound_events WHERE seq IN (
       SELECT seq FROM outbound_events WHERE state = 'delivered' AND delivered_at < @before LIMIT @limit)`,
  ).run({ before, limit }).changes;
