// Checkpoints of the running server's WAL, off its event loop (issue #13). SQLite checkpoints by itself in
// the commit that takes the WAL past 1,000 pages, on the committing connection's thread: there the request
// that crossed it waited while some 4 MB were copied into the database and both files synced, and every
// request behind it waited too (a tenth to a fifth of the verdict rate at 100,000 cases). The running server
// leaves that to a worker thread with a connection of its own (PASSIVE, several times a second): the copying
// and syncing run beside the event loop. The server's connection keeps a backstop of 10,000 pages, so a
// thread that hangs (in a sync of a failing disk) cannot let the WAL grow without bound; where the thread
// cannot start or stops, the connection checkpoints by itself at 1,000 pages again, as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './open';
import type { CheckpointResult, CheckpointThreadData, CheckpointThreadMessage } from './wal-checkpoint-thread';

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
 * How long the server's close waits for the thread before stopping it: well inside the 5 s the launcher
 * gives the whole server to stop (electron/launch/bundled-server.ts).
 */
const CLOSE_WAIT_MS = 1_000;

export interface WalCheckpointsOptions {
  warn(message: string): void;
  /** For tests: the thread's entry file. */
  entry?: string;
}

export interface WalCheckpoints {
  /** Whether the thread checkpoints now (false before it is ready, after it failed, and once closed). */
  running(): boolean;
  /** The thread's last checkpoint, or null before its first. */
  lastCheckpoint(): CheckpointResult | null;
  /** Ends the thread; the server's connection checkpoints by itself again. Call before closing `db`. */
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

/**
 * wal-checkpoint-thread.ts beside this file, or the app's bundle of it beside the server's (out/main, see
 * electron.vite.config.ts), or one folder up should this code move into a shared chunk.
 */
function defaultEntry(): string {
  if (fromSource) return path.join(here, 'wal-checkpoint-thread.ts');
  const candidates = [path.join(here, 'server-wal-checkpoints.js'), path.join(here, '..', 'server-wal-checkpoints.js')];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0]!;
}

const NOTHING_TO_DO: WalCheckpoints = {
  running: () => false,
  lastCheckpoint: () => null,
  close: () => Promise.resolve(),
};

export function startWalCheckpoints(db: Db, options: WalCheckpointsOptions): WalCheckpoints {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return NOTHING_TO_DO;
  const entry = options.entry ?? defaultEntry();
  // From the TypeScript source (tests, `npm run server`) the thread needs tsx's loader, unless inherited.
  const needsLoader = entry.endsWith('.ts') && !process.execArgv.some((argument) => argument.includes('tsx'));
  let worker: Worker;
  try {
    worker = new Worker(entry, {
      workerData: { file: db.name, intervalMs: INTERVAL_MS } satisfies CheckpointThreadData,
      ...(needsLoader ? { execArgv: [...process.execArgv, '--import', 'tsx'] } : {}),
    });
  } catch (error) {
    options.warn(`WAL checkpoints stay on the server's connection: ${(error as Error).message}`);
    return NOTHING_TO_DO;
  }
  // The thread never keeps the process alive: the server's close ends it.
  worker.unref();
  let running = false;
  let closing = false;
  let last: CheckpointResult | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  const checkpointHere = (why: string) => {
    if (running && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    running = false;
    if (!closing) {
      options.warn(`WAL checkpoints are back on the server's connection: ${why}`);
      void worker.terminate();
    }
  };
  worker.on('message', (message: CheckpointThreadMessage) => {
    if (message.kind === 'ready' && !closing && db.open) {
      db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      running = true;
    } else if (message.kind === 'checkpointed') {
      last = { log: message.log, checkpointed: message.checkpointed };
    } else if (message.kind === 'failed') {
      checkpointHere(message.message);
    }
  });
  worker.on('error', (error) => checkpointHere(error.message));
  worker.on('exit', (code) => checkpointHere(`the thread stopped (exit code ${code})`));

  return {
    running: () => running,
    lastCheckpoint: () => last,
    async close() {
      if (closing) return exited;
      closing = true;
      if (running && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      running = false;
      worker.postMessage('close');
      // A thread that does not answer within a few seconds (stuck in a sync of a failing disk) is stopped.
      const stuck = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
      await exited;
      clearTimeout(stuck);
    },
  };
}
