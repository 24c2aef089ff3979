// The sync engine (DESIGN §5): while a user is signed in it pulls /v1/sync until the cache has every
// change, then follows /v1/events and pulls again whenever a poke announces a cursor ahead of ours. A
// failed pull is retried with exponential backoff and jitter; the renderer sees every step as
// 'sync.status' (offline, syncing with progress, idle with the last synced time) and every applied slice
// of a page as 'cases.changed'.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ROUTES } from '../../../shared/api/routes';
import type { SyncStatus } from '../../../shared/desk-api/schemas';
import { OfflineError, PlatformError, SignedOutError, type PlatformApi } from '../api-client';
import { countCachedCases } from '../cache/queue';
import type { DeskContext } from '../context';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from '../outbox/backoff';
import { applySyncSlice } from './apply-page';
import { readPokes } from './event-stream';
import { readSyncPage } from './page-schema';
import { beginRefetch } from './refetch';
import { readSyncState } from './sync-state';

export interface SyncTuning {
  /** Changes per /v1/sync page; the server allows 500 at most. */
  pageSize: number;
  /** Changes written per transaction at most; the event loop answers the renderer between two (apply-page.ts). */
  applySlice: number;
  /**
   * About how long one transaction may write before it commits and lets the event loop run: the loop also
   * answers the renderer, and issue #13 holds its longest stall under 50 ms (the commit comes on top).
   */
  sliceBudgetMs: number;
  backoff: BackoffPolicy;
  /** Silence on the event stream after which the connection is taken for dead (heartbeats come every 15 s). */
  streamIdleMs: number;
  random: () => number;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  pageSize: 500,
  applySlice: 500,
  sliceBudgetMs: 25,
  backoff: DEFAULT_BACKOFF,
  streamIdleMs: 45_000,
  random: Math.random,
};

export interface SyncEngine {
  /** Signed in: pull now, then follow the server's pokes until stop(). */
  start(): void;
  /** Signed out: stop pulling and listening. The cache stays. */
  stop(): void;
  status(): SyncStatus;
  /** Pulls now, whatever the backoff says, and resolves with the status after that pull. */
  syncNow(): Promise<SyncStatus>;
  /** Stops and waits for the work in flight, so the cache can be closed. */
  close(): Promise<void>;
  /** Waits for a stopped run's last pull and event stream to finish. */
  settle(): Promise<void>;
}

export interface SyncDeps {
  /** The server answers again after it could not be reached (the outbox sends what waited). */
  onReconnected?(): void;
}

interface Run {
  signal: AbortSignal;
  abort(): void;
  /** The newest cursor a poke announced during this run. */
  announced: number;
  pulling: Promise<void> | null;
  pullAgain: boolean;
  failures: number;
  unreachable: boolean;
  retry: NodeJS.Timeout | null;
  events: Promise<void>;
}

