// What the desk and its sync writer's thread (writer.ts, writer-thread.ts) say to each other.
import type { DeskDb } from '../context';
import { openSqlite } from '../db/open';
import type { SyncState } from './sync-state';

/** What the thread needs to open the cache: the desk's file, key and connection settings. */
export interface WriterStart {
  file: string;
  keyHex: string | null;
  busyTimeoutMs: number;
  /** For tests: the entry of the thread that checkpoints the cache's WAL beside this one. */
  checkpointEntry?: string;
}

export type WriterRequest =
  /**
   * A /v1/sync page as the server sent it (its JSON bytes), asked for after `after`: the thread reads and
   * checks it, answers 'parsed', then applies it with its cursor in one transaction if the cache is still
   * at `after` (the page before it was written) and answers 'applied'.
   */
  | { id: number; kind: 'page'; bytes: Uint8Array; after: number; at: string }
  /** Statements to run in one IMMEDIATE transaction (a step of the end of a bulk load). */
  | { id: number; kind: 'transaction'; statements: readonly string[] }
  | { id: number; kind: 'close' };

export type WriterReply =
  /** Sent once, when the thread has opened the cache and can take requests. */
  | { id: 0; kind: 'ready' }
  /** Something the desk's log should say: its WAL checkpoint thread could not start or stopped. */
  | { id: 0; kind: 'warning'; message: string }
  | { id: number; kind: 'parsed'; cursor: number; hasMore: boolean; changes: number }
  | { id: number; kind: 'applied'; caseIds: string[]; state: SyncState; cachedCases: number }
  | { id: number; kind: 'done' }
  /** The request failed: nothing of it was written. A page that fails answers this instead of the rest. */
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
