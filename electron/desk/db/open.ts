// Opens the desk's cache file with its pragmas and brings its schema up to date (DESIGN §5).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrateOpenedDatabase, type Migration } from '../../../shared/db/migrations';
import type { DeskDb } from '../context';
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

/** Opens (creating if needed) the cache at `file` — ':memory:' for tests — and migrates it. */
export function openDeskDatabase(
  file: string,
  migrations: readonly Migration[] = DESK_MIGRATIONS,
): DeskDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return migrateOpenedDatabase(new Database(file), migrations, tooNew);
}
