// Where the sync stands, kept in sync_state beside the cases it describes, so that it is always written in
// the same transaction as the cases it accounts for.
import type { DeskDb } from '../context';
import { perConnection } from '../cache/statements';

export interface SyncState {
  /** The feed cursor of the last change applied: the next pull asks for what comes after it. */
  cursor: number;
  /** Bumped when a refetch starts; rows it never rewrites are swept when it ends (refetch.ts). */
  generation: number;
  /** A refetch from after=0 is under way (maybe interrupted by a crash, to be finished). */
  refetching: boolean;
  /** When a pull last reached the end of the feed: the cache was then as current as the server. */
  lastSyncedAt: string | null;
}

type Key = 'server' | 'cursor' | 'generation' | 'refetching' | 'last_synced_at' | 'user';

const statements = perConnection((db: DeskDb) => ({
  read: db.prepare('SELECT key, value FROM sync_state'),
  write: db.prepare(
    'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
}));

function readAll(db: DeskDb): Map<string, string> {
  const rows = statements(db).read.all() as { key: Key; value: string }[];
  return new Map(rows.map((row) => [row.key, row.value]));
}

export function readSyncState(db: DeskDb): SyncState {
  const values = readAll(db);
  return {
    cursor: Number(values.get('cursor') ?? 0),
    generation: Number(values.get('generation') ?? 0),
    refetching: values.get('refetching') === '1',
    lastSyncedAt: values.get('last_synced_at') ?? null,
  };
}

/** Writes some of the state. Call inside the transaction that changed the cases it describes. */
export function writeSyncState(db: DeskDb, changes: Partial<SyncState>): void {
  const { write } = statements(db);
  if (changes.cursor !== undefined) write.run('cursor', String(changes.cursor));
  if (changes.generation !== undefined) write.run('generation', String(changes.generation));
  if (changes.refetching !== undefined) write.run('refetching', changes.refetching ? '1' : '0');
  if (changes.lastSyncedAt !== undefined && changes.lastSyncedAt !== null) {
    write.run('last_synced_at', changes.lastSyncedAt);
  }
}

/**
 * The cache belongs to one server: its cases, cursor and generation mean nothing to another. When the desk
 * is pointed elsewhere, the cached cases and the sync state go (in one transaction) and the next sync
 * starts from the beginning. What only this desk knows (outbox, drafts and settings, in the own store, and
 * the evidence files, which are checked by hash anyway) stays. Returns whether anything was wiped.
 */
export function bindCacheToServer(db: DeskDb, server: string): boolean {
  return db
    .transaction(() => {
      const bound = readAll(db).get('server');
      if (bound === server) return false;
      db.exec(`
        DELETE FROM cases_search;
        DELETE FROM case_evidence;
        DELETE FROM case_details;
        DELETE FROM cases;
        DELETE FROM sync_state;
      `);
      statements(db).write.run('server', server);
      return bound !== undefined;
    })
    .immediate();
}

/** The user the cached cases were synced for: null before the first sign-in and after a sign-out purge. */
export function readCacheOwner(db: DeskDb): string | null {
  return readAll(db).get('user') ?? null;
}

export function writeCacheOwner(db: DeskDb, userId: string): void {
  statements(db).write.run('user', userId);
}
