// The thread that checkpoints the running server's WAL (db/wal-checkpoints.ts): a connection of its own to
// the store, a PASSIVE checkpoint every `intervalMs`, each one's result reported. PASSIVE copies what it
// can without waiting for the server's writer or readers, and never makes them wait either.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointThreadData {
  file: string;
  intervalMs: number;
}

/** What one checkpoint found: frames in the WAL, and how many of them are copied into the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export type CheckpointThreadMessage =
  | { kind: 'ready' }
  | ({ kind: 'checkpointed' } & CheckpointResult)
  | { kind: 'failed'; message: string };

const port = parentPort!;
const { file, intervalMs } = workerData as CheckpointThreadData;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const tell = (message: CheckpointThreadMessage) => port.postMessage(message);

try {
  const db = new Database(file, { fileMustExist: true });
  // Before copying frames into the database the checkpoint syncs the WAL, and it syncs the database after:
  // what it copies was already durable and stays so (db/group-commit.ts).
  db.pragma('synchronous = NORMAL');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => {
    try {
      const { log, checkpointed } = checkpoint.get() as { busy: number } & CheckpointResult;
      tell({ kind: 'checkpointed', log, checkpointed });
    } catch (error) {
      // Busy (the server's connection checkpointing as it closes, a recovery) passes; anything else (a full
      // disk, an I/O error) is reported, and the server's connection checkpoints by itself from then on.
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) tell({ kind: 'failed', message: messageOf(error) });
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
