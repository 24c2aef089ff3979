// The thread that checkpoints a WAL database for its owner (wal-checkpoints.ts): a connection of its own to
// the file, a PASSIVE checkpoint every `intervalMs`, each one's result reported. PASSIVE copies what it can
// without waiting for the owner's writer or readers, and never makes them wait either.
import { parentPort, workerData } from 'node:worker_threads';
import { useKey } from './cipher-key';

/** The SQLite driver of the owner's connection, which this thread opens the file with too. */
export type SqliteDriver = 'better-sqlite3' | 'better-sqlite3-multiple-ciphers';

export interface CheckpointThreadData {
  file: string;
  intervalMs: number;
  driver: SqliteDriver;
  /** The key of an encrypted file (32 bytes, hex), given to the multiple-ciphers driver; null for a plain one. */
  keyHex: string | null;
}

/** What one checkpoint found: frames in the WAL, and how many of them are copied into the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export type CheckpointThreadMessage =
  { kind: 'ready' } | ({ kind: 'checkpointed' } & CheckpointResult) | { kind: 'failed'; message: string };

const port = parentPort!;
const { file, intervalMs, driver, keyHex } = workerData as CheckpointThreadData;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const tell = (message: CheckpointThreadMessage) => port.postMessage(message);

/** Opens the file with the owner's driver and key. Both drivers are imported by name, so a bundle keeps them external. */
async function openConnection() {
  if (driver === 'better-sqlite3-multiple-ciphers') {
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    const db = new Database(file, { fileMustExist: true });
    if (keyHex !== null) {
      if (!/^[0-9a-f]{64}$/.test(keyHex)) throw new Error('the key is not 32 bytes of hex');
      useKey(db, Buffer.from(keyHex, 'hex'));
    }
    return db;
  }
  if (keyHex !== null) throw new Error('an encrypted file needs the better-sqlite3-multiple-ciphers driver');
  const { default: Database } = await import('better-sqlite3');
  return new Database(file, { fileMustExist: true });
}

try {
  const db = await openConnection();
  // A wrong key or a file that is not a database fails here, before 'ready', rather than at the first checkpoint.
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  // Before copying frames into the database the checkpoint syncs the WAL, and it syncs the database after:
  // what it copies was already durable and stays so (server/db/group-commit.ts).
  db.pragma('synchronous = NORMAL');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => {
    try {
      const { log, checkpointed } = checkpoint.get() as { busy: number } & CheckpointResult;
      tell({ kind: 'checkpointed', log, checkpointed });
    } catch (error) {
      // Busy (the owner's connection checkpointing as it closes, a recovery) passes; anything else (a full
      // disk, an I/O error, a wrong key) is reported, and the owner's connection checkpoints by itself from then on.
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY'))
        tell({ kind: 'failed', message: messageOf(error) });
    }
  }, intervalMs);
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
  tell({ kind: 'ready' });
} catch (error) {
  tell({ kind: 'failed', message: messageOf(error) });
  port.close();
}
