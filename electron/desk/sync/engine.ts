// The sync engine (DESIGN §5): while a user is signed in it pulls /v1/sync until the cache has every
// change, then follows /v1/events and pulls again whenever a poke announces a cursor ahead of ours. A
// failed pull is retried with exponential backoff and jitter; the renderer sees every step as
// 'sync.status' (offline, syncing with progress, idle with the last synced time) and every applied slice
// of a page as 'cases.changed'. A first sync is a bulk load written by the sync
// writer's thread (cache/bulk-load.ts, writer.ts; README "The first sync").
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ROUTES } from '../../../shared/api/routes';
import type { CaseSummary } from '../../../shared/api/types';
import type { SyncStatus } from '../../../shared/desk-api/schemas';
import { OfflineError, PlatformError, SignedOutError, type PlatformApi } from '../api-client';
import { beginBulkLoad, finishBulkLoadSteps, isBulkLoading } from '../cache/bulk-load';
import { countCachedCases } from '../cache/queue';
import type { DeskContext } from '../context';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from '../outbox/backoff';
import { applyRowsSlice, rowsOf, type RowsPage } from './apply-page';
import { readPokes } from './event-stream';
import { checkAdvances, readSyncPage } from './page-schema';
import { beginRefetch } from './refetch';
import { readSyncState, type SyncState } from './sync-state';
import { quiet, type SyncWriter, type SyncWriterThread } from './writer';

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
  /**
   * During a bulk load, how often at most the renderer hears 'cases.changed': each time, it queries a
   * queue whose indexes are set aside (cache/bulk-load.ts).
   */
  bulkNotifyMs: number;
  /** Silence on the event stream after which the connection is taken for dead (heartbeats come every 15 s). */
  streamIdleMs: number;
  random: () => number;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  pageSize: 500,
  applySlice: 500,
  sliceBudgetMs: 25,
  bulkNotifyMs: 1000,
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
  /**
   * The sync writer's thread (writer.ts), which writes a bulk load's pages and builds its indexes off the
   * event loop; without one, or where it cannot start, they are written on the desk's connection.
   */
  writer?: Pick<SyncWriterThread, 'get' | 'release'>;
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
  /** Resolves once the run stopped before this one has finished its last pull: two never write at once. */
  ready: Promise<void>;
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

  /** While the writer's thread writes, the count it took after its last page (writer-thread.ts says why). */
  let countedByThread: number | null = null;

  function status(): SyncStatus {
    return {
      ...current,
      lastSyncedAt: readSyncState(ctx.db).lastSyncedAt,
      cachedCases: countedByThread ?? countCachedCases(ctx.db),
    };
  }

  function report(next: Partial<typeof current>) {
    current = { ...current, ...next };
    // A run's last word can come after the desk closed its cache (a failure noticed on the way out).
    if (!ctx.db.open) return;
    ctx.emit('sync.status', status());
  }

  /**
   * Whether this pull fills the cache as a bulk load (cache/bulk-load.ts): the cache has never caught up
   * with the feed (a first sync, maybe resumed after a failure or a restart), or a load stopped half way
   * is still to finish.
   */
  function startBulkLoad(state: SyncState): boolean {
    if (isBulkLoading(ctx.db)) return true;
    if (state.lastSyncedAt !== null) return false;
    beginBulkLoad(ctx.db);
    return true;
  }

  /**
   * Builds the set-aside indexes, a short transaction each (bulk-load.ts), in the writer's thread when
   * there is one: a write on the desk's connection meanwhile waits for one step at most.
   */
  async function finishBulkLoad(writer: SyncWriter | null): Promise<void> {
    const started = performance.now();
    for (const step of finishBulkLoadSteps(ctx.db)) {
      if (writer) {
        await writer.transaction(step);
        continue;
      }
      ctx.db
        .transaction(() => {
          for (const sql of step) ctx.db.exec(sql);
        })
        .immediate();
      await nextTurn();
    }
    ctx.log.info('Sync: the bulk load is indexed', { ms: Math.round(performance.now() - started) });
  }

  /** Pulls pages until the feed has no more. Each page (or slice of one) and its cursor commit together. */
  async function pullToEnd(active: Run): Promise<void> {
    const state = readSyncState(ctx.db);
    const bulk = startBulkLoad(state);
    const writer = bulk ? ((await deps.writer?.get()) ?? null) : null;
    const progress = { applied: 0, cursor: state.cursor };
    ctx.log.info('Sync: pulling changes', {
      after: state.cursor,
      refetching: state.refetching,
      bulk,
      thread: writer !== null,
    });
    report({ state: 'syncing', progress: { ...progress }, error: null, nextAttemptAt: null });
    const feed: PagePull = { active, state, progress, announce: announcer(bulk) };
    try {
      await (writer ? pullThroughThread(feed, writer) : pullHere(feed));
      if (bulk && !active.signal.aborted) await finishBulkLoad(writer);
    } catch (error) {
      // A first sync that fails may keep failing for long (no network, a server this desk cannot read):
      // the queue is not left without its indexes, nor retention off, meanwhile. The next pull sets them
      // aside again while the cache has still not caught up.
      if (bulk && !active.signal.aborted && ctx.db.open) {
        await finishBulkLoad(writer).catch((failure: unknown) =>
          ctx.log.warn('Sync: the bulk load could not be indexed; it is tried again at the next pull', {
            error: failure instanceof Error ? failure.message : String(failure),
          }),
        );
      }
      throw error;
    } finally {
      // Cases written but not yet announced (a failure ended the pull before its last page).
      if (!active.signal.aborted) feed.announce([], undefined, true);
      countedByThread = null;
      // The thread ends with the pull, and with it whatever a failed or stopped pull had handed it.
      if (writer) await deps.writer?.release();
    }
  }

  interface PagePull {
    active: Run;
    state: SyncState;
    progress: { applied: number; cursor: number };
    /** Tells the renderer which cases changed; `last` once the feed's last page is written. */
    announce(caseIds: string[], summaries: CaseSummary[] | undefined, last: boolean): void;
  }

  /**
   * During a bulk load the renderer hears of changed cases at most every bulkNotifyMs (each time it queries
   * a queue whose indexes are set aside); otherwise after every slice, with the summaries of a few.
   */
  function announcer(bulk: boolean): PagePull['announce'] {
    let unannounced: string[] = [];
    // The first announcement comes bulkNotifyMs into the load, the cases of its first pages together.
    let announcedAt = performance.now();
    return (caseIds, summaries, last) => {
      if (!bulk) {
        if (caseIds.length > 0) ctx.emit('cases.changed', { caseIds, ...(summaries ? { summaries } : {}) });
        return;
      }
      unannounced = unannounced.concat(caseIds);
      const now = performance.now();
      if (unannounced.length === 0 || (!last && now - announcedAt < tuning.bulkNotifyMs)) return;
      ctx.emit('cases.changed', { caseIds: unannounced });
      unannounced = [];
      announcedAt = now;
    };
  }

  /**
   * Awaits a page asked for; when the server no longer keeps our cursor (410 must_refetch), starts a
   * refetch from after=0 and asks again. after=0 can never be too old: a 410 there is the server's fault.
   */
  async function awaitPage<T>(
    feed: PagePull,
    fetching: Promise<T>,
    fetch: (after: number) => Promise<T>,
    written: () => Promise<void>,
  ): Promise<T> {
    for (;;) {
      try {
        return await fetching;
      } catch (error) {
        if (!(error instanceof PlatformError && error.code === 'must_refetch') || feed.active.signal.aborted)
          throw error;
        // The page being written moves the cursor: whether the 410 is ours to act on is known after it.
        await written();
        if (feed.state.cursor === 0) throw error;
        ctx.log.warn('Sync: the server no longer keeps our cursor; fetching every case again', {
          after: feed.state.cursor,
        });
        feed.state = beginRefetch(ctx.db);
        feed.progress.cursor = 0;
        fetching = fetch(feed.state.cursor);
      }
    }
  }

  /** Pulls the pages and writes each here, checked and worked out into rows, in slices (apply-page.ts). */
  async function pullHere(feed: PagePull): Promise<void> {
    const { active } = feed;
    // Checked by readSyncPage below, which reads only the fields the cache files a case under. A page asked
    // for ahead may fail after the pull stopped waiting for it: quiet() keeps that from being unhandled.
    const fetchPage = (after: number): Promise<{ after: number; body: unknown }> =>
      quiet(
        api
          .callUnchecked(ROUTES.sync, { query: { after, limit: tuning.pageSize }, signal: active.signal })
          .then((body) => ({ after, body })),
      );
    let fetching = fetchPage(feed.state.cursor);
    for (;;) {
      const { after, body } = await awaitPage(feed, fetching, fetchPage, async () => {});
      if (active.signal.aborted) return;
      const checked = readSyncPage(body);
      checkAdvances(checked, after);
      const page = rowsOf(checked);
      // The next page is asked for now, from where this one ends: the server reads and sends it while this
      // one is written, on another core.
      if (page.hasMore) fetching = fetchPage(page.cursor);
      await writeHere(feed, page);
      if (!page.hasMore || active.signal.aborted) return;
    }
  }

  /** Writes a page on the desk's connection, in slices short enough for the event loop (apply-page.ts). */
  async function writeHere(feed: PagePull, page: RowsPage): Promise<void> {
    const { active, progress } = feed;
    let from = 0;
    do {
      if (active.signal.aborted) return;
      const applied = applyRowsSlice(
        ctx.db,
        page,
        from,
        { maxChanges: tuning.applySlice, budgetMs: tuning.sliceBudgetMs },
        ctx.now(),
      );
      feed.state = applied.state;
      progress.applied += applied.next - from;
      progress.cursor = applied.state.cursor;
      from = applied.next;
      feed.announce(applied.caseIds, applied.summaries, from === page.changes.length && !page.hasMore);
      report({ progress: { ...progress } });
      await nextTurn();
    } while (from < page.changes.length);
  }

  /**
   * Hands each page's bytes to the writer's thread, which reads, checks and commits it: this loop only
   * fetches, so it never holds the event loop for a page's JSON. The next page is asked for as soon as the
   * thread has read where this one ends, and handed on while this one is still being written: the thread
   * never waits for the network, and pages commit in order, at most two in its hands. A page handed on
   * behind one that failed is refused by the thread (its `after` is not where the cache is).
   */
  async function pullThroughThread(feed: PagePull, writer: SyncWriter): Promise<void> {
    const { active, progress } = feed;
    const fetchPage = (after: number): Promise<{ after: number; bytes: Uint8Array }> =>
      quiet(
        api
          .getBytes(ROUTES.sync.path, { params: { after, limit: tuning.pageSize }, signal: active.signal })
          .then(({ bytes }) => ({ after, bytes })),
      );
    let fetching = fetchPage(feed.state.cursor);
    let previous: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const { after, bytes } = await awaitPage(feed, fetching, fetchPage, () => previous);
        if (active.signal.aborted) return;
        const job = writer.writePage(bytes, after, ctx.now());
        const head = await job.parsed;
        if (head.hasMore) fetching = fetchPage(head.cursor);
        await previous;
        previous = quiet(
          job.written.then((done) => {
            feed.state = done.state;
            // Signed out meanwhile: the page is written, but nobody is told of this run any more.
            if (active.signal.aborted) return;
            countedByThread = done.cachedCases;
            progress.applied += head.changes;
            progress.cursor = done.state.cursor;
            feed.announce(done.caseIds, undefined, !head.hasMore);
            report({ progress: { ...progress } });
          }),
        );
        if (!head.hasMore || active.signal.aborted) return;
      }
    } finally {
      // The pull ends once its last write is over (a stopped desk closes the cache after it).
      await previous;
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
        await active.ready;
        do {
          active.pullAgain = false;
          if (active.signal.aborted) return;
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
      const before = stopRun() ?? lastStopped;
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
        ready: Promise.resolve(before?.pulling).then(
          () => {},
          () => {},
        ),
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
