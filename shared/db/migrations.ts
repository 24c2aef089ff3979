// The one migration runner of the desk's cache and the server's store (STYLE.md, "Migrations only grow").
// Each migration has the next version number; the pending ones run in one transaction and the version
// reached is kept in PRAGMA user_version, so a failed upgrade leaves the file as it was. A file from a
// newer version of the app is refused, never guessed at. Pure: it needs only the few members of a
// connection below, which better-sqlite3's Database has.

export interface Migration {
  /** The user_version the database is at once this migration has run: 1, 2, 3... in list order. */
  version: number;
  name: string;
  /** SQL, run as one script. */
  up: string;
}

/** What the runner needs of a connection. */
export interface MigrationDb {
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  readonly inTransaction: boolean;
}

/** Makes the error a caller wants for a file at version `found` when it knows only up to `known`. */
export type TooNewError = (found: number, known: number) => Error;

/**
 * The version `db` is at. Throws `tooNew` when that is newer than the last migration: call it before
 * anything is written (pragmas included) so that a newer app's file is left exactly as it was.
 */
export function checkSchemaVersion(
  db: MigrationDb,
  migrations: readonly Migration[],
  tooNew: TooNewError,
): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw tooNew(current, latest);
  return current;
}

/** Runs the migrations `db` has not had yet, in order, in one transaction. Returns the versions run. */
export function runMigrations(
  db: MigrationDb,
  migrations: readonly Migration[],
  tooNew: TooNewError,
): number[] {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(
        `Migration "${migration.name}" is number ${index + 1} in its list but says version ${migration.version}`,
      );
  });
  if (checkSchemaVersion(db, migrations, tooNew) === migrations.length) return [];
  // A migration may rebuild a table (SQLite's only way to change a column's constraints), which a parent
  // table's foreign keys forbid while they are enforced. So, as SQLite's "generalized ALTER TABLE
  // procedure" says, they are off during the migrations (the pragma only works outside a transaction)
  // and checked as a whole before the commit.
  const enforcedForeignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  if (enforcedForeignKeys) db.pragma('foreign_keys = OFF');
  // IMMEDIATE takes the write lock first; the version is read again under it, so that two processes
  // opening the same file at once never both run a migration.
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = checkSchemaVersion(db, migrations, tooNew);
    const pending = migrations.slice(current);
    for (const migration of pending) {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) {
      throw new Error(`Migrating left ${broken.length} rows whose foreign keys point nowhere; nothing was changed`);
    }
    db.exec('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    // Some errors (a full disk, for one) end the transaction in SQLite already.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    if (enforcedForeignKeys) db.pragma('foreign_keys = ON');
  }
}

/** What opening needs of a connection: the runner's three members and a way to close it. */
export interface OpenedDb extends MigrationDb {
  close(): unknown;
}

/**
 * Sets up a connection just opened on a store's file, for the desk's cache and the server's store alike:
 * refuses a newer app's file before anything is written (journal mode included, so it is left exactly as
 * it was), sets the pragmas both need and migrates. The caller opens the file (this folder imports no
 * driver). On any error the connection is closed before the error is thrown: the caller gets a ready
 * connection or nothing to clean up.
 */
export function migrateOpenedDatabase<Db extends OpenedDb>(
  db: Db,
  migrations: readonly Migration[],
  tooNew: TooNewError,
): Db {
  try {
    checkSchemaVersion(db, migrations, tooNew);
    db.pragma('journal_mode = WAL');
    // FULL: the server's store must keep a verdict it answered 200 through a power cut, and the desk's
    // outbox holds commands the server may not have yet; a sync page of 500 cases costs one fsync, which is
    // nothing next to the network. (The running server then commits with NORMAL and syncs the WAL itself
    // before it answers, many requests to one sync: electron/server/db/group-commit.ts.)
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    runMigrations(db, migrations, tooNew);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
