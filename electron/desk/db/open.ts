// Opens the desk's cache file with its pragmas and brings its schema up to date (DESIGN §5).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { DeskDb } from '../context';
import { DESK_MIGRATIONS, type DeskMigration } from './schema';

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

/** Opens (creating if needed) the cache at `file` — ':memory:' for tests — and migrates it. */
export function openDeskDatabase(
  file: string,
  migrations: readonly DeskMigration[] = DESK_MIGRATIONS,
): DeskDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // Checked before anything is written, journal mode included: a newer app's file is left as it is.
    refuseNewer(db, migrations);
    db.pragma('journal_mode = WAL');
    // FULL although the case cache could be rebuilt: the outbox holds commands the server may not have
    // yet, and a sync page costs one fsync per 500 cases, which is nothing next to the network.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateDesk(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function refuseNewer(db: DeskDb, migrations: readonly DeskMigration[]): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new DeskDatabaseTooNewError(current, latest);
  return current;
}

export function migrateDesk(db: DeskDb, migrations: readonly DeskMigration[] = DESK_MIGRATIONS): void {
  const current = refuseNewer(db, migrations);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
