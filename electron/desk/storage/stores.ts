// Opens the desk's two SQLite files at start (DESIGN §5): the desk's own store (outbox, drafts, settings)
// and the cache. Both are encrypted with keys derived from the data key, checked for damage
// (PRAGMA quick_check) before they are used, and kept to their user (storage/permissions.ts).
// A damaged or unreadable cache is moved aside, renamed with the time, and a new one is started: a sync
// rebuilds it from the server, and the outbox, in its own file, is untouched. A damaged own store is moved
// aside too (kept, since support may recover unsent commands from it) rather than stopping the desk. The
// copies set aside go after the retention period, a cache's also at sign-out (storage/purge.ts).
import fs from 'node:fs';
import path from 'node:path';
import { migrateOpenedDatabase, type Migration } from '../../../shared/db/migrations';
import type { DeskDb, DeskLogger } from '../context';
import { DESK_DATABASE_FILE, DeskDatabaseTooNewError, openSqlite } from '../db/open';
import { DESK_MIGRATIONS } from '../db/migrations/index';
import { OWN_MIGRATIONS } from '../db/own-migrations/index';
import { storeKey } from './data-key';
import { importLegacyCache } from './legacy-cache';
import { keepPrivate } from './permissions';

export const OWN_DATABASE_FILE = 'own.db';
export const EVIDENCE_FOLDER = 'evidence';

export interface DeskStores {
  cache: DeskDb;
  /** The cache's key, for the sync writer thread's connection to it (sync/writer.ts). */
  cacheKey: Buffer;
  own: DeskDb;
  /** The key the evidence files are encrypted with (evidence/sealed-file.ts). */
  evidenceKey: Buffer;
}

class DamagedStoreError extends Error {
  constructor(file: string, report: string) {
    super(`${path.basename(file)} failed its integrity check: ${report}`);
    this.name = 'DamagedStoreError';
  }
}

const tooNew = (found: number, known: number) => new DeskDatabaseTooNewError(found, known);

/** The desk's own store (the outbox: unsent verdicts) cannot be opened; it is left where it is. */
export class OwnStoreUnreadableError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `The desk's own store ${file} (its outbox of unsent verdicts, drafts and settings) cannot be opened: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. It was left as it is. If the desk's data key ` +
        `changed (data.key or data.key.sealed replaced or lost), put the old key back and start again.`,
    );
    this.name = 'OwnStoreUnreadableError';
  }
}

/** Damage, as opposed to a key that does not open the file or a disk that is full, busy or locked. */
const isDamage = (error: unknown) =>
  error instanceof DamagedStoreError ||
  (typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('SQLITE_CORRUPT'));
const isWrongKey = (error: unknown) => (error as { code?: unknown }).code === 'SQLITE_NOTADB';

const SQLITE_COMPANIONS = ['', '-wal', '-shm'];
const DAMAGED_MARK = '.damaged-';
/** `desk.db.damaged-2026-12-07T09-30-00-000Z` (and its -wal, -shm): the store and the time it was set aside. */
const SET_ASIDE_NAME = /^(.+)\.damaged-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(?:-wal|-shm)?$/;

export interface SetAsideCopy {
  /** The full path of the file (a database, or its -wal or -shm). */
  file: string;
  /** Which store it was: DESK_DATABASE_FILE or OWN_DATABASE_FILE. */
  store: string;
  setAsideAt: Date;
}

