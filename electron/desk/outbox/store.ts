// The outbox table's only owner of SQL (schema in ../db/migrations/). Every state change is one conditional
// UPDATE, so the row on disk is always the truth the sender resumes from after a crash.
import {
  deskError,
  type DeskError,
  type OutboxEntry,
  type OutboxKind,
} from '../../../shared/desk-api/schemas';
import type { DeskDb } from '../context';

export type OutboxState = OutboxEntry['state'];

export interface OutboxCommand {
  id: string;
  userId: string;
  kind: OutboxKind;
  /** What the command acts on: a case or a KYT alert, exactly one (the table checks it). */
  caseId: string | null;
  alertId: string | null;
  idempotencyKey: string;
  /** JSON, checked by ./commands.ts when read. */
  payload: string;
  state: OutboxState;
  attempts: number;
  error: DeskError | null;
  createdAt: string;
  nextAttemptAt: string;
}

interface OutboxRow {
  id: string;
  user_id: string;
  kind: OutboxKind;
  case_id: string | null;
  alert_id: string | null;
  idempotency_key: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  error: string | null;
  created_at: string;
  next_attempt_at: string;
}

const COLUMNS = `id, user_id, kind, case_id, alert_id, idempotency_key, payload, state, attempts, error, created_at, next_attempt_at`;

function errorOf(json: string | null): DeskError | null {
  if (json === null) return null;
  const parsed = deskError.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : { code: 'unknown', message: 'The last attempt failed.' };
}

function commandOf(row: OutboxRow): OutboxCommand {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    caseId: row.case_id,
    alertId: row.alert_id,
    idempotencyKey: row.idempotency_key,
    payload: row.payload,
    state: row.state,
    attempts: row.attempts,
    error: errorOf(row.error),
    createdAt: row.created_at,
    nextAttemptAt: row.next_attempt_at,
  };
}

/** What the renderer sees of a command: never its key or payload (a verdict's payload holds its code). */
export function entryOf(command: OutboxCommand): OutboxEntry {
  return {
    id: command.id,
    kind: command.kind,
    caseId: command.caseId,
    alertId: command.alertId,
    state: command.state,
    createdAt: command.createdAt,
    attempts: command.attempts,
    error: command.error,
  };
}

export interface NewCommand {
  id: string;
  userId: string;
  kind: OutboxKind;
  caseId: string | null;
  /** Set for the commands on a KYT alert (assign, decide), with `caseId` null. */
  alertId?: string | null;
  idempotencyKey: string;
  payload: unknown;
  at: string;
}

export function insertCommand(db: DeskDb, command: NewCommand): OutboxCommand {
  const row = db
    .prepare(
      `INSERT INTO outbox (id, user_id, kind, case_id, alert_id, idempotency_key, payload, state, attempts, created_at, updated_at, next_attempt_at)
       VALUES (@id, @userId, @kind, @caseId, @alertId, @idempotencyKey, @payload, 'pending', 0, @at, @at, @at)
       RETURNING ${COLUMNS}`,
    )
    .get({ ...command, alertId: command.alertId ?? null, payload: JSON.stringify(command.payload) }) as OutboxRow;
  return commandOf(row);
}

export function findCommand(db: DeskDb, id: string): OutboxCommand | null {
  const row = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`).get(id) as OutboxRow | undefined;
  return row ? commandOf(row) : null;
}

// A pending command goes only when no older pending command of the same user waits on the same case (or
// the same alert): commands of one subject reach the server in the order they were given (a claim before
// the verdict that needs it, an assignment before the decision), while different subjects do not hold each
// other up. IS compares the null of the other kind of subject as equal. rowid is the insertion order.
const HEAD_OF_CASE = `
  o.user_id = @userId AND o.state = 'pending'
  AND NOT EXISTS (
    SELECT 1 FROM outbox e
    WHERE e.user_id = o.user_id AND e.case_id IS o.case_id AND e.alert_id IS o.alert_id
      AND e.state = 'pending' AND e.rowid < o.rowid
  )`;

/** The commands of `userId` that may be sent now. */
export function dueCommands(db: DeskDb, userId: string, now: string): OutboxCommand[] {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM outbox o WHERE ${HEAD_OF_CASE} AND o.next_attempt_at <= @now ORDER BY o.rowid`,
    )
    .all({ userId, now }) as OutboxRow[];
  return rows.map(commandOf);
}

/** When the next of `userId`'s sendable commands falls due, or null when none waits. */
export function nextAttemptAt(db: DeskDb, userId: string): string | null {
  const row = db
    .prepare(`SELECT MIN(o.next_attempt_at) AS at FROM outbox o WHERE ${HEAD_OF_CASE}`)
    .get({ userId }) as {
    at: string | null;
  };
  return row.at;
}

