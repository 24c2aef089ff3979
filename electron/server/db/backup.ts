// Online backup and restore of the server's store (issue #11): `npm run server -- backup` and `restore`.
//
// The backup uses SQLite's backup API on its own connection, so it is safe while the server runs: in WAL mode
// the copy reads one snapshot while the server keeps writing. It is written to a temporary file (mode 0600)
// and renamed only once it has been checked, so a backup file that exists is whole.
//
// The key files (totp-seal.key, audit-signing.key) are not copied: a backup holding the key beside the
// sealed seeds would undo the sealing. They are created once and never change, so they are backed up once,
// somewhere else (a password manager, a vault); the command names them every time.
//
// A copy records when it was taken. Restoring one ends every sign-in it holds (sql/restore.ts): sessions
// revoked and invitations spent after the backup would otherwise work again.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { checkSchemaVersion } from '../../../shared/db/migrations';
import { DatabaseTooNewError } from './open';
import { BACKUP_FOLDER, checkIntegrity } from './integrity';
import { MIGRATIONS } from './migrations/index';
import { DATA_FILE_MODE, DATA_FOLDER_MODE, databaseFiles } from './permissions';
import { backupTakenAt, endEverySignIn, recordBackupTime, type SignInsEnded } from '../sql/restore';

export class BackupError extends Error {
  readonly code = 'backup_failed';
}

export interface BackupCopy {
  file: string;
  schemaVersion: number;
  /** The id of the key the copy's TOTP seeds are sealed with (null: no seeds sealed yet). */
  sealKeyId: string | null;
  /** When the backup was taken (for a backup older than this record: the time of its newest audit entry). */
  takenAt: string | null;
}

/** `platform-20261206T220000Z.db`: names sort by time, which newestBackup relies on. */
export function defaultBackupFile(dataDir: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return path.join(dataDir, BACKUP_FOLDER, `platform-${stamp}.db`);
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A rename is durable once the folder holding it is synced (not possible, nor needed, on Windows). */
function fsyncFolder(folder: string): void {
  if (process.platform !== 'win32') fsyncFile(folder);
}

/**
 * Checks a database copy: whole (quick_check), of a schema this server knows, and a single file (rollback
 * journal, not WAL, so it is complete without a -wal beside it). Returns what a restore needs to know.
 */
export function verifyCopy(file: string): BackupCopy {
  const db = new Database(file, { fileMustExist: true });
  try {
    checkIntegrity(db, file);
    const schemaVersion = checkSchemaVersion(
      db,
      MIGRATIONS,
      (found, known) => new DatabaseTooNewError(found, known),
    );
    if (db.pragma('journal_mode', { simple: true }) !== 'delete') db.pragma('journal_mode = DELETE');
    const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
    const sealKeyId = hasMeta
      ? ((
          db.prepare("SELECT value FROM meta WHERE key = 'totp_seal_key_id'").get() as
            { value: string } | undefined
        )?.value ?? null)
      : null;
    return { file, schemaVersion, sealKeyId, takenAt: backupTakenAt(db) };
  } finally {
    db.close();
  }
}

/** The copy's own record of when it was taken; the copy is ours alone until it is renamed into place. */
function stampCopy(file: string, at: Date): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    recordBackupTime(db, at.toISOString());
  } finally {
    db.close();
  }
}

/** Copies the live database at `databaseFile` to `out` (which must not exist), checked, mode 0600. */
export async function backupDatabase(databaseFile: string, out: string, at: Date): Promise<BackupCopy> {
  if (!fs.existsSync(databaseFile)) throw new BackupError(`There is no server database at ${databaseFile}.`);
  if (fs.existsSync(out)) throw new BackupError(`${out} exists already; a backup never overwrites a file.`);
  fs.mkdirSync(path.dirname(out), { recursive: true, mode: DATA_FOLDER_MODE });
  const partial = `${out}.partial`;
  fs.rmSync(partial, { force: true });
  // Created empty with its mode first: the backup API writes into it, so the copy is never readable by others.
  fs.writeFileSync(partial, '', { mode: DATA_FILE_MODE, flag: 'wx' });
  const source = new Database(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // Everything left in one step: one read snapshot, which the server's writes (WAL) neither block nor
    // restart. Small steps would start over after every write of another process and, under steady
    // writes, might never end.
    await source.backup(partial, { progress: ({ remainingPages }) => Math.max(remainingPages, 100) });
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
  let copy: BackupCopy;
  try {
    stampCopy(partial, at);
    copy = verifyCopy(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`The copy did not verify, so it was deleted: ${(error as Error).message}`);
  }
  fsyncFile(partial);
  fs.renameSync(partial, out);
  fsyncFolder(path.dirname(out));
  return { ...copy, file: out };
}

export interface RestoreResult {
  restored: BackupCopy;
  /** Where the files it replaced were moved (the damaged database and its -wal and -shm). */
  movedAside: string[];
  /** The sign-ins the restored copy held, all ended. */
  signInsEnded: SignInsEnded;
}

function endSignInsOfCopy(file: string, at: Date): SignInsEnded {
  const db = new Database(file, { fileMustExist: true });
  try {
    return endEverySignIn(db, at.toISOString());
  } finally {
    db.close();
  }
}

/** True when another connection (a running server) has the database open. */
function databaseInUse(databaseFile: string): boolean {
  if (!fs.existsSync(databaseFile)) return false;
  const db = new Database(databaseFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    // A damaged file may fail in other ways; only a lock held by someone else means a server is running.
    return (error as { code?: string }).code === 'SQLITE_BUSY';
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `from` in place of the database at `databaseFile`. The server must be stopped. The files
 * replaced are renamed aside, never deleted: a restore chosen by mistake can be undone.
 */
export function restoreDatabase(databaseFile: string, from: string, at: Date): RestoreResult {
  if (!fs.existsSync(from)) throw new BackupError(`There is no backup at ${from}.`);
  const partial = `${databaseFile}.restoring`;
  fs.rmSync(partial, { force: true });
  fs.copyFileSync(from, partial);
  fs.chmodSync(partial, DATA_FILE_MODE);
  let restored: BackupCopy;
  try {
    restored = verifyCopy(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`${from} is not a usable backup: ${(error as Error).message}`);
  }
  if (databaseInUse(databaseFile)) {
    fs.rmSync(partial, { force: true });
    throw new BackupError(`${databaseFile} is open in a running server: stop it first, then restore.`);
  }
  const signInsEnded = endSignInsOfCopy(partial, at);
  fsyncFile(partial);
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const movedAside: string[] = [];
  // The -wal and -shm belong to the file being replaced: left in place, SQLite would replay them onto the backup.
  for (const file of databaseFiles(databaseFile)) {
    if (!fs.existsSync(file)) continue;
    const aside = `${file}.before-restore-${stamp}`;
    fs.renameSync(file, aside);
    movedAside.push(aside);
  }
  fs.renameSync(partial, databaseFile);
  fsyncFolder(path.dirname(databaseFile));
  return { restored: { ...restored, file: databaseFile }, movedAside, signInsEnded };
}
