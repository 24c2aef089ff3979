// The main process's handle on the desk worker: a utility process running the desk service
// (electron/desk-worker/, built as out/main/desk-worker.js), so that a sync of 100,000 cases never blocks
// the window's main process. Starting the process is the caller's (services.ts forks a utility process;
// tests fork a plain Node child), so this file runs under test without Electron; desk-supervisor.ts
// restarts a worker that crashes.
import type { DeskChannel, DeskEvent } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import {
  parseFromWorker,
  parseSupportSnapshot,
  workerUnavailable,
  type SupportSnapshot,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from '../../shared/desk-api/worker-protocol';

export interface DeskWorker {
  invoke(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>>;
  /** Saves the server the user confirmed in main (null: the bundled one), for the next start. */
  saveServer(serverUrl: string | null): Promise<DeskResult<unknown>>;
  evidenceFile(sha256: string): Promise<{ bytes: Uint8Array; mime: string } | null>;
  /** The outbox counts and sync state for the update gate and the diagnostics; null when the desk cannot say. */
  support(): Promise<SupportSnapshot | null>;
  onEvent(listener: (event: DeskEvent, payload: unknown) => void): void;
  /**
   * Called when the process ends without being asked to stop (a crash, a kill), before the calls it left
   * unanswered are answered desk_unavailable.
   */
  onExit(listener: (reason: string) => void): void;
  stop(): Promise<void>;
}

/** What this client needs of the worker's process: Electron's UtilityProcess, or a forked Node child. */
export interface WorkerProcess {
  postMessage(message: ToWorkerMessage): void;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): unknown;
}

/** The server the desk is to talk to, and the name its cache is bound to (null: the URL). */
export interface DeskServer {
  serverUrl: string;
  serverIdentity: string | null;
}

export interface DeskWorkerOptions {
  /** Starts the worker's process (out/main/desk-worker.js). */
  spawn(): WorkerProcess;
  dataDir: string;
  /** The desk's data key, unwrapped from the OS keystore (data-key.ts); handed over in memory only. */
  dataKey: Buffer;
  /**
   * Given the server saved in the desk's settings (null for none), returns the server to use, starting
   * the bundled one when needed. Runs between reading the settings and starting the desk.
   */
  connect(savedServerUrl: string | null): Promise<DeskServer>;
  /** How long the desk may take to open its cache and start; a migration of a large cache takes a while. */
  startTimeoutMs?: number;
}

const STOP_GRACE_MS = 5_000;
const DEFAULT_START_TIMEOUT_MS = 60_000;

type Answer<T> = (value: T) => void;

export function startDeskWorker(options: DeskWorkerOptions): Promise<DeskWorker> {
  const child = options.spawn();
  const pendingCalls = new Map<number, Answer<DeskResult<unknown>>>();
  const pendingEvidence = new Map<number, Answer<{ bytes: Uint8Array; mime: string } | null>>();
  const eventListeners: Array<(event: DeskEvent, payload: unknown) => void> = [];
  const exitListeners: Array<(reason: string) => void> = [];
  let nextId = 1;
  let exitReason: string | null = null;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const post = (message: ToWorkerMessage): void => child.postMessage(message);
  const worker: DeskWorker = {
    invoke,
    saveServer,
    evidenceFile,
    support,
    onEvent: (listener) => void eventListeners.push(listener),
    onExit: (listener) => void exitListeners.push(listener),
    stop,
  };

  return new Promise<DeskWorker>((resolve, reject) => {
    const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    let connecting = false;
    const startTimer = () =>
      setTimeout(() => {
        child.kill();
        reject(new Error(`The desk service did not start within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
    let timer = startTimer();

    child.on('message', (data: unknown) => {
      const message = parseFromWorker(data);
      if (message === null) {
        console.error('Dispute Desk: ignored a malformed message from the desk worker');
        return;
      }
      handle(message);
    });

    child.once('exit', (code) => {
      exitReason = `it exited with code ${code}`;
      clearTimeout(timer);
      reject(new Error(`The desk service stopped before it was ready (exit code ${code})`));
      if (!stopping) for (const listener of exitListeners) listener(exitReason);
      // Nobody waits forever on a worker that is gone.
      for (const answer of pendingCalls.values()) answer(workerUnavailable(exitReason));
      for (const answer of pendingEvidence.values()) answer(null);
      pendingCalls.clear();
      pendingEvidence.clear();
    });

    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill();
      reject(error);
    }

    function handle(message: FromWorkerMessage): void {
      switch (message.type) {
        case 'savedServer':
          // The bundled server may take a while on first run (the demo seed): the start timer waits.
          if (connecting) return;
          connecting = true;
          clearTimeout(timer);
          options.connect(message.serverUrl).then(
            (server) => {
              timer = startTimer();
              post({ type: 'start', dataDir: options.dataDir, dataKey: options.dataKey.toString('hex'), ...server });
            },
            (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
          );
          return;
        case 'ready':
          clearTimeout(timer);
          resolve(worker);
          return;
        case 'failed':
          fail(new Error(`The desk service could not start: ${message.message}`));
          return;
        case 'result':
          pendingCalls.get(message.id)?.(message.result as DeskResult<unknown>);
          pendingCalls.delete(message.id);
          return;
        case 'evidence':
          pendingEvidence.get(message.id)?.(message.file);
          pendingEvidence.delete(message.id);
          return;
        case 'event':
          for (const listener of eventListeners) listener(message.event, message.payload);
          return;
        case 'stopped':
          return;
      }
    }

    post({ type: 'readSavedServer', dataDir: options.dataDir, dataKey: options.dataKey.toString('hex') });
  });

  function invoke(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>> {
    if (exitReason !== null) return Promise.resolve(workerUnavailable(exitReason));
    const id = nextId++;
    return new Promise((resolve) => {
      pendingCalls.set(id, resolve);
      post({ type: 'invoke', id, channel, input });
    });
  }

  function saveServer(serverUrl: string | null): Promise<DeskResult<unknown>> {
    if (exitReason !== null) return Promise.resolve(workerUnavailable(exitReason));
    const id = nextId++;
    return new Promise((resolve) => {
      pendingCalls.set(id, resolve);
      post({ type: 'saveServer', id, dataDir: options.dataDir, dataKey: options.dataKey.toString('hex'), serverUrl });
    });
  }

  function evidenceFile(sha256: string): Promise<{ bytes: Uint8Array; mime: string } | null> {
    if (exitReason !== null) return Promise.resolve(null);
    const id = nextId++;
    return new Promise((resolve) => {
      pendingEvidence.set(id, resolve);
      post({ type: 'evidence', id, sha256 });
    });
  }

  async function support(): Promise<SupportSnapshot | null> {
    if (exitReason !== null) return null;
    const id = nextId++;
    const result = await new Promise<DeskResult<unknown>>((resolve) => {
      pendingCalls.set(id, resolve);
      post({ type: 'support', id });
    });
    return result.ok ? parseSupportSnapshot(result.value) : null;
  }

  /** Asks the desk to close its cache cleanly; kills it if it does not exit in time. */
  async function stop(): Promise<void> {
    if (exitReason !== null) return;
    stopping = true;
    post({ type: 'stop' });
    const grace = setTimeout(() => child.kill(), STOP_GRACE_MS);
    await exited;
    clearTimeout(grace);
  }
}
