// What the desk and its sync writer's thread (writer.ts, writer-thread.ts) say to each other.
import type { DeskDb } from '../context';
import { openSqlite } from '../db/open';
import type { RowsPage } from './apply-page';
import type { SyncState } from './sync-state';

/** What the thread needs to open the cache: the desk's file, key and connection settings. */
export interface WriterStart {
  file: string;
  keyHex: string | null;
  busyTimeoutMs: number;
}

export type WriterRequest =
  /** Changes of the next page, checked and worked out into rows by the desk (apply-page.ts rowsOf). No reply. */
  | { id: number; kind: 'rows'; changes: RowsPage['changes'] }
  /** Applies the `changes` changes sent since the last page, with this cursor, in one transaction, if the
   *  cache is at `after` (the page before it was written). */
  | { id: number; kind: 'page'; changes: number; after: number; cursor: number; hasMore: boolean; at: string }
  /** Statements to run in one IMMEDIATE transaction (the end of a bulk load). */
  | { id: number; kind: 'transaction'; statements: readonly string[] }
  | { id: number; kind: 'close' };

export type WriterReply =
  /** Sent once, when the thread has opened the cache and can take requests. */
  | { id: 0; kind: 'ready' }
  | { id: number; kind: 'applied'; caseIds: string[]; state: SyncState }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'failed'; error: { name: string; message: string; code?: string } };

/** The thread's connection: the desk's file and key, already migrated by the desk. */
export function openWriterConnection(start: WriterStart): DeskDb {
  const db = openSqlite(start.file, start.keyHex === null ? undefined : Buffer.from(start.keyHex, 'hex'));
  // As the desk's own connection (shared/db/migrations.ts): the schema is the desk's business, not the thread's.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${start.busyTimeoutMs}`);
  return db;
}
