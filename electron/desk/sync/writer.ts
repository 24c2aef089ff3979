// The sync writer (issue #13): during a bulk load (cache/bulk-load.ts) the pages are read, checked and
// written by a thread of their own with its own connection to the cache (writer-thread.ts), and so are the
// indexes built at the end, so the desk's event loop, which also answers the renderer, only fetches each
// page's bytes and hands them on. Readers on the desk's connection see each page once it commits (WAL); a write there
// waits for the page being written, up to the connection's busy timeout.
//
// The thread is a file of its own: bundled beside the desk in the app (electron.vite.config.ts), the
// TypeScript source under tsx and the tests. Where it cannot start or stops, start() answers null and the
// engine writes on the desk's connection in short slices as it does outside a bulk load.
import { isMarkedAsUntransferable, Worker } from 'node:worker_threads';
import { awaitExit, loaderOptions, threadEntry } from '../../sqlite/threads';
import type { DeskDb, DeskLogger } from '../context';
import type { WriterReply, WriterRequest, WriterStart } from './writer-protocol';
import type { SyncState } from './sync-state';

export interface WrittenPage {
  caseIds: string[];
  state: SyncState;
  /** How many cases the cache holds once the page is written. */
  cachedCases: number;
}

export interface PageHead {
  cursor: number;
  hasMore: boolean;
  changes: number;
}

export interface SyncWriter {
  /**
   * Hands a page's bytes to the thread: `parsed` once it is read and checked (its cursor says where the
   * next page starts), `written` once it committed with its cursor. A page whose `after` is not where the
   * cache is fails with OutOfOrderPageError (the page before it failed): nothing of it is written.
   * The bytes are handed over, not lent: a view that spans its whole buffer (a page axios gathered from
   * several chunks, as a first sync's pages are) has that buffer moved to the thread and is left empty here;
   * any other view (a small page, a slice of a pool or of a socket's buffer) is copied first.
   */
  writePage(
    bytes: Uint8Array,
    after: number,
    at: Date,
  ): { parsed: Promise<PageHead>; written: Promise<WrittenPage> };
  /** Runs the statements in one IMMEDIATE transaction on the thread's connection. */
  transaction(statements: readonly string[]): Promise<void>;
}

/** An error the thread reported, with the code and name it had there (a malformed page keeps its code). */
export class WriterThreadError extends Error {
  readonly code: string;
  constructor(error: { name: string; message: string; code?: string }) {
    super(error.message);
    this.name = error.name;
    this.code = error.code ?? 'sync_failed';
  }
}

export interface SyncWriterThread {
  /** The writer, its thread started on first use; null where no thread can serve. */
  get(): Promise<SyncWriter | null>;
  /** Ends the thread for now (after a first sync); a later get() starts it again. */
  release(): Promise<void>;
  /** Ends the thread for good (the desk is closing). */
  close(): Promise<void>;
}

export interface WriterOptions {
  /** The cache's key, as given to useKey (sqlite/cipher-key.ts); none for an unencrypted file. */
  key?: Buffer;
  log: DeskLogger;
  /** For tests: the thread's entry file. */
  entry?: string;
  /** For tests: the entry file of the thread that checkpoints the cache's WAL beside the writer's. */
  checkpointEntry?: string;
}

/**
 * writer-thread.ts, or the app's bundle of it beside the desk's (out/main, where this code is bundled into
 * desk-worker.js). A bundle without it writes on the desk's connection.
 */
const defaultEntry = () => threadEntry(import.meta.url, 'writer-thread.ts', 'sync-writer.js');

/**
 * A promise whose rejection its caller may never wait for (a page's `written` once its `parsed` failed, a
 * page asked for ahead after the pull stopped waiting): never reported as unhandled, still seen by an await.
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/**
 * Whether `bytes` is all of an ArrayBuffer that may move to another thread (not a slice of a pool or of a
 * larger buffer, not shared memory, not a buffer Node keeps to itself).
 */