/** Makes every pending command of `userId` due now: after a crash, a sign-in, or the server coming back. */
export function makePendingDue(db: DeskDb, userId: string, now: string): void {
  db.prepare(
    `UPDATE outbox SET next_attempt_at = @now WHERE user_id = @userId AND state = 'pending' AND next_attempt_at > @now`,
  ).run({
    userId,
    now,
  });
}

/** Counts an attempt before it is made, so a crash in the middle still shows it was tried. */
export function countAttempt(db: DeskDb, id: string, now: string): OutboxCommand | null {
  const row = db
    .prepare(
      `UPDATE outbox SET attempts = attempts + 1, updated_at = @now WHERE id = @id AND state = 'pending' RETURNING ${COLUMNS}`,
    )
    .get({ id, now }) as OutboxRow | undefined;
  return row ? commandOf(row) : null;
}

export interface Settlement {
  state: OutboxState;
  error: DeskError | null;
  payload: unknown;
  nextAttemptAt: string;
  now: string;
}

/** Records the result of an attempt on a command that was pending; null if it was not (nothing changes). */
export function settleAttempt(db: DeskDb, id: string, settlement: Settlement): OutboxCommand | null {
  const row = db
    .prepare(
      `UPDATE outbox SET state = @state, error = @error, payload = @payload, next_attempt_at = @nextAttemptAt, updated_at = @now
       WHERE id = @id AND state = 'pending' RETURNING ${COLUMNS}`,
    )
    .get({
      id,
      state: settlement.state,
      error: settlement.error ? JSON.stringify(settlement.error) : null,
      payload: JSON.stringify(settlement.payload),
      nextAttemptAt: settlement.nextAttemptAt,
      now: settlement.now,
    }) as OutboxRow | undefined;
  return row ? commandOf(row) : null;
}

/** Puts a command waiting for a code (a verdict, a hold lift) back in line with its new payload; null unless it was waiting. */
export function requeueWithCode(db: DeskDb, id: string, payload: unknown, now: string): OutboxCommand | null {
  const row = db
    .prepare(
      `UPDATE outbox SET state = 'pending', payload = @payload, error = NULL, next_attempt_at = @now, updated_at = @now
       WHERE id = @id AND state = 'needs_code' RETURNING ${COLUMNS}`,
    )
    .get({ id, payload: JSON.stringify(payload), now }) as OutboxRow | undefined;
  return row ? commandOf(row) : null;
}

/** The commands of `userId` on a case, oldest first: what the case workspace shows beside the case. */
export function commandsOfCase(db: DeskDb, userId: string, caseId: string): OutboxEntry[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM outbox WHERE user_id = ? AND case_id = ? ORDER BY created_at, rowid`)
    .all(userId, caseId) as OutboxRow[];
  return rows.map((row) => entryOf(commandOf(row)));
}

/** The commands of `userId` on a KYT alert, oldest first. */
export function commandsOfAlert(db: DeskDb, userId: string, alertId: string): OutboxEntry[] {
  const rows = db
    .prepare(`SELECT ${COLUMNS} FROM outbox WHERE user_id = ? AND alert_id = ? ORDER BY created_at, rowid`)
    .all(userId, alertId) as OutboxRow[];
  return rows.map((row) => entryOf(commandOf(row)));
}

/** A command of `kind` by `userId` on the case still on its way (pending or waiting for a code), if any. */
export function openCommandOf(db: DeskDb, userId: string, caseId: string, kind: OutboxKind): OutboxCommand | null {
  const row = db
    .prepare(
      `SELECT ${COLUMNS} FROM outbox
       WHERE user_id = ? AND case_id = ? AND kind = ? AND state IN ('pending', 'needs_code') LIMIT 1`,
    )
    .get(userId, caseId, kind) as OutboxRow | undefined;
  return row ? commandOf(row) : null;
}

/** A verdict of `userId` on the case that is still on its way (pending or waiting for a code), if any. */
export const openVerdictOf = (db: DeskDb, userId: string, caseId: string) =>
  openCommandOf(db, userId, caseId, 'verdict');

/**
 * Deletes the finished commands (confirmed, or failed for good), of every user, last changed before
 * `before` (all of them without it); returns how many. Commands still on their way (pending, waiting for a
 * code) are never deleted: one may be an unsent verdict.
 */
export function deleteFinishedCommands(db: DeskDb, before?: string): number {
  return db
    .prepare(
      `DELETE FROM outbox WHERE state IN ('confirmed', 'failed') AND (@before IS NULL OR updated_at < @before)`,
    )
    .run({ before: before ?? null }).changes;
}
