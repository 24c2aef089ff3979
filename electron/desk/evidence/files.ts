// The evidence_files table (schema in ../db/migrations/): which files the desk holds, their type and size,
// and when each was last used, for the LRU cap. The files themselves live under dataDir/evidence/.
import type { DeskDb } from '../context';

export interface HeldFile {
  sha256: string;
  mime: string;
  size: number;
}

export function findHeldFile(db: DeskDb, sha256: string): HeldFile | null {
  const row = db.prepare('SELECT sha256, mime, size FROM evidence_files WHERE sha256 = ?').get(sha256) as
    HeldFile | undefined;
  return row ?? null;
}

export function markUsed(db: DeskDb, sha256: string, at: string): void {
  db.prepare('UPDATE evidence_files SET last_used_at = ? WHERE sha256 = ?').run(at, sha256);
}

export function forgetHeldFile(db: DeskDb, sha256: string): void {
  db.prepare('DELETE FROM evidence_files WHERE sha256 = ?').run(sha256);
}

/**
 * Records a file now on disk and picks the least recently used others to drop until the total fits in
 * `maxTotalBytes`; their rows are gone when this returns, and the caller deletes their files.
 */
export function holdFileWithinCap(db: DeskDb, file: HeldFile, at: string, maxTotalBytes: number): string[] {
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO evidence_files (sha256, mime, size, last_used_at) VALUES (@sha256, @mime, @size, @at)
       ON CONFLICT (sha256) DO UPDATE SET mime = excluded.mime, size = excluded.size, last_used_at = excluded.last_used_at`,
    ).run({ ...file, at });
    let { total } = db.prepare('SELECT COALESCE(SUM(size), 0) AS total FROM evidence_files').get() as {
      total: number;
    };
    const evicted: string[] = [];
    const oldestFirst = db
      .prepare('SELECT sha256, size FROM evidence_files WHERE sha256 <> ? ORDER BY last_used_at, sha256')
      .iterate(file.sha256) as IterableIterator<{ sha256: string; size: number }>;
    for (const old of oldestFirst) {
      if (total <= maxTotalBytes) break;
      evicted.push(old.sha256);
      total -= old.size;
    }
    const forget = db.prepare('DELETE FROM evidence_files WHERE sha256 = ?');
    for (const sha256 of evicted) forget.run(sha256);
    return evicted;
  })();
}

/** Forgets the files no cached case refers to; returns their sha256 for the caller to delete. */
export function forgetUnreferencedFiles(db: DeskDb): string[] {
  return db
    .prepare(
      `DELETE FROM evidence_files WHERE NOT EXISTS (SELECT 1 FROM case_evidence e WHERE e.sha256 = evidence_files.sha256)
       RETURNING sha256`,
    )
    .all()
    .map((row) => (row as { sha256: string }).sha256);
}
