// Opens the desk's SQLite files with their pragmas and brings their schema up to date (DESIGN §5). The
// driver is better-sqlite3-multiple-ciphers: better-sqlite3 with SQLite3 Multiple Ciphers built in, whose
// npm package ships the same Node-API prebuilds (no compiler, no download at install). Given a key, the
// whole file is encrypted, its WAL included (ChaCha20-Poly1305 per page, the library's default cipher),
// so the queue's indexes and its full-text search work unchanged on data that is never on disk in clear.
import Database from 'better-sqlite3-multiple-ciphers';
import fs from 'node:fs';
import path from 'node:path';
import { migrateOpenedDatabase, type Migration } from '../../../shared/db/migrations';
import { useKey } from '../../sqlite/cipher-key';
import type { DeskDb } from '../context';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/permissions';
import { DESK_MIGRATIONS } from './migrations/index';

export const DESK_DATABASE_FILE = 'desk.db';

export class DeskDatabaseTooNewError extends Error {
  readonly code = 'database_too_new';
  constructor(found: number, known: number) {
    super(
      `The desk's local data is at schema version ${found}, newer than this version of the app knows (${known}). ` +
        'Update the app, or remove the data folder to start afresh.',
    );
    this.name = 'DeskDatabaseTooNewError';
  }
}

const tooNew = (found: number, known: number) => new DeskDatabaseTooNewError(found, known);

/**
 * The page cache of a connection, in KiB (a negative cache_size), an upper bound that a small store never
 * reaches. SQLite's default of 2 MiB holds an eighth of the queue's table at 100,000 cases, so a search
 * counting its hits' views read pages again on every query, and in an encrypted file decrypted them
 * again too; 64 MiB holds the table and the indexes the queue walks (issue #13).
 */
const PAGE_CACHE_KIB = -65_536;

/**
 * Opens `file` — ':memory:' for tests — encrypted with `key` when one is given. The file is created with
 * mode 0600 first: SQLite gives its -wal and -shm files the mode of the database file.
 */
export function openSqlite(file: string, key?: Buffer): DeskDb {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  }
  const db = new Database(file) as DeskDb;
  if (key) useKey(db, key);
  db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
  return db;
}

/** Opens (creating if needed) the cache at `file` and migrates it. */
export function openDeskDatabase(
  file: string,
  migrations: readonly Migration[] = DESK_MIGRATIONS,
  key?: Buffer,
): DeskDb {
  return migrateOpenedDatabase(openSqlite(file, key), migrations, tooNew);
}
