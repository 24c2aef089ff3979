// Keeps the desk worker running: a worker that crashes is started again, so that one bad case detail or a
// native fault costs the agent a sign-in rather than the app. Its state is safe to lose: the cache is
// rebuilt by the sync if need be and the outbox is in its own file (electron/desk/storage/stores.ts); only
// the session, held in the worker's memory, is gone, so the windows are told it expired.
// A worker that keeps crashing is not restarted forever: after `maxRestarts` within `windowMs` it stays down
// and every call is answered desk_unavailable, with the reason, until the app is restarted.
import type { DeskChannel, DeskEvent } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import { workerUnavailable } from '../../shared/desk-api/worker-protocol';
import type { DeskWorker } from './desk-worker-client';

export interface SupervisorOptions {
  /** Starts one worker process and resolves once its desk is ready (startDeskWorker). */
  start(): Promise<DeskWorker>;
  /** At most this many restarts within `windowMs`; the next crash leaves the worker down. */
  maxRestarts?: number;
  windowMs?: number;
  now?: () => number;
  /** Told of each crash, and once when the worker is left down (the shell shows an error box). */
  onCrash?(reason: string): void;
  onGiveUp?(reason: string): void;
}

export const DEFAULT_MAX_RESTARTS = 3;
export const DEFAULT_RESTART_WINDOW_MS = 60_000;

/** The answer to a call the crashed worker never answered: it may or may not have been done. */
export function restartedAnswer(reason: string): DeskResult<never> {
  return {
    ok: false,
    error: {
      code: 'desk_restarted',
      message: `The desk service stopped (${reason}) and was restarted. Check whether this was done, then try again.`,
    },
  };
}

const RESTART_EXPIRY_REASON = 'The desk service restarted after a fault; sign in again.';

export async function superviseDeskWorker(options: SupervisorOptions): Promise<DeskWorker> {
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const windowMs = options.windowMs ?? DEFAULT_RESTART_WINDOW_MS;
  const now = options.now ?? Date.now;
  const eventListeners: Array<(event: DeskEvent, payload: unknown) => void> = [];
  const crashReasons = new WeakMap<DeskWorker, string>();
  const restarts: number[] = [];
  let stopped = false;
  let gaveUp: string | null = null;

  const emit = (event: DeskEvent, payload: unknown) => {
    for (const listener of eventListeners) listener(event, payload);
  };

  function watch(worker: DeskWorker): DeskWorker {
    worker.onEvent(emit);
    worker.onExit((reason) => {
      // Marked before the client answers the calls it left: invoke below tells them from a plain refusal.
      crashReasons.set(worker, reason);
      if (!stopped) restartAfter(reason);
    });
    return worker;
  }

  /** Whether one more restart stays within the guard; records it if so. */
  function mayRestart(): boolean {
    const at = now();
    while (restarts.length > 0 && restarts[0]! <= at - windowMs) restarts.shift();
    if (restarts.length >= maxRestarts) return false;
    restarts.push(at);
    return true;
  }

  function restartAfter(reason: string): void {
    options.onCrash?.(reason);
    if (!mayRestart()) {
      gaveUp =
        `it stopped ${maxRestarts + 1} times within ${Math.round(windowMs / 1000)} s (last: ${reason}) and is ` +
        'not restarted again. Quit and reopen Dispute Desk; if this keeps happening, contact support.';
      current = Promise.reject(new Error(gaveUp));
      current.catch(() => undefined);
      options.onGiveUp?.(gaveUp);
      return;
    }
    current = options.start().then(watch);
    current.then(
      // The new worker has no session: the windows go back to sign-in (drafts and outbox are kept).
      () => emit('session.expired', { reason: RESTART_EXPIRY_REASON }),
      // A worker that cannot even start counts as another crash.
      (error: unknown) => {
        if (!stopped) restartAfter(error instanceof Error ? error.message : String(error));
      },
    );
  }

  let current: Promise<DeskWorker> = options.start().then(watch);
  await current;

  async function invoke(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>> {
    let worker: DeskWorker;
    try {
      worker = await current;
    } catch (error) {
      return workerUnavailable(gaveUp ?? (error instanceof Error ? error.message : String(error)));
    }
    const result = await worker.invoke(channel, input);
    const crash = crashReasons.get(worker);
    if (!result.ok && result.error.code === 'desk_unavailable' && crash !== undefined && !stopped)
      return gaveUp ? workerUnavailable(gaveUp) : restartedAnswer(crash);
    return result;
  }

  return {
    invoke,
    evidenceFile: async (sha256) => {
      try {
        return await (await current).evidenceFile(sha256);
      } catch {
        return null;
      }
    },
    support: async () => {
      try {
        return await (await current).support();
      } catch {
        return null;
      }
    },
    saveServer: async (serverUrl) => {
      try {
        return await (await current).saveServer(serverUrl);
      } catch (error) {
        return workerUnavailable(gaveUp ?? (error instanceof Error ? error.message : String(error)));
      }
    },
    onEvent: (listener) => void eventListeners.push(listener),
    // The supervisor is the one that hears of crashes; nobody above it restarts anything.
    onExit: () => undefined,
    async stop() {
      stopped = true;
      try {
        await (await current).stop();
      } catch {
        // Down already (given up, or failed to start): nothing to stop.
      }
    },
  };
}
