// The one migration runner of the desk's cache and the server's store (STYLE.md, "Migrations only grow").
// Each migration has the next version number; the pending ones run in one transaction and the version
// reached is kept in PRAGMA user_version, so a failed upgrade leaves the file as it was. A file from a
// newer version of the app is refused, never guessed at. Pure: it needs only the three members of a
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
    db.exec('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    // Some errors (a full disk, for one) end the transaction in SQLite already.
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
