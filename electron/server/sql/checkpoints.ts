// The audit checkpoints' table (migration 0004). What a checkpoint means is in audit/checkpoints.ts.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface CheckpointRow {
  seq: number;
  origin: string;
  hash: string;
  at: string;
  key_id: string;
  public_key: string;
  signature: string;
}

export function insertCheckpointRow(db: Db, row: CheckpointRow): void {
  prepared(
    db,
    `INSERT INTO audit_checkpoints (seq, origin, hash, at, key_id, public_key, signature)
     VALUES (@seq, @origin, @hash, @at, @key_id, @public_key, @signature)`,
  ).run(row);
}

export function readLatestCheckpointRow(db: Db): CheckpointRow | undefined {
  return prepared(db, 'SELECT * FROM audit_checkpoints ORDER BY seq DESC LIMIT 1').get() as CheckpointRow | undefined;
}

export function readCheckpointRows(db: Db, afterSeq: number, limit: number): CheckpointRow[] {
  return prepared(db, 'SELECT * FROM audit_checkpoints WHERE seq > ? ORDER BY seq LIMIT ?').all(
    afterSeq,
    limit,
  ) as CheckpointRow[];
}

/** The earliest checkpoint at or after `seq`: the one that covers an entry. */
export function readCoveringCheckpointRow(db: Db, seq: number): CheckpointRow | undefined {
  return prepared(db, 'SELECT * FROM audit_checkpoints WHERE seq >= ? ORDER BY seq LIMIT 1').get(seq) as
    | CheckpointRow
    | undefined;
}

/**
 * The earliest checkpoint whose entry is gone or no longer has the hash it signed: where a rewritten or
 * truncated log first departs from what the server signed.
 */
export function readFirstBrokenCheckpointSeq(db: Db): number | undefined {
  const row = prepared(
    db,
    `SELECT c.seq FROM audit_checkpoints c LEFT JOIN audit_log a ON a.seq = c.seq
     WHERE a.hash IS NULL OR a.hash <> c.hash ORDER BY c.seq LIMIT 1`,
  ).get() as { seq: number } | undefined;
  return row?.seq;
}

/** The newest checkpoint below `seq`, if any. */
export function readCheckpointSeqBefore(db: Db, seq: number): number | undefined {
  const row = prepared(db, 'SELECT max(seq) AS seq FROM audit_checkpoints WHERE seq < ?').get(seq) as { seq: number | null };
  return row.seq ?? undefined;
}

export function readCheckpointRowAt(db: Db, seq: number): CheckpointRow | undefined {
  return prepared(db, 'SELECT * FROM audit_checkpoints WHERE seq = ?').get(seq) as CheckpointRow | undefined;
}
