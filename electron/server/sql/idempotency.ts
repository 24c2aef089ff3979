// Idempotency records of verdict requests, per user and key (the rules are in cases/idempotency.ts).
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface IdempotencyRow {
  request_hash: string;
  state: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface IdempotencyLeaseRow {
  userId: string;
  key: string;
  requestHash: string;
  startedAt: string;
}

export function findIdempotencyRecord(db: Db, userId: string, key: string): IdempotencyRow | undefined {
  return prepared(
    db,
    'SELECT request_hash, state, response_status, response_body, created_at FROM idempotency_keys WHERE user_id = ? AND key = ?',
  ).get(userId, key) as IdempotencyRow | undefined;
}

/**
 * A new in_flight record, or the takeover of an in_flight one for the same request that started no later
 * than `cutoff` (an abandoned lease); true when this call holds the key.
 */
export const claimIdempotencyKey = (db: Db, lease: IdempotencyLeaseRow, cutoff: string) =>
  prepared(
    db,
    `INSERT INTO idempotency_keys (user_id, key, request_hash, state, created_at)
     VALUES (@userId, @key, @requestHash, 'in_flight', @startedAt)
     ON CONFLICT (user_id, key) DO UPDATE SET created_at = excluded.created_at
     WHERE idempotency_keys.state = 'in_flight' AND idempotency_keys.request_hash = excluded.request_hash
       AND idempotency_keys.created_at <= @cutoff`,
  ).run({ ...lease, cutoff }).changes === 1;

export function deleteInFlightKey(db: Db, lease: IdempotencyLeaseRow): void {
  prepared(
    db,
    `DELETE FROM idempotency_keys
     WHERE user_id = @userId AND key = @key AND state = 'in_flight' AND created_at = @startedAt`,
  ).run(lease);
}

/** Stores the response of the lease's request; false when the lease was taken over meanwhile. */
export const completeIdempotencyKey = (db: Db, lease: IdempotencyLeaseRow, status: number, body: string) =>
  prepared(
    db,
    `UPDATE idempotency_keys SET state = 'done', response_status = @status, response_body = @body
     WHERE user_id = @userId AND key = @key AND state = 'in_flight' AND created_at = @startedAt`,
  ).run({ ...lease, status, body }).changes === 1;
