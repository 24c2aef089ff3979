// The thread that checkpoints the running server's WAL (db/wal-checkpoints.ts): a connection of its own to
// the store, a PASSIVE checkpoint every `intervalMs`. PASSIVE copies what it can without waiting for the
// server's writer or readers, and never makes them wait either.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointThreadData {
  file: string;
  intervalMs: number;
}

export type CheckpointThreadMessage = { kind: 'ready' } | { kind: 'failed'; message: string };

const port = parentPort!;
const { file, intervalMs } = workerData as CheckpointThreadData;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

try {
  const db = new Database(file, { fileMustExist: true });
  // Before copying frames into the database the checkpoint syncs the WAL, and it syncs the database after:
  // what it copies was already durable and stays so (db/group-commit.ts).
  db.pragma('synchronous = NORMAL');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => {
    try {
      checkpoint.run();
    } catch (error) {
      // SQLITE_BUSY while the server's connection checkpoints as it closes; anything else is reported.
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') port.postMessage({ kind: 'failed', message: messageOf(error) });
    }
  }, intervalMs);
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
  port.postMessage({ kind: 'ready' } satisfies CheckpointThreadMessage);
} catch (error) {
  port.postMessage({ kind: 'failed', message: messageOf(error) } satisfies CheckpointThreadMessage);
  port.close();
}
