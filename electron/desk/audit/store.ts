// The audit check's tables (desk migration 0003). What they mean is in verifier.ts; this file owns their SQL.
import type { AuditStatus } from '../../../shared/desk-api/schemas';
import { perConnection } from '../cache/statements';
import type { DeskDb } from '../context';

export interface EntryHash {
  seq: number;
  hash: string;
}

export interface SeenCheckpoint {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
}

export interface PinnedKey {
  publicKey: string;
  fingerprint: string;
  pinnedAt: string;
}

type StateKey = 'server' | 'status' | 'pending_key';

const statements = perConnection((db: DeskDb) => ({
  head: db.prepare('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1'),
  hashesIn: db.prepare('SELECT seq, hash FROM audit_entries WHERE seq > ? AND seq <= ? ORDER BY seq'),
  hashAt: db.prepare('SELECT hash FROM audit_entries WHERE seq = ?'),
  insertEntry: db.prepare('INSERT INTO audit_entries (seq, hash) VALUES (?, ?)'),
  forgetAfter: db.prepare('DELETE FROM audit_entries WHERE seq > ?'),
  newestSeen: db.prepare('SELECT seq, hash, at, key_id AS keyId FROM audit_checkpoints ORDER BY seq DESC LIMIT 1'),
  firstSeenAbove: db.prepare('SELECT seq FROM audit_checkpoints WHERE seq > ? ORDER BY seq LIMIT 1'),
  // A remembered checkpoint whose entry this desk no longer holds with the hash it signed.
  firstUnmatchedSeen: db.prepare(
    `SELECT c.seq FROM audit_checkpoints c LEFT JOIN audit_entries e ON e.seq = c.seq
     WHERE e.hash IS NULL OR e.hash <> c.hash ORDER BY c.seq LIMIT 1`,
  ),
  recordSeen: db.prepare(
    `INSERT INTO audit_checkpoints (seq, hash, at, key_id, seen_at) VALUES (@seq, @hash, @at, @keyId, @seenAt)
     ON CONFLICT(seq) DO NOTHING`,
  ),
  currentKey: db.prepare(
    `SELECT public_key AS publicKey, fingerprint, pinned_at AS pinnedAt FROM audit_keys
     WHERE server = ? AND replaced_at IS NULL`,
  ),
  everTrusted: db.prepare('SELECT 1 FROM audit_keys WHERE server = ? AND public_key = ?'),
  retireKey: db.prepare('UPDATE audit_keys SET replaced_at = ? WHERE server = ? AND replaced_at IS NULL'),
  pinKey: db.prepare('INSERT INTO audit_keys (server, public_key, fingerprint, pinned_at) VALUES (?, ?, ?, ?)'),
  readState: db.prepare('SELECT value FROM audit_state WHERE key = ?'),
  writeState: db.prepare(
    'INSERT INTO audit_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ),
  deleteState: db.prepare('DELETE FROM audit_state WHERE key = ?'),
}));

export function readLocalHead(db: DeskDb): EntryHash | null {
  return (statements(db).head.get() as EntryHash | undefined) ?? null;
}

/** The stored hashes of entries after `afterSeq` up to `upTo`, by seq. */
export function readHashesIn(db: DeskDb, afterSeq: number, upTo: number): Map<number, string> {
  const rows = statements(db).hashesIn.all(afterSeq, upTo) as EntryHash[];
  return new Map(rows.map((row) => [row.seq, row.hash]));
}

export function readHashAt(db: DeskDb, seq: number): string | undefined {
  return (statements(db).hashAt.get(seq) as { hash: string } | undefined)?.hash;
}

export function appendEntryHashes(db: DeskDb, entries: readonly EntryHash[]): void {
  const { insertEntry } = statements(db);
  db.transaction(() => {
    for (const entry of entries) insertEntry.run(entry.seq, entry.hash);
  })();
}

/** Forgets the entries after `seq`: they are not (or no longer) vouched for by a verified checkpoint. */
export function forgetEntriesAfter(db: DeskDb, seq: number): void {
  statements(db).forgetAfter.run(seq);
}

export function readNewestSeenCheckpoint(db: DeskDb): SeenCheckpoint | null {
  return (statements(db).newestSeen.get() as SeenCheckpoint | undefined) ?? null;
}

export function readFirstSeenCheckpointAbove(db: DeskDb, seq: number): number | undefined {
  return (statements(db).firstSeenAbove.get(seq) as { seq: number } | undefined)?.seq;
}

export function readFirstUnmatchedSeenCheckpoint(db: DeskDb): number | undefined {
  return (statements(db).firstUnmatchedSeen.get() as { seq: number } | undefined)?.seq;
}

/** Remembers a checkpoint that verified, and forgets entries beyond it, in one transaction. */
export function recordVerifiedCheckpoint(db: DeskDb, checkpoint: SeenCheckpoint, seenAt: string): void {
  db.transaction(() => {
    statements(db).recordSeen.run({ ...checkpoint, seenAt });
    statements(db).forgetAfter.run(checkpoint.seq);
  })();
}

export function readPinnedKey(db: DeskDb, server: string): PinnedKey | null {
  return (statements(db).currentKey.get(server) as PinnedKey | undefined) ?? null;
}

export function wasKeyEverTrusted(db: DeskDb, server: string, publicKey: string): boolean {
  return statements(db).everTrusted.get(server, publicKey) !== undefined;
}

/** Pins `publicKey` as the server's key, retiring the one pinned before (if any), in one transaction. */
export function pinKey(db: DeskDb, server: string, key: PinnedKey): void {
  db.transaction(() => {
    statements(db).retireKey.run(key.pinnedAt, server);
    statements(db).pinKey.run(server, key.publicKey, key.fingerprint, key.pinnedAt);
  })();
}

function readState(db: DeskDb, key: StateKey): string | undefined {
  return (statements(db).readState.get(key) as { value: string } | undefined)?.value;
}

function writeState(db: DeskDb, key: StateKey, value: string | null): void {
  if (value === null) statements(db).deleteState.run(key);
  else statements(db).writeState.run(key, value);
}

/** The last verdict, as a check left it; `fingerprint` is filled in from the pin by the caller. */
export function readStoredStatus(db: DeskDb): AuditStatus | null {
  const stored = readState(db, 'status');
  if (stored === undefined) return null;
  try {
    return JSON.parse(stored) as AuditStatus;
  } catch {
    return null;
  }
}

export function writeStoredStatus(db: DeskDb, status: AuditStatus): void {
  writeState(db, 'status', JSON.stringify(status));
}

/** The key a key change showed, until the user trusts it (or the server goes back to the pinned one). */
export function readPendingKey(db: DeskDb): string | null {
  return readState(db, 'pending_key') ?? null;
}

export function writePendingKey(db: DeskDb, publicKey: string | null): void {
  writeState(db, 'pending_key', publicKey);
}

/**
 * The entries and checkpoints belong to one server's log. When the desk is pointed at another, they go (the
 * pins stay, per server, like SSH's known hosts): returns whether anything was dropped.
 */
export function bindAuditToServer(db: DeskDb, server: string): boolean {
  return db
    .transaction(() => {
      const bound = readState(db, 'server');
      if (bound === server) return false;
      db.exec(`
        DELETE FROM audit_entries;
        DELETE FROM audit_checkpoints;
        DELETE FROM audit_state;
      `);
      writeState(db, 'server', server);
      return bound !== undefined;
    })
    .immediate();
}
