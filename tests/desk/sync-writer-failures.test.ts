// The first sync's writer thread when things go wrong (issue #13; found by review): a page that fails in
// the thread while the next one is already handed on, a thread that dies in the middle of a hand-over,
// and a write on the desk's connection while the thread holds the cache's write lock. The sync engine runs
// against a feed served from memory, the thread is real, the cache a real file.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../shared/api/types';
import type { PlatformApi } from '../../electron/desk/api-client';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import type { DeskContext, DeskDb } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { createSyncEngine, DEFAULT_SYNC_TUNING, type SyncTuning } from '../../electron/desk/sync/engine';
import { readSyncState } from '../../electron/desk/sync/sync-state';
import { createSyncWriter } from '../../electron/desk/sync/writer';
import { syntheticCase } from './fixtures/synthetic-cases';
import { tempDir } from './fixtures/live-desk';

const opened: DeskDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function cacheFile(): DeskDb {
  const db = openDeskDatabase(path.join(tempDir(), 'desk.db'));
  opened.push(db);
  return db;
}

const PAGE = 20;

/** The feed: `pages` pages of PAGE cases each. */
function feedPage(after: number, pages: number): SyncPage {
  const last = pages * PAGE;
  if (after >= last) return { changes: [], cursor: after, hasMore: false };
  const changes = Array.from({ length: PAGE }, (_, offset) => {
    const data = syntheticCase(after + offset);
    return { seq: after + offset + 1, type: 'case' as const, id: data.id, data };
  });
  return { changes, cursor: after + PAGE, hasMore: after + PAGE < last };
}

interface Logged {
  level: string;
  message: string;
  data?: Record<string, unknown>;
}

function syncOf(db: DeskDb, pages: number, writerEntry?: string) {
  const logs: Logged[] = [];
  const record = (level: string) => (message: string, data?: Record<string, unknown>) =>
    logs.push({ level, message, ...(data ? { data } : {}) });
  const log = { info: record('info'), warn: record('warn'), error: record('error') };
  const states: string[] = [];
  const ctx = {
    db,
    own: db,
    dataDir: path.dirname(db.name),
    now: () => new Date(),
    log,
    emit: (event: string, payload: unknown) => {
      if (event === 'sync.status') states.push((payload as { state: string }).state);
    },
  } as unknown as DeskContext;
  const api = {
    callUnchecked: async (_route: unknown, call: { query: { after: number } }) =>
      feedPage(call.query.after, pages),
    getBytes: async (_path: string, call: { params: { after: number } }) => ({
      bytes: Buffer.from(JSON.stringify(feedPage(call.params.after, pages))),
      mime: 'application/json',
    }),
    openStream: (_path: string, options: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) =>
        options.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      ),
  } as unknown as PlatformApi;
  const writer = createSyncWriter(db, { log, ...(writerEntry ? { entry: writerEntry } : {}) });
  const tuning: SyncTuning = {
    ...DEFAULT_SYNC_TUNING,
    pageSize: PAGE,
    bulkNotifyMs: 0,
    backoff: { baseMs: 50, maxMs: 50 },
    random: () => 0.5,
  };
  return { engine: createSyncEngine(ctx, api, tuning, { writer }), writer, logs, states };
}

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

describe("the first sync's writer thread, when things go wrong", () => {
  it('never commits the page handed on behind one that failed: every case arrives, in order', async () => {
    const db = cacheFile();
    // A failure of the 2nd page's transaction in the thread (SQLITE_BUSY, SQLITE_FULL, an I/O error…): a
    // trigger that fails it once, while the 3rd page is already handed on behind it.
    db.exec(`CREATE TABLE fail_once (id TEXT);
             INSERT INTO fail_once VALUES ('${syntheticCase(25).id}');
             CREATE TRIGGER fail_page_2 BEFORE INSERT ON cases WHEN NEW.id IN (SELECT id FROM fail_once)
             BEGIN SELECT RAISE(ABORT, 'transient failure of page 2'); END;`);
    const { engine, writer, logs, states } = syncOf(db, 3);
    try {
      engine.start();
      await until(() => logs.some((entry) => entry.message === 'Sync failed'));
      db.exec('DELETE FROM fail_once');
      await until(() => states.at(-1) === 'idle');
      expect(cachedIds(db).sort()).toEqual(feedIds(3).sort());
      expect(readSyncState(db).cursor).toBe(3 * PAGE);
      // The retry asked again from where the cache was: after the first page.
      const pulls = logs
        .filter((entry) => entry.message === 'Sync: pulling changes')
        .map((entry) => entry.data?.after);
      expect(pulls).toEqual([0, PAGE]);
    } finally {
      await engine.close();
      await writer.close();
    }
  }, 60_000);

  it('recovers from a thread that dies with a page in its hands, with no promise left unhandled', async () => {
    const db = cacheFile();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // Vitest's own listener stands aside for the test, so a rejection is counted rather than failing the run.
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    const { engine, writer, logs, states } = syncOf(
      db,
      2,
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
      await engine.close();
      await writer.close();
    }
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