const isUnauthenticated = (error: unknown) =>
  error instanceof SignedOutError || (error instanceof PlatformError && error.status === 401);

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function createSyncEngine(
  ctx: DeskContext,
  api: PlatformApi,
  tuning: SyncTuning = DEFAULT_SYNC_TUNING,
  deps: SyncDeps = {},
): SyncEngine {
  let run: Run | null = null;
  let current: Pick<SyncStatus, 'state' | 'progress' | 'error' | 'nextAttemptAt'> = {
    state: 'signed_out',
    progress: null,
    error: null,
    nextAttemptAt: null,
  };

  function status(): SyncStatus {
    return {
      ...current,
      lastSyncedAt: readSyncState(ctx.db).lastSyncedAt,
      cachedCases: countCachedCases(ctx.db),
    };
  }

  function report(next: Partial<typeof current>) {
    current = { ...current, ...next };
    // A run's last word can come after the desk closed its cache (a failure noticed on the way out).
    if (!ctx.db.open) return;
    ctx.emit('sync.status', status());
  }

  /** Pulls pages until the feed has no more. Each page and its cursor are applied in one transaction. */
  async function pullToEnd(active: Run): Promise<void> {
    let state = readSyncState(ctx.db);
    const progress = { applied: 0, cursor: state.cursor };
    ctx.log.info('Sync: pulling changes', { after: state.cursor, refetching: state.refetching });
    report({ state: 'syncing', progress: { ...progress }, error: null, nextAttemptAt: null });
    const fetchPage = (after: number): Promise<unknown> => {
      // Checked by readSyncPage below, which reads only the fields the cache files a case under.
      const fetched = api.callUnchecked(ROUTES.sync, {
        query: { after, limit: tuning.pageSize },
        signal: active.signal,
      });
      // A page asked for ahead may fail after this pull has stopped waiting for it (aborted, or a page
      // before it failed): its failure is read where it is awaited, or nowhere, never reported as unhandled.
      fetched.catch(() => {});
      return fetched;
    };
    let fetching = fetchPage(state.cursor);
    for (;;) {
      let body: unknown;
      try {
        body = await fetching;
      } catch (error) {
        // after=0 can never be too old: a 410 there is the server's fault, not a reason to loop.
        if (
          error instanceof PlatformError &&
          error.code === 'must_refetch' &&
          state.cursor > 0 &&
          !active.signal.aborted
        ) {
          ctx.log.warn('Sync: the server no longer keeps our cursor; fetching every case again', {
            after: state.cursor,
          });
          state = beginRefetch(ctx.db);
          progress.cursor = 0;
          fetching = fetchPage(state.cursor);
          continue;
        }
        throw error;
      }
      if (active.signal.aborted) return;
      const page = readSyncPage(body);
      // The next page is asked for now, from where this one ends: the server reads and sends it while this
      // one is written, on another core.
      if (page.hasMore) fetching = fetchPage(page.cursor);
      let from = 0;
      do {
        if (active.signal.aborted) return;
        const applied = applySyncSlice(
          ctx.db,
          page,
          from,
          { maxChanges: tuning.applySlice, budgetMs: tuning.sliceBudgetMs },
          ctx.now(),
        );
        state = applied.state;
        progress.applied += applied.next - from;
        progress.cursor = state.cursor;
        from = applied.next;
        if (applied.caseIds.length > 0) {
          ctx.emit('cases.changed', {
            caseIds: applied.caseIds,
            ...(applied.summaries ? { summaries: applied.summaries } : {}),
          });
        }
        report({ progress: { ...progress } });
        await nextTurn();
      } while (from < page.changes.length);
      if (!page.hasMore) return;
    }
  }

  /** Tells the renderer (and the log) that the server could not be reached, or failed, and when we try again. */
  function reportFailure(error: unknown, attempt: number, delayMs: number, during: 'pull' | 'events') {
    const unreachable = error instanceof OfflineError;
    const code = (error as { code?: unknown }).code;
    const desk = {
      code: typeof code === 'string' ? code : 'sync_failed',
      message: error instanceof Error ? error.message : String(error),
    };
    ctx.log.warn(unreachable ? 'Sync: the server cannot be reached' : 'Sync failed', {
      during,
      code: desk.code,
      attempt,
      retryInMs: delayMs,
    });
    report({
      state: unreachable ? 'offline' : 'error',
      progress: null,
      error: desk,
      nextAttemptAt: new Date(ctx.now().getTime() + delayMs).toISOString(),
    });
  }

  function failed(active: Run, error: unknown) {
    // The session is over: the session has signed out (and stopped this run) or is about to.
    if (isUnauthenticated(error)) return;
    active.failures += 1;
    active.unreachable = error instanceof OfflineError;
    const delayMs = retryDelayMs(tuning.backoff, active.failures, tuning.random);
    reportFailure(error, active.failures, delayMs, 'pull');
    active.retry = setTimeout(() => {
      active.retry = null;
      void pull(active);
    }, delayMs);
  }

  /** Starts a pull, or asks the one under way to go round once more; resolves when the cache is caught up. */
  function pull(active: Run): Promise<void> {
    if (active.signal.aborted) return Promise.resolve();
    if (active.pulling) {
      active.pullAgain = true;
      return active.pulling;
    }
    if (active.retry) clearTimeout(active.retry);
    active.retry = null;
    active.pulling = (async () => {
      try {
        do {
          active.pullAgain = false;
          await pullToEnd(active);
        } while (
          !active.signal.aborted &&
          (active.pullAgain || active.announced > readSyncState(ctx.db).cursor)
        );
        if (active.signal.aborted) return;
        const reconnected = active.unreachable;
        active.failures = 0;
        active.unreachable = false;
        report({ state: 'idle', progress: null, error: null, nextAttemptAt: null });
        if (reconnected) deps.onReconnected?.();
      } catch (error) {
        if (!active.signal.aborted) failed(active, error);
      } finally {
        active.pulling = null;
      }
    })();
    return active.pulling;
  }

  /**
   * Follows /v1/events for as long as the run lasts. The stream is also how the desk knows it is online:
   * when it cannot connect, the desk reports itself offline and tries again with backoff; once connected,
   * it pulls whatever it missed.
   */
  async function followEvents(active: Run): Promise<void> {
    let failures = 0;
    while (!active.signal.aborted) {
      try {
        const stream = await api.openStream(ROUTES.events.path, { signal: active.signal });
        failures = 0;
        // Pokes sent before the stream was open (while we were away, or while it was connecting for the
        // first time) are lost: whatever they announced, one pull catches up.
        void pull(active);
        await readPokes(
          stream,
          (cursor) => {
            active.announced = Math.max(active.announced, cursor);
            if (cursor > readSyncState(ctx.db).cursor) void pull(active);
          },
          tuning.streamIdleMs,
        );
      } catch (error) {
        if (active.signal.aborted || isUnauthenticated(error)) return;
        failures += 1;
        if (error instanceof OfflineError) {
          active.unreachable = true;
          const delayMs = retryDelayMs(tuning.backoff, failures, tuning.random);
          reportFailure(error, failures, delayMs, 'events');
          await pause(delayMs, active.signal);
          continue;
        }
      }
      // The stream ended or broke while connected: reconnect soon, with backoff if it keeps breaking.
      if (!active.signal.aborted)
        await pause(retryDelayMs(tuning.backoff, failures, tuning.random), active.signal);
    }
  }

  let lastStopped: Run | null = null;

  function stopRun(): Run | null {
    const stopped = run;
    if (stopped) lastStopped = stopped;
    run = null;
    if (stopped) {
      stopped.abort();
      if (stopped.retry) clearTimeout(stopped.retry);
    }
    return stopped;
  }

  return {
    start() {
      stopRun();
      const controller = new AbortController();
      const active: Run = {
        signal: controller.signal,
        abort: () => controller.abort(),
        announced: 0,
        pulling: null,
        pullAgain: false,
        failures: 0,
        unreachable: false,
        retry: null,
        events: Promise.resolve(),
      };
      run = active;
      void pull(active);
      active.events = followEvents(active);
    },

    stop() {
      if (!stopRun()) return;
      report({ state: 'signed_out', progress: null, error: null, nextAttemptAt: null });
    },

    status,

    async syncNow() {
      if (!run) throw new SignedOutError('Sign in to sync.');
      await pull(run);
      return status();
    },

    async close() {
      const stopped = stopRun();
      if (stopped) await Promise.all([stopped.pulling, stopped.events]);
    },

    async settle() {
      const stopped = lastStopped;
      if (stopped) await Promise.all([stopped.pulling, stopped.events]);
    },
  };
}
