// The outbound queue's statements (migrations 0007 and 0010). The worker claims a row by moving its next attempt
// past the delivery's timeout with a conditional UPDATE, so two servers on one database never send the
// same row at once, and a row whose sender died is simply due again once that time has passed.
import type { Db } from '../db/open';
import { prepared } from './statements';

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface NewOutboundRow {
  id: string;
  type: string;
  tradeId: string;
  caseId: string | null;
  body: string;
  createdAt: string;
}

export function insertOutboundEvent(db: Db, row: NewOutboundRow): void {
  prepared(
    db,
    `INSERT INTO outbound_events (id, type, trade_id, case_id, body, created_at, next_attempt_at)
     VALUES (@id, @type, @tradeId, @caseId, @body, @createdAt, @createdAt)`,
  ).run(row);
}

/** The dispute about this escrow's trade, if one was opened. */
export function findCaseIdOfEscrow(db: Db, escrowId: string): string | null {
  const row = prepared(db, 'SELECT id FROM cases WHERE escrow_id = ?').get(escrowId) as
    { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * No earlier event of row `o`'s trade is still undelivered: pending, or given up (`failed`). A given-up
 * event holds its trade's later ones too, until a supervisor queues it again (or they would reach the
 * exchange first, and the retried one after them); other trades go on.
 */
const EARLIER_UNDELIVERED = `FROM outbound_events p
  WHERE p.state <> 'delivered' AND p.trade_id = o.trade_id AND p.seq < o.seq`;
const NO_EARLIER_UNDELIVERED = `NOT EXISTS (SELECT 1 ${EARLIER_UNDELIVERED})`;

export interface DueDelivery {
  id: string;
  body: string;
  attempts: number;
  nextAttemptAt: string;
}

/**
 * The oldest due pending row that no earlier undelivered row of the same trade waits before: the exchange
 * hears about one trade in the order things happened to it, while a trade whose receiver keeps failing
 * holds up no other.
 */
export function nextDueDelivery(db: Db, now: string): DueDelivery | undefined {
  return prepared(
    db,
    `SELECT o.id, o.body, o.attempts, o.next_attempt_at AS nextAttemptAt
     FROM outbound_events o
     WHERE o.state = 'pending' AND o.next_attempt_at <= ? AND ${NO_EARLIER_UNDELIVERED}
     ORDER BY o.seq LIMIT 1`,
  ).get(now) as DueDelivery | undefined;
}

/**
 * When the next row the worker may pick is due (null: nothing it may pick is pending). A row queued behind an
 * earlier undelivered one of its trade does not count: it waits for that one, however long ago it was due.
 */
export function earliestPendingAt(db: Db): string | null {
  const row = prepared(
    db,
    `SELECT MIN(o.next_attempt_at) AS at FROM outbound_events o
     WHERE o.state = 'pending' AND ${NO_EARLIER_UNDELIVERED}`,
  ).get() as { at: string | null };
  return row.at;
}

/** Takes the row for one attempt until `leaseUntil`; true when this caller got it. */
export const claimDelivery = (db: Db, row: DueDelivery, leaseUntil: string) =>
  prepared(
    db,
    `UPDATE outbound_events SET next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at = ?`,
  ).run(leaseUntil, row.id, row.nextAttemptAt).changes === 1;

/** Gives a claimed row back untouched (the server is closing mid-attempt): it is due again at once. */
export const releaseDelivery = (db: Db, id: string, dueAt: string) =>
  prepared(db, `UPDATE outbound_events SET next_attempt_at = ? WHERE id = ? AND state = 'pending'`).run(
    dueAt,
    id,
  );

export function markDelivered(db: Db, id: string, status: number, at: string): void {
  prepared(
    db,
    `UPDATE outbound_events
     SET state = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?,
         next_attempt_at = NULL
     WHERE id = ? AND state = 'pending'`,
  ).run(status, at, id);
}

/** A failed attempt: due again at `retryAt`, or given up (`failed`) when that is null. */
export function markAttemptFailed(
  db: Db,
  id: string,
  failure: { status: number | null; error: string; retryAt: string | null },
): void {
  prepared(
    db,
    `UPDATE outbound_events
     SET attempts = attempts + 1, last_status = @status, last_error = @error, next_attempt_at = @retryAt,
         state = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'pending' END
     WHERE id = @id AND state = 'pending'`,
  ).run({ id, ...failure });
}

/** Queues a given-up row again from a fresh count of attempts; true when it was `failed`. */
export const requeueFailedDelivery = (db: Db, id: string, at: string) =>
  prepared(
    db,
    `UPDATE outbound_events SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND state = 'failed'`,
  ).run(at, id).changes === 1;

export interface DeliveryRow {
  seq: number;
  id: string;
  type: string;
  tradeId: string;
  caseId: string | null;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** A pending row's earliest earlier undelivered event of its trade, which it waits for; else null. */
  waitingFor: string | null;
}

const DELIVERY_COLUMNS = `o.seq, o.id, o.type, o.trade_id AS tradeId, o.case_id AS caseId, o.state, o.attempts,
  o.last_status AS lastStatus, o.last_error AS lastError, o.created_at AS createdAt,
  o.next_attempt_at AS nextAttemptAt, o.delivered_at AS deliveredAt,
  CASE WHEN o.state = 'pending' THEN (SELECT p.id ${EARLIER_UNDELIVERED} ORDER BY p.seq LIMIT 1) END AS waitingFor`;

/** The delivery log, newest first, before the `before` seq (a keyset page). */
export function listDeliveries(
  db: Db,
  filter: { state: DeliveryState | undefined; before: number | undefined; limit: number },
): DeliveryRow[] {
  const before = filter.before ?? Number.MAX_SAFE_INTEGER;
  if (filter.state) {
    return prepared(
      db,
      `SELECT ${DELIVERY_COLUMNS} FROM outbound_events o WHERE o.state = ? AND o.seq < ? ORDER BY o.seq DESC LIMIT ?`,
    ).all(filter.state, before, filter.limit) as DeliveryRow[];
  }
  return prepared(
    db,
    `SELECT ${DELIVERY_COLUMNS} FROM outbound_events o WHERE o.seq < ? ORDER BY o.seq DESC LIMIT ?`,
  ).all(before, filter.limit) as DeliveryRow[];
}

export function findDelivery(db: Db, id: string): DeliveryRow | undefined {
  return prepared(db, `SELECT ${DELIVERY_COLUMNS} FROM outbound_events o WHERE o.id = ?`).get(id) as
    DeliveryRow | undefined;
}

export function countDeliveriesByState(db: Db): Record<DeliveryState, number> {
  const counts: Record<DeliveryState, number> = { pending: 0, delivered: 0, failed: 0 };
  const rows = prepared(db, 'SELECT state, COUNT(*) AS n FROM outbound_events GROUP BY state').all() as {
    state: DeliveryState;
    n: number;
  }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}
