// The first sync's writer thread when things go wrong (issue #13; found by review): a page that fails in
// the thread while the next one is already handed on, a thread that dies in the middle of a hand-over,
// and a write on the desk's connection while the thread holds the cache's write lock. The sync engine runs
// against a feed served from memory, the thread is real, the cache a real file.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../shared/api/types';
import { OfflineError, PlatformError } from '../../electron/desk/api-client';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { isBulkLoading } from '../../electron/desk/cache/bulk-load';
import { purgeResolvedCases } from '../../electron/desk/storage/purge';
import type { DeskContext, DeskDb } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { createSyncEngine, DEFAULT_SYNC_TUNING, type SyncTuning } from '../../electron/desk/sync/engine';
import { readSyncState } from '../../electron/desk/sync/sync-state';
import { createSyncWriter } from '../../electron/desk/sync/writer';
import { memoryFeedApi } from './fixtures/memory-feed';
import { syntheticCase } from './fixtures/synthetic-cases';
import { tempDir } from './fixtures/live-desk';

const opened: DeskDb[] = [];
/** The engines and writer threads of the test, closed after it (before its cache). */
const running: { engine: { close(): Promise<void> }; writer: { close(): Promise<void> } }[] = [];

afterEach(async () => {
  for (const { engine, writer } of running.splice(0)) {
    await engine.close();
    await writer.close();
  }
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function cacheFile(): DeskDb {
  const db = openDeskDatabase(path.join(tempDir(), 'desk.db'));
  opened.push(db);
  return db;
}

const PAGE = 20;
const NOW = new Date('2026-12-07T12:00:00Z');

/** The feed: `pages` pages of PAGE cases each; case 0 was resolved in January, past any retention period. */
function feedPage(after: number, pages: number): SyncPage {
  const last = pages * PAGE;
  if (after >= last) return { changes: [], cursor: after, hasMore: false };
  const changes = Array.from({ length: PAGE }, (_, offset) => {
    const index = after + offset;
    const data =
      index === 0
        ? syntheticCase(0, { status: 'resolved', openedAt: '2026-01-01T00:00:00.000Z' })
        : syntheticCase(index);
    return { seq: index + 1, type: 'case' as const, id: data.id, data };
  });
  return { changes, cursor: after + PAGE, hasMore: after + PAGE < last };
}

interface Logged {
  level: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A sync engine whose server answers `serve(after)` (a page's JSON text, or a throw). */
function syncOf(
  db: DeskDb,
  serve: (after: number) => Promise<string>,
  tuningOverrides: Partial<SyncTuning> = {},
  writerEntry?: string,
) {
  const logs: Logged[] = [];
  const record = (level: string) => (message: string, data?: Record<string, unknown>) =>
    logs.push({ level, message, ...(data ? { data } : {}) });
  const log = { info: record('info'), warn: record('warn'), error: record('error') };
  const states: string[] = [];
  const events: { event: string; payload: unknown }[] = [];
  const announced: string[] = [];
  const ctx = {
    db,
    own: db,
    dataDir: path.dirname(db.name),
    now: () => NOW,
    log,
    emit: (event: string, payload: unknown) => {
      events.push({ event, payload });
      if (event === 'sync.status') states.push((payload as { state: string }).state);
      if (event === 'cases.changed') announced.push(...(payload as { caseIds: string[] }).caseIds);
    },
  } as unknown as DeskContext;
  const api = memoryFeedApi(serve);
  const writer = createSyncWriter(db, { log, ...(writerEntry ? { entry: writerEntry } : {}) });
  const tuning: SyncTuning = {
    ...DEFAULT_SYNC_TUNING,
    pageSize: PAGE,
    bulkNotifyMs: 0,
    backoff: { baseMs: 50, maxMs: 50 },
    random: () => 0.5,
    ...tuningOverrides,
  };
  const engine = createSyncEngine(ctx, api, tuning, { writer });
  running.push({ engine, writer });
  return { engine, writer, logs, states, events, announced, ctx };
}

const feed = (pages: number) => async (after: number) => JSON.stringify(feedPage(after, pages));

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const cachedIds = (db: DeskDb) =>
  db.prepare('SELECT id FROM cases ORDER BY row_id').pluck().all() as string[];
const feedIds = (pages: number) =>
  Array.from({ length: pages * PAGE }, (_, index) => syntheticCase(index).id);
const failures = (logs: Logged[]) => logs.filter((entry) => entry.message === 'Sync failed');
const pulls = (logs: Logged[]) =>
  logs.filter((entry) => entry.message === 'Sync: pulling changes').map((entry) => entry.data);

describe("the first sync's writer thread, when things go wrong", () => {
  it('never commits the page handed on behind one that failed: every case arrives, in order', async () => {
    const db = cacheFile();
    // A failure of the 2nd page's transaction in the thread (SQLITE_BUSY, SQLITE_FULL, an I/O error…): a
    // trigger that fails it once, while the 3rd page is already handed on behind it.
    db.exec(`CREATE TABLE fail_once (id TEXT);
             INSERT INTO fail_once VALUES ('${syntheticCase(25).id}');
             CREATE TRIGGER fail_page_2 BEFORE INSERT ON cases WHEN NEW.id IN (SELECT id FROM fail_once)
             BEGIN SELECT RAISE(ABORT, 'transient failure of page 2'); END;`);
    const { engine, logs, states } = syncOf(db, feed(3));
    engine.start();
    await until(() => failures(logs).length > 0);
    db.exec('DELETE FROM fail_once');
    await until(() => states.at(-1) === 'idle');
    expect(cachedIds(db).sort()).toEqual(feedIds(3).sort());
    expect(readSyncState(db).cursor).toBe(3 * PAGE);
    // The retry asked again from where the cache was: after the first page.
    const pulls = logs
      .filter((entry) => entry.message === 'Sync: pulling changes')
      .map((entry) => entry.data?.after);
    expect(pulls).toEqual([0, PAGE]);
  }, 60_000);

  it('recovers from a thread that dies with a page in its hands, with no promise left unhandled', async () => {
    const db = cacheFile();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // Vitest's own listener stands aside for the test, so a rejection is counted rather than failing the run.
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    const { engine, logs, states } = syncOf(
      db,
      feed(2),
      {},
      path.resolve('tests/desk/fixtures/dying-sync-writer.ts'),
    );
    try {
      engine.start();
      await until(() => states.at(-1) === 'idle');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(logs.some((entry) => entry.message.startsWith('Sync: the writer thread stopped'))).toBe(true);
      // Written on the desk's connection from where the thread stopped, the load then finished.
      expect(cachedIds(db).sort()).toEqual(feedIds(2).sort());
      expect(db.prepare('SELECT count(*) FROM cache_indexes_set_aside').pluck().get()).toBe(0);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      for (const listener of vitestListeners) process.on('unhandledRejection', listener);
    }
  }, 60_000);

  it('builds the indexes of a first sync that keeps failing, so retention runs meanwhile, then loads the rest in bulk', async () => {
    const db = cacheFile();
    // A newer server: the 3rd page has a case in a status this desk does not know, until it is fixed.
    let fixed = false;
    const serve = async (after: number) => {
      const page = feedPage(after, 4);
      if (after === 2 * PAGE && !fixed) (page.changes[3]!.data as { status: string }).status = 'escalated';
      return JSON.stringify(page);
    };
    const { engine, logs, states, ctx } = syncOf(db, serve);
    engine.start();
    await until(() => failures(logs).length >= 2);
    expect(failures(logs)[0]?.data).toMatchObject({ code: 'malformed_sync_page' });
    expect(isBulkLoading(db)).toBe(false);
    // Case 0 was resolved in January: retention (30 days) deletes it now, not after the feed is read.
    const purged = purgeResolvedCases(ctx, 30);
    expect(purged).toBeGreaterThan(0);
    expect(cachedIds(db)).not.toContain(syntheticCase(0).id);
    fixed = true;
    await until(() => states.at(-1) === 'idle');
    // The retry set the indexes aside again and wrote the rest in the thread.
    expect(pulls(logs).at(-1)).toMatchObject({ after: 2 * PAGE, bulk: true, thread: true });
    expect(isBulkLoading(db)).toBe(false);
    expect(cachedIds(db)).toHaveLength(4 * PAGE - purged);
    expect(cachedIds(db)).toEqual(expect.arrayContaining(feedIds(4).slice(2 * PAGE)));
  }, 60_000);

  it('tells the renderer of every case written before a failure, and loads the rest in bulk after one timeout', async () => {
    const db = cacheFile();
    let timedOut = false;
    const serve = async (after: number) => {
      if (after === 2 * PAGE && !timedOut) {
        timedOut = true;
        throw new OfflineError('timeout', 'The server did not answer in time.');
      }
      return JSON.stringify(feedPage(after, 5));
    };
    // Longer than the test: without the failure, the load would announce its cases at its last page only.
    const { engine, logs, states, announced } = syncOf(db, serve, { bulkNotifyMs: 600_000 });
    engine.start();
    await until(() => logs.some((entry) => entry.message === 'Sync: the server cannot be reached'));
    await until(() => feedIds(2).every((id) => announced.includes(id)), 5000);
    await until(() => states.at(-1) === 'idle');
    expect(pulls(logs)[1]).toMatchObject({ after: 2 * PAGE, bulk: true, thread: true });
    expect(cachedIds(db).sort()).toEqual(feedIds(5).sort());
    expect(new Set(announced)).toEqual(new Set(feedIds(5)));
  }, 60_000);

  it('acts on a 410 only once the page in the thread has committed, and refetches from there', async () => {
    const db = cacheFile();
    let gone = false;
    const serve = async (after: number) => {
      if (after === 2 * PAGE && !gone) {
        gone = true;
        throw new PlatformError(410, 'must_refetch', 'This cursor is older than the change feed keeps.');
      }
      return JSON.stringify(feedPage(after, 4));
    };
    const { engine, logs, states } = syncOf(db, serve);
    engine.start();
    await until(() => states.at(-1) === 'idle');
    const refetch = logs.find((entry) => entry.message.startsWith('Sync: the server no longer keeps'));
    expect(refetch?.data).toEqual({ after: 2 * PAGE });
    expect(failures(logs)).toEqual([]);
    expect(cachedIds(db).sort()).toEqual(feedIds(4).sort());
    expect(readSyncState(db)).toMatchObject({ cursor: 4 * PAGE, refetching: false });
    expect(isBulkLoading(db)).toBe(false);
  }, 60_000);

  it('lets a run started while the stopped one still writes wait for it: nothing lost, nothing refused', async () => {
    const db = cacheFile();
    const serve = async (after: number) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      return JSON.stringify(feedPage(after, 10));
    };
    const { engine, logs, states } = syncOf(db, serve);
    for (let round = 0; round < 5; round++) {
      engine.start();
      await new Promise((resolve) => setTimeout(resolve, 25 + round * 7));
      engine.stop();
    }
    engine.start();
    await until(() => states.at(-1) === 'idle');
    expect(failures(logs)).toEqual([]);
    expect(cachedIds(db).sort()).toEqual(feedIds(10).sort());
    expect(isBulkLoading(db)).toBe(false);
  }, 60_000);

  it('refuses a page whose cursor does not move on, instead of asking for it for ever', async () => {
    const db = cacheFile();
    let calls = 0;
    const serve = async (after: number) => {
      calls += 1;
      return JSON.stringify(
        after === 0 ? { ...feedPage(0, 2), hasMore: true } : { changes: [], cursor: after, hasMore: true },
      );
    };
    const { engine, logs } = syncOf(db, serve, { backoff: { baseMs: 200, maxMs: 200 } });
    engine.start();
    await until(() => failures(logs).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(failures(logs)[0]?.data).toMatchObject({ code: 'malformed_sync_page' });
    // A pull every backoff, two pages each: not thousands.
    expect(calls).toBeLessThan(15);
    expect(cachedIds(db)).toHaveLength(PAGE);
  }, 60_000);

  it('says nothing more of a run once it is stopped, though the page in the thread is written', async () => {
    const db = cacheFile();
    // Pages of 500 cases, so one is still in the thread when the run stops.
    const serve = async (after: number) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const changes = Array.from({ length: 500 }, (_, offset) => {
        const data = syntheticCase(after + offset);
        return { seq: after + offset + 1, type: 'case', id: data.id, data };
      });
      return JSON.stringify({ changes, cursor: after + 500, hasMore: after + 500 < 5000 });
    };
    const { engine, events } = syncOf(db, serve);
    let stoppedAt = -1;
    const stopAtFirstProgress = setInterval(() => {
      const progressed = events.some(
        (entry) => ((entry.payload as { progress?: { applied: number } | null }).progress?.applied ?? 0) > 0,
      );
      if (progressed && stoppedAt < 0) {
        engine.stop();
        stoppedAt = events.length;
        clearInterval(stopAtFirstProgress);
      }
    }, 1);
    engine.start();
    await until(() => stoppedAt >= 0);
    await engine.settle();
    const afterStop = events.slice(stoppedAt);
    expect(afterStop.filter((entry) => entry.event === 'cases.changed')).toEqual([]);
    expect(afterStop.filter((entry) => (entry.payload as { progress?: unknown }).progress)).toEqual([]);
    // The page the thread had was written all the same, with its cursor.
    expect(readSyncState(db).cursor % 500).toBe(0);
    expect(cachedIds(db)).toHaveLength(readSyncState(db).cursor);
  }, 60_000);

  it('writes on the desk connection when the thread is refused at once (a path a worker cannot take)', async () => {
    const db = cacheFile();
    const { engine, logs, states } = syncOf(db, feed(3), {}, 'relative/sync-writer.js');
    engine.start();
    await until(() => states.at(-1) === 'idle');
    expect(pulls(logs)[0]).toMatchObject({ bulk: true, thread: false });
    expect(failures(logs)).toEqual([]);
    expect(cachedIds(db).sort()).toEqual(feedIds(3).sort());
    expect(isBulkLoading(db)).toBe(false);
  }, 60_000);

  it("has a write on the desk's connection wait for the thread's transaction when it begins IMMEDIATE", async () => {
    const db = cacheFile();
    const writerThread = createSyncWriter(db, { log: { info() {}, warn() {}, error() {} } });
    try {
      const writer = (await writerThread.get())!;
      // A transaction of a few hundred milliseconds in the thread, as a page or a step of the finish.
      const long = writer.transaction([
        `CREATE TABLE busy_work AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 1500000)
         SELECT sum(x) AS s FROM r`,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // A transaction that reads before it writes fails at once: SQLite does not wait to upgrade a reader.
      // This is why the outbox applies a verdict's answer in an IMMEDIATE one (outbox/sender.ts).
      expect(() => db.transaction(() => applyCaseDetail(db, syntheticCase(2)))()).toThrow(/locked|busy/i);
      // IMMEDIATE takes the write lock first, waiting for it up to the busy timeout, then writes.
      db.transaction(() => applyCaseDetail(db, syntheticCase(1))).immediate();
      await long;
      expect(cachedIds(db)).toEqual([syntheticCase(1).id]);
      expect(db.prepare('SELECT count(*) FROM busy_work').pluck().get()).toBe(1);
    } finally {
      await writerThread.close();
    }
  }, 60_000);
});
