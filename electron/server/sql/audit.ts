// The audit log's table. The chain's rules (hashing, verification) are in audit/chain.ts.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function readAuditHead(db: Db): { seq: number; hash: string } | undefined {
  return prepared(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
}

export function insertAuditRow(db: Db, row: AuditRow): void {
  prepared(
    db,
    `INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @subject, @data, @prev_hash, @hash)`,
  ).run(row);
}

export function readAuditRows(db: Db, afterSeq: number, limit: number): AuditRow[] {
  return prepared(db, 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as AuditRow[];
}

/** At most `limit` rows after `afterSeq` and up to `untilSeq`, in order: one slice of a verification. */
export function readAuditRowsUpTo(db: Db, afterSeq: number, untilSeq: number, limit: number): AuditRow[] {
  return prepared(db, 'SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?').all(
    afterSeq,
    untilSeq,
    limit,
  ) as AuditRow[];
}

/** Every row after `afterSeq` in order, streamed: the whole log need not fit in memory. */
export function iterateAuditRows(db: Db, afterSeq = 0): IterableIterator<AuditRow> {
  return prepared(db, 'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').iterate(afterSeq) as IterableIterator<AuditRow>;
}

export function readAuditHashAt(db: Db, seq: number): string | undefined {
  const row = prepared(db, 'SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined;
  return row?.hash;
}
