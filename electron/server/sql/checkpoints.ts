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
