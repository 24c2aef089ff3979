// A desk from before the own store kept the outbox, drafts and settings in its cache file, unencrypted.
// On the first start of this version those rows move to the own store and the old file goes, with the
// evidence files it described: they held every case's names, chats and ID photos in clear. The cache is
// rebuilt from the server by the next sync. The copy is INSERT OR IGNORE in one transaction, so a crash
// before the old file is deleted only means the same rows are offered again and ignored.
import fs from 'node:fs';
import path from 'node:path';
import { migrateOpenedDatabase } from '../../../shared/db/migrations';
import type { DeskDb, DeskLogger } from '../context';
import { DESK_DATABASE_FILE, DeskDatabaseTooNewError, openSqlite } from '../db/open';
import { DESK_MIGRATIONS, LAST_VERSION_WITH_OWN_TABLES } from '../db/migrations/index';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether `file` is a plain (unencrypted) SQLite file: an encrypted one starts with random bytes. */
export function isPlainSqlite(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

const OWN_TABLES = {
  outbox: [
    'id', 'user_id', 'kind', 'case_id', 'alert_id', 'idempotency_key', 'payload', 'state', 'attempts',
    'error', 'created_at', 'updated_at', 'next_attempt_at',
  ],
  drafts: ['user_id', 'case_id', 'data', 'updated_at'],
  settings: ['key', 'value'],
} as const;

/**
 * Which rows of each table move. A finished command (confirmed, failed for good) stays behind: its text is
 * on the server, and this version keeps none of a finished command's (outbox/commands.ts, finishedPayload).
 */
const ROWS_KEPT: Record<keyof typeof OWN_TABLES, string> = {
  outbox: "WHERE state IN ('pending', 'needs_code')",
  drafts: '',
  settings: '',
};

function copyOwnRows(legacy: DeskDb, own: DeskDb): number {
  let copied = 0;
  own.transaction(() => {
    for (const [table, columns] of Object.entries(OWN_TABLES)) {
      const names = columns.join(', ');
      const insert = own.prepare(
        `INSERT OR IGNORE INTO ${table} (${names}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      // rowid order keeps the outbox's sending order (store.ts sends each case's commands by rowid).
      const kept = ROWS_KEPT[table as keyof typeof OWN_TABLES];
      for (const row of legacy.prepare(`SELECT ${names} FROM ${table} ${kept} ORDER BY rowid`).iterate())
        copied += insert.run(row as Record<string, unknown>).changes;
    }
  })();
  return copied;
}

/** Moves the own rows out of an unencrypted cache in `dataDir`, then deletes it. Returns whether there was one. */
export function importLegacyCache(dataDir: string, own: DeskDb, log: DeskLogger): boolean {
  const file = path.join(dataDir, DESK_DATABASE_FILE);
  if (!isPlainSqlite(file)) return false;
  const legacy = openSqlite(file);
  try {
    const version = legacy.pragma('user_version', { simple: true }) as number;
    // Not ours to delete: a plain file this version does not know came from somewhere else.
    if (version > DESK_MIGRATIONS.length) throw new DeskDatabaseTooNewError(version, DESK_MIGRATIONS.length);
    if (version <= LAST_VERSION_WITH_OWN_TABLES) {
      const upToOwnTables = DESK_MIGRATIONS.slice(0, LAST_VERSION_WITH_OWN_TABLES);
      migrateOpenedDatabase(legacy, upToOwnTables, (found, known) => new DeskDatabaseTooNewError(found, known));
      const copied = copyOwnRows(legacy, own);
      log.info('Moved the outbox, drafts and settings out of the old unencrypted cache', { rows: copied });
    }
  } finally {
    legacy.close();
  }
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  log.info('Deleted the old unencrypted cache; the next sync rebuilds it encrypted');
  return true;
}