/** The copies of damaged stores that openOrSetAside moved aside in `dataDir`, with when each was. */
export function setAsideCopies(dataDir: string): SetAsideCopy[] {
  const copies: SetAsideCopy[] = [];
  for (const name of fs.readdirSync(dataDir)) {
    const match = SET_ASIDE_NAME.exec(name);
    if (!match) continue;
    const [, store, day, hours, minutes, seconds, millis] = match as unknown as string[];
    const setAsideAt = new Date(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`);
    if (!Number.isNaN(setAsideAt.getTime())) copies.push({ file: path.join(dataDir, name), store: store!, setAsideAt });
  }
  return copies;
}

/** Opens an encrypted store, refusing it when its pages do not check out; the connection is closed on error. */
function openChecked(file: string, migrations: readonly Migration[], key: Buffer): DeskDb {
  const db = openSqlite(file, key);
  try {
    // A wrong key or damaged first page throws here ("file is not a database"); damage deeper in reports.
    const report = db.pragma('quick_check', { simple: true }) as string;
    if (report !== 'ok') throw new DamagedStoreError(file, report);
  } catch (error) {
    db.close();
    throw error;
  }
  return migrateOpenedDatabase(db, migrations, tooNew);
}

/** Renames `file` and its WAL and shared-memory files to `<file>.damaged-<time>`; returns the new name. */
export function setAside(file: string, at: Date): string {
  const aside = `${file}${DAMAGED_MARK}${at.toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of SQLITE_COMPANIONS) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
  }
  return aside;
}

function openOrSetAside(
  file: string,
  migrations: readonly Migration[],
  key: Buffer,
  log: DeskLogger,
  now: () => Date,
  setAsideWrongKey: boolean,
): { db: DeskDb; rebuilt: boolean } {
  try {
    return { db: openChecked(file, migrations, key), rebuilt: false };
  } catch (error) {
    // A newer app's file is fine, only not ours to read: it is refused, never moved (db/open.ts).
    if (error instanceof DeskDatabaseTooNewError) throw error;
    // Only damage moves a file aside; for the own store, only damage the integrity check proved. A key
    // that does not open it (the data key changed) or a full or busy disk would otherwise leave the outbox
    // behind a fresh, empty store. The cache is rebuilt from the server, so it may also go for a wrong key.
    const mayMove = setAsideWrongKey ? isDamage(error) || isWrongKey(error) : isDamage(error);
    if (!mayMove) throw setAsideWrongKey ? error : new OwnStoreUnreadableError(file, error);
    const aside = setAside(file, now());
    log.error('A damaged or unreadable desk file was moved aside and a new one started', {
      file: path.basename(file),
      movedTo: path.basename(aside),
      error: error instanceof Error ? error.message : String(error),
    });
    return { db: openChecked(file, migrations, key), rebuilt: true };
  }
}

/** The own store alone (the desk worker reads the saved server from it before the desk starts). */
export function openOwnStore(dataDir: string, dataKey: Buffer, log: DeskLogger, now = () => new Date()): DeskDb {
  keepPrivate(dataDir);
  const { db: own } = openOrSetAside(
    path.join(dataDir, OWN_DATABASE_FILE),
    OWN_MIGRATIONS,
    storeKey(dataKey, 'own'),
    log,
    now,
    false,
  );
  try {
    if (importLegacyCache(dataDir, own, log)) fs.rmSync(path.join(dataDir, EVIDENCE_FOLDER), { recursive: true, force: true });
  } catch (error) {
    own.close();
    throw error;
  }
  return own;
}

export function openDeskStores(dataDir: string, dataKey: Buffer, log: DeskLogger, now = () => new Date()): DeskStores {
  const own = openOwnStore(dataDir, dataKey, log, now);
  try {
    const cacheKey = storeKey(dataKey, 'cache');
    const { db: cache, rebuilt } = openOrSetAside(
      path.join(dataDir, DESK_DATABASE_FILE),
      DESK_MIGRATIONS,
      cacheKey,
      log,
      now,
      true,
    );
    // The evidence files a new cache knows nothing of would never be read or evicted again.
    if (rebuilt) fs.rmSync(path.join(dataDir, EVIDENCE_FOLDER), { recursive: true, force: true });
    return { cache, cacheKey, own, evidenceKey: storeKey(dataKey, 'evidence') };
  } catch (error) {
    own.close();
    throw error;
  }
}
