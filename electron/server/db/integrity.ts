// The integrity check at start (issue #11). A damaged database file (a disk error, a copy taken mid-write, a
// bad sector) must stop the server with what happened and how to restore the last backup, never a stack
// trace, and never a server that answers from half a ledger until a query falls on the broken page.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

export const BACKUP_FOLDER = 'backups';

export class DatabaseCorruptError extends Error {
  readonly code = 'database_corrupt';
}

/** SQLite's codes for a file that is not (or no longer) a whole database. */
export const isCorruption = (error: unknown) =>
  typeof (error as { code?: unknown })?.code === 'string' &&
  /^SQLITE_(CORRUPT|NOTADB)/.test((error as { code: string }).code);

/** The newest `.db` file in the data folder's backups, where `npm run server -- backup` writes by default. */
export function newestBackup(dataDir: string): string | null {
  const folder = path.join(dataDir, BACKUP_FOLDER);
  let names: string[];
  try {
    names = fs.readdirSync(folder).filter((name) => name.endsWith('.db'));
  } catch {
    return null;
  }
  // Default names carry a UTC timestamp, so the greatest name is the newest backup.
  const newest = names.sort().at(-1);
  return newest ? path.join(folder, newest) : null;
}

function restoreAdvice(file: string): string {
  const dataDir = path.dirname(file);
  const backup = newestBackup(dataDir);
  const from = backup ?? '<your last backup .db file>';
  return [
    backup
      ? `The newest backup in ${path.join(dataDir, BACKUP_FOLDER)} is ${backup}.`
      : `No backup was found in ${path.join(dataDir, BACKUP_FOLDER)}; use the last one you keep elsewhere.`,
    'To restore it (the damaged file is kept aside, renamed, not deleted):',
    `  npm run server -- restore --data "${dataDir}" --from "${from}"`,
    'The key files beside the database (totp-seal.key, audit-signing.key) must be the ones of that server.',
  ].join('\n');
}

const corrupt = (file: string, problem: string) =>
  new DatabaseCorruptError(
    `The server database ${file} is damaged (${problem}); the server will not start on it.\n${restoreAdvice(file)}`,
  );

/**
 * PRAGMA quick_check: every page, record and free list checked (the O(N) part of integrity_check, without
 * matching indexes to their tables, which would take minutes on a large store). Throws DatabaseCorruptError.
 */
export function checkIntegrity(db: Database.Database, file: string): void {
  let problems: string[];
  try {
    problems = (db.pragma('quick_check(3)') as { quick_check: string }[]).map((row) => row.quick_check);
  } catch (error) {
    if (isCorruption(error)) throw corrupt(file, (error as Error).message);
    throw error;
  }
  if (problems.length !== 1 || problems[0] !== 'ok') throw corrupt(file, problems.join('; '));
}

/** Runs `open`, turning SQLite's corruption errors into DatabaseCorruptError for `file`. */
export function asCorruptionError<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (isCorruption(error)) throw corrupt(file, (error as Error).message);
    throw error;
  }
}
