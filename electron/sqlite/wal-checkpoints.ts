// Checkpoints of a WAL database off the thread that commits to it (issue #13). SQLite checkpoints by itself
// in the commit that takes the WAL past 1,000 pages, on the committing connection's thread: there the commit
// waits while some 4 MB are read back from the WAL and copied into the database (in an encrypted file each
// page decrypted and encrypted again) and both files are synced. A worker thread with a connection of its own
// does that instead (PASSIVE, several times a second), beside the commits. The owner's connection keeps a
// backstop of 10,000 pages, so a thread that stops checkpointing without a word cannot let the WAL grow
// without bound; where the thread cannot start or stops, the connection checkpoints by itself at 1,000 pages
// again, as before. (A thread stuck inside a checkpoint, in a sync of a failing disk, holds SQLite's
// checkpoint lock: then nothing can copy the WAL until that sync returns, whoever tries.)
//
// Two owners: the running server's store (server/start.ts), where a commit inside a request held every
// request behind it, and the desk's sync writer thread during a first sync (desk/sync/writer-thread.ts),
// where checkpoints took a third of its time.
import { Worker } from 'node:worker_threads';
import type {
  CheckpointResult,
  CheckpointThreadData,
  CheckpointThreadMessage,
  SqliteDriver,
} from './wal-checkpoint-thread';
import { awaitExit, loaderOptions, threadEntry } from './threads';

export type { CheckpointResult, SqliteDriver };

/** SQLite's default: the connection checkpoints in the commit that takes the WAL past this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
/**
 * While the thread checkpoints, the connection does so itself only past this many pages (40 MB): never, as
 * long as the thread keeps up, which copies within 200 ms whatever was committed.
 */
export const BACKSTOP_PAGES = 10_000;
/** How often the thread checkpoints: a check with nothing to copy costs microseconds. */
const INTERVAL_MS = 200;
/**
 * How long a close waits for the thread before stopping it, and then again before going on without it: well
 * inside the 5 s the launcher gives the whole server to stop (electron/launch/bundled-server.ts).
 */
const CLOSE_WAIT_MS = 1_000;

/** What this needs of the owner's connection (better-sqlite3 and its multiple-ciphers build alike). */
export interface CheckpointedConnection {
  readonly name: string;
  readonly memory: boolean;
  readonly open: boolean;
  pragma(source: string, options?: { simple?: boolean }): unknown;
}

export interface WalCheckpointsOptions {
  /**
   * The driver the owner's connection was opened with. The thread must use the same one: two copies of
   * SQLite in one process do not see each other's POSIX locks, and closing a file in one drops the other's.
   */
  driver: SqliteDriver;
  /** The key of an encrypted file, as the owner gave it (hex), or null. */
  keyHex?: string | null;
  /** Whose connection checkpoints when the thread does not, for the warnings ("the server's connection"). */
  owner: string;
  warn(message: string): void;
  /** For tests: the thread's entry file. */
  entry?: string;
}

export interface WalCheckpoints {
  /** Whether the thread checkpoints now (false before it is ready, after it failed, and once closed). */
  running(): boolean;
  /** The thread's last checkpoint, or null before its first. */
  lastCheckpoint(): CheckpointResult | null;
  /** Ends the thread; the owner's connection checkpoints by itself again. Call before closing it. */
  close(): Promise<void>;
}

const NOTHING_TO_DO: WalCheckpoints = {
  running: () => false,
  lastCheckpoint: () => null,
  close: () => Promise.resolve(),
};

export function startWalCheckpoints(
  db: CheckpointedConnection,
  options: WalCheckpointsOptions,
): WalCheckpoints {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return NOTHING_TO_DO;
  // Beside the bundle this code is in (server.js, sync-writer.js), as out/main/wal-checkpoints.js.
  const entry =
    options.entry ?? threadEntry(import.meta.url, 'wal-checkpoint-thread.ts', 'wal-checkpoints.js');
  let worker: Worker;
  try {
    worker = new Worker(entry, {
      workerData: {
        file: db.name,
        intervalMs: INTERVAL_MS,
        driver: options.driver,
        keyHex: options.keyHex ?? null,
      } satisfies CheckpointThreadData,
      ...loaderOptions(entry),
    });
  } catch (error) {
    options.warn(`WAL checkpoints stay on ${options.owner}: ${(error as Error).message}`);
    return NOTHING_TO_DO;
  }
  // The thread never keeps the process (or the thread that started it) alive: the owner's close ends it.
  worker.unref();
  // The backstop from the start, not from the thread's 'ready': an owner kept busy (the sync writer's
  // thread, handed one page as it finishes the last) hears no other message until it pauses, and until then
  // would checkpoint in every commit past 1,000 pages. A thread that fails to start gives it back.
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  let backstop = true;
  let running = false;
  let closing = false;
  let last: CheckpointResult | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const checkpointOnConnection = () => {
    if (backstop && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    backstop = false;
    running = false;
  };
  const checkpointHere = (why: string) => {
    checkpointOnConnection();
    if (!closing) {
      options.warn(`WAL checkpoints are back on ${options.owner}: ${why}`);
      void worker.terminate();
    }
  };
  worker.on('message', (message: CheckpointThreadMessage) => {
    if (message.kind === 'ready' && !closing && backstop) {
      running = true;
    } else if (message.kind === 'checkpointed') {
      last = { log: message.log, checkpointed: message.checkpointed };
    } else if (message.kind === 'failed') {
      checkpointHere(message.message);
    }
  });
  worker.on('error', (error) => checkpointHere(error.message));
  worker.on('exit', (code) => checkpointHere(`the thread stopped (exit code ${code})`));

  let closed: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing = true;
    checkpointOnConnection();
    worker.postMessage('close');
    // A thread that does not answer within a second is stopped; one stuck in native code is left behind a
    // second later, so that neither the owner's close nor the sync writer's release hangs on a disk.
    await awaitExit(worker, exited, CLOSE_WAIT_MS);
  }

  return {
    running: () => running,
    lastCheckpoint: () => last,
    // Once, however often it is called: a second close waits for the first, no longer.
    close: () => (closed ??= close()),
  };
}
