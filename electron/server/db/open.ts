import Database from 'better-sqlite3';
import { restrictDataFolder } from './permissions';
import { migrateOpenedDatabase, type Migration } from '../../../shared/db/migrations';
import { asCorruptionError, checkIntegrity } from './integrity';
import { MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

export class DatabaseTooNewError extends Error {
  readonly code = 'database_too_new';
  constructor(found: number, known: number) {
    super(`The database is at schema version ${found}, newer than this server knows (${known}). Upgrade the server.`);
  }
}

const tooNew = (found: number, known: number) => new DatabaseTooNewError(found, known);

/**
 * Opens (creating if needed) the server's store with the pragmas a money ledger needs, checks it is whole
 * and migrates it. A damaged file is refused with DatabaseCorruptError (db/integrity.ts), which says how
 * to restore the last backup.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file === ':memory:') return migrateOpenedDatabase(new Database(file), migrations, tooNew);
  restrictDataFolder(file);
  const db = new Database(file);
  try {
    checkIntegrity(db, file);
  } catch (error) {
    db.close();
    throw error;
  }
  const migrated = asCorruptionError(file, () => migrateOpenedDatabase(db, migrations, tooNew));
  // Deleted rows (pruned sessions and stored answers, replaced secrets) are overwritten with zeros, not
  // left readable in free pages of the file and its backups.
  migrated.pragma('secure_delete = ON');
  // Statement journals in memory: a verdict's savepoint journals some 16 pages, past SQLite's 64 KiB spill
  // threshold, and with temp files allowed each verdict created, wrote and dropped one in the temp folder
  // (issue #13). Sorts and temporary b-trees (the verdict history's ORDER BY, GROUP BY over alerts) stay in
  // memory too, unbounded: tens of MB at 100,000 cases, for the length of one query; and no plaintext rows
  // land in temp files.
  migrated.pragma('temp_store = MEMORY');
  return migrated;
}

/** Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front, so two writers never
 *  both read a state and then race to change it. */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