const movable = (bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer &&
  bytes.byteOffset === 0 &&
  bytes.byteLength === bytes.buffer.byteLength &&
  !isMarkedAsUntransferable(bytes.buffer);

type Waiting = { resolve: (reply: WriterReply) => void; reject: (error: Error) => void };

/** How long a release waits for the thread to end (its checkpoint thread's close takes up to 2 s of it). */
const CLOSE_WAIT_MS = 4_000;

/**
 * The writer for `db`'s file, its thread started on first use. Answers null where no thread can serve (an
 * in-memory cache, or the thread could not start or stopped): the caller writes on `db` itself.
 */
export function createSyncWriter(db: DeskDb, options: WriterOptions): SyncWriterThread {
  let worker: Worker | null = null;
  let ready: Promise<SyncWriter | null> | null = null;
  let stopped = db.memory;
  let nextId = 1;
  /** The replies each request still waits for, in order: a page waits for 'parsed', then 'applied'. */
  const waiting = new Map<number, Waiting[]>();
  /**
   * The desk connection's own automatic checkpoint is set aside while the thread runs. Between the passes of
   * the writer's checkpoint thread the WAL holds up to its backstop of 10,000 pages, and the desk's next
   * commit (an outbox answer) would copy them past 1,000, on the event loop that answers the renderer. The
   * writer's connection bounds the WAL meanwhile; its close checkpoints what is left.
   */
  const ownAutocheckpoint = db.memory ? 0 : (db.pragma('wal_autocheckpoint', { simple: true }) as number);
  const checkpointOnDeskConnection = (pages: number) => {
    if (db.open && !db.memory) db.pragma(`wal_autocheckpoint = ${pages}`);
  };

  function stop(reason: string) {
    if (!stopped)
      options.log.warn('Sync: the writer thread stopped; pages are written on the desk connection', {
        reason,
      });
    checkpointOnDeskConnection(ownAutocheckpoint);
    stopped = true;
    worker = null;
    ready = null;
    rejectWaiting(`The sync writer stopped: ${reason}`);
  }

  function rejectWaiting(message: string) {
    for (const queue of waiting.values()) for (const entry of queue) entry.reject(new Error(message));
    waiting.clear();
  }

  /** Posts `request` and answers one promise per reply it expects, each rejected if the request fails. */
  function send(
    request: WriterRequest,
    kinds: WriterReply['kind'][],
    transfer: ArrayBuffer[] = [],
  ): Promise<WriterReply>[] {
    if (!worker) {
      const stopped = Promise.reject(new Error('The sync writer stopped.'));
      return kinds.map(() => quiet(stopped));
    }
    const queue: Waiting[] = [];
    const answers = kinds.map((kind) =>
      quiet(
        new Promise<WriterReply>((resolve, reject) => queue.push({ resolve, reject })).then((reply) => {
          if (reply.kind === 'failed') throw new WriterThreadError(reply.error);
          if (reply.kind !== kind) throw new Error(`The sync writer answered ${reply.kind}, not ${kind}.`);
          return reply;
        }),
      ),
    );
    // Posted first: a request that cannot be posted throws here and leaves nothing waiting for a reply.
    worker.postMessage(request, transfer);
    waiting.set(request.id, queue);
    return answers;
  }

  const writer: SyncWriter = {
    writePage(bytes, after, at) {
      // The thread gets the memory itself where it can: copying 2 MB on this loop for every page held it
      // a few milliseconds each time and made garbage for its collector (issue #13).
      const own = movable(bytes) ? bytes : new Uint8Array(bytes);
      const request = { id: nextId++, kind: 'page', bytes: own, after, at: at.toISOString() } as const;
      const [parsed, applied] = send(request, ['parsed', 'applied'], [own.buffer]);
      return {
        parsed: quiet(
          parsed!.then((reply) => {
            const { cursor, hasMore, changes } = reply as Extract<WriterReply, { kind: 'parsed' }>;
            return { cursor, hasMore, changes };
          }),
        ),
        written: quiet(
          applied!.then((reply) => {
            const { caseIds, state, cachedCases } = reply as Extract<WriterReply, { kind: 'applied' }>;
            return { caseIds, state, cachedCases };
          }),
        ),
      };
    },
    async transaction(statements) {
      const [done] = send({ id: nextId++, kind: 'transaction', statements }, ['done']);
      await done;
    },
  };

  function start(): Promise<SyncWriter | null> {
    let started: Worker;
    try {
      started = spawn();
    } catch (error) {
      // A thread refused at once (a bad path, arguments this runtime does not take) is a thread that cannot start.
      stop(error instanceof Error ? error.message : String(error));
      return Promise.resolve(null);
    }
    return listen(started);
  }

  function spawn(): Worker {
    const entry = options.entry ?? defaultEntry();
    return new Worker(entry, {
      workerData: {
        file: db.name,
        keyHex: options.key?.toString('hex') ?? null,
        busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
        ...(options.checkpointEntry ? { checkpointEntry: options.checkpointEntry } : {}),
      } satisfies WriterStart,
      ...loaderOptions(entry),
    });
  }

  function listen(started: Worker): Promise<SyncWriter | null> {
    worker = started;
    started.on('message', (reply: WriterReply) => {
      if (reply.kind === 'warning') {
        options.log.warn('Sync: the writer thread checkpoints its WAL in its commits', {
          reason: reply.message,
        });
        return;
      }
      const queue = waiting.get(reply.id);
      const next = queue?.shift();
      if (!queue || !next) return;
      // A failed request answers once for every reply it still owed.
      if (reply.kind === 'failed') for (const entry of queue.splice(0)) entry.resolve(reply);
      next.resolve(reply);
      if (queue.length === 0) waiting.delete(reply.id);
    });
    started.on('error', (error) => stop(error.message));
    started.on('exit', (code) => {
      if (worker === started) stop(`exited with code ${code}`);
    });
    // Ready once the thread has opened the cache: a thread that cannot load or open it errs or exits first.
    return new Promise((resolve) => {
      const onReady = (reply: WriterReply) => {
        if (reply.kind !== 'ready') return;
        started.off('message', onReady);
        if (worker === started) checkpointOnDeskConnection(0);
        resolve(writer);
      };
      started.on('message', onReady);
      started.once('error', () => resolve(null));
      started.once('exit', () => resolve(null));
    });
  }

  /**
   * Ends the thread once it has answered what it was asked; the next get() starts another. A thread that has
   * not ended within a few seconds (stuck in a sync of a failing disk) is stopped, or, stuck in native code
   * where it cannot be, left behind: a release never hangs the sync.
   */
  async function endThread(): Promise<void> {
    const ending = worker;
    worker = null;
    ready = null;
    if (!ending) return;
    const exited = new Promise<void>((resolve) => ending.once('exit', () => resolve()));
    ending.postMessage({ id: nextId++, kind: 'close' } satisfies WriterRequest);
    await awaitExit(ending, exited, CLOSE_WAIT_MS);
    checkpointOnDeskConnection(ownAutocheckpoint);
    rejectWaiting('The sync writer closed.');
  }

  return {
    get() {
      if (stopped) return Promise.resolve(null);
      ready ??= start();
      return ready;
    },
    // A first sync happens once per cache: the thread and its connection's page cache need not outlive it.
    release: endThread,
    async close() {
      stopped = true;
      await endThread();
    },
  };
}
