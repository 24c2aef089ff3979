// The first sync of an empty cache as a bulk load (issue #13): the secondary indexes set aside and built
// again at the end exactly as the migrations made them, the queue right all along, a case met twice
// written once with its latest evidence, a failed finish leaving the load to finish later; and, against the
// real server, the pages written by the sync writer's thread (or, where it cannot start, by the desk).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueQuery, type QueueQuery } from '../../shared/desk-api/schemas';
import type { CaseDetail } from '../../shared/api/types';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import {
  beginBulkLoad,
  finishBulkLoadSteps,
  isBulkLoading,
  withoutIndexNames,
} from '../../electron/desk/cache/bulk-load';
import { queryQueue } from '../../electron/desk/cache/queue';
import type { DeskContext, DeskDb } from '../../electron/desk/context';
import { purgeResolvedCases } from '../../electron/desk/storage/purge';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { createSyncWriter } from '../../electron/desk/sync/writer';
import { readSyncState } from '../../electron/desk/sync/sync-state';
import { SYNTHETIC_AGENTS, syntheticCase } from './fixtures/synthetic-cases';
import {
  addDeskUser,
  caughtUp,
  openDesk,
  readDeskDb,
  recordEvents,
  signIn,
  startLiveServer,
  tempDir,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

const opened: DeskDb[] = [];
let servers: LiveServer[] = [];
let desks: TestDesk[] = [];

afterEach(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  for (const server of servers) await server.close();
  for (const db of opened.splice(0)) if (db.open) db.close();
  desks = [];
  servers = [];
});

function cacheFile(): { db: DeskDb; file: string } {
  const file = path.join(tempDir(), 'desk.db');
  const db = openDeskDatabase(file);
  opened.push(db);
  return { db, file };
}

const indexes = (db: { prepare: DeskDb['prepare'] }) =>
  db
    .prepare(
      "SELECT name, tbl_name AS tableName, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
    )
    .all() as { name: string; tableName: string; sql: string }[];

const finish = (db: DeskDb) => {
  for (const step of finishBulkLoadSteps(db))
    db.transaction(() => {
      for (const sql of step) db.exec(sql);
    }).immediate();
};

const automerge = (db: DeskDb) =>
  db.prepare("SELECT v FROM cases_search_config WHERE k = 'automerge'").pluck().get() as number | undefined;

/** Views, sorts, searches (one that matches every case), filters and a deep page. */
const REQUESTS: QueueQuery[] = [
  {},
  { view: 'mine' },
  { view: 'unassigned', sort: { column: 'amount', direction: 'desc' } },
  { view: 'flagged' },
  { sort: { column: 'status', direction: 'asc' } },
  { sort: { column: 'assignee', direction: 'desc' } },
  { search: 'DSP' },
  { search: 'María' },
  { filters: { asset: ['BTC'] }, sort: { column: 'fiatAmount', direction: 'asc' } },
  { offset: 150, limit: 20 },
];

const answers = (db: DeskDb) =>
  REQUESTS.map((request) => queryQueue(db, queueQuery.parse(request), SYNTHETIC_AGENTS[0]!.id));

describe('a bulk load', () => {
  it('sets aside every secondary index of the queue but cases_by_id, and its finish builds each as it was', () => {
    const { db } = cacheFile();
    const before = indexes(db);
    beginBulkLoad(db);
    expect(isBulkLoading(db)).toBe(true);
    const during = indexes(db);
    expect(during.map((index) => index.name)).toContain('cases_by_id');
    expect(
      during.filter((index) => index.tableName === 'cases' || index.tableName === 'case_evidence'),
    ).toEqual(before.filter((index) => index.name === 'cases_by_id'));
    // Other tables' indexes are not the load's business.
    expect(during.filter((index) => !['cases', 'case_evidence'].includes(index.tableName))).toEqual(
      before.filter((index) => !['cases', 'case_evidence'].includes(index.tableName)),
    );
    expect(automerge(db)).toBe(0);
    // Beginning again (a load stopped half way) sets nothing more aside.
    beginBulkLoad(db);

    finish(db);
    expect(isBulkLoading(db)).toBe(false);
    expect(indexes(db)).toEqual(before);
    expect(automerge(db)).toBe(4);
  });

  it('answers the queue during the load as it does once indexed, and as a cache filled row by row', () => {
    const { db } = cacheFile();
    const { db: reference } = cacheFile();
    beginBulkLoad(db);
    for (const target of [db, reference]) {
      for (let at = 0; at < 400; at += 100) {
        target.transaction(() => {
          for (let index = at; index < at + 100; index++) applyCaseDetail(target, syntheticCase(index));
        })();
      }
    }
    const during = answers(db);
    expect(during[0]!.total).toBe(400);
    expect(during.find((page, index) => REQUESTS[index]!.search === 'María')!.total).toBeGreaterThan(0);
    expect(during).toEqual(answers(reference));
    finish(db);
    expect(answers(db)).toEqual(during);
  });

  it('writes a case met twice once, with its latest evidence only, and keeps a newer version against an older', () => {
    const { db } = cacheFile();
    beginBulkLoad(db);
    const first = syntheticCase(7);
    const evidence = (sha: string) => ({ ...first.evidence[0]!, sha256: sha });
    const later: CaseDetail = {
      ...first,
      version: first.version + 1,
      evidence: [evidence('b'.repeat(64)), evidence('c'.repeat(64))],
    };
    db.transaction(() => {
      applyCaseDetail(db, { ...first, evidence: [evidence('a'.repeat(64)), evidence('b'.repeat(64))] });
      applyCaseDetail(db, syntheticCase(8));
    })();
    db.transaction(() => {
      expect(applyCaseDetail(db, later)).toBe('written');
      expect(applyCaseDetail(db, first)).toBe('stale');
    })();
    const rows = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
    expect(db.prepare('SELECT count(*) FROM cases WHERE id = ?').pluck().get(first.id)).toBe(1);
    expect(db.prepare('SELECT version FROM cases WHERE id = ?').pluck().get(first.id)).toBe(later.version);
    expect(
      db.prepare('SELECT sha256 FROM case_evidence WHERE case_id = ? ORDER BY sha256').pluck().all(first.id),
    ).toEqual(['b'.repeat(64), 'c'.repeat(64)]);
    const duringRows = rows('case_evidence');
    finish(db);
    // The same rows once indexed, and the index by case finds them.
    expect(rows('case_evidence')).toEqual(duringRows);
    expect(db.prepare('DELETE FROM case_evidence WHERE case_id = ?').run(first.id).changes).toBe(2);
  });

  it('stays a load to finish later when its finish stops half way, its list naming exactly what is missing', () => {
    const { db } = cacheFile();
    const before = indexes(db);
    beginBulkLoad(db);
    const steps = finishBulkLoadSteps(db);
    expect(steps.length).toBe(
      1 + (db.prepare('SELECT count(*) FROM cache_indexes_set_aside').pluck().get() as number),
    );
    // The trigram merge, two indexes, then a failure in the middle of the third step.
    for (const step of steps.slice(0, 3))
      db.transaction(() => step.forEach((sql) => db.exec(sql))).immediate();
    expect(() =>
      db
        .transaction(() => {
          db.exec(steps[3]![0]!);
          throw new Error('disk full');
        })
        .immediate(),
    ).toThrow('disk full');
    expect(isBulkLoading(db)).toBe(true);
    const missing = db.prepare('SELECT name FROM cache_indexes_set_aside ORDER BY name').pluck().all();
    expect(missing).toHaveLength(steps.length - 3);
    // Every index is either built or still listed, never both, never neither.
    const built = indexes(db).map((index) => index.name);
    for (const index of before)
      expect(built.includes(index.name) !== missing.includes(index.name)).toBe(true);
    finish(db);
    expect(isBulkLoading(db)).toBe(false);
    expect(indexes(db)).toEqual(before);
  });

  it('keeps the resolved cases past retention until it has finished, then lets them go', () => {
    const { db } = cacheFile();
    const now = new Date('2026-12-01T12:00:00Z');
    const ctx = { db, now: () => now, log: { info() {}, warn() {}, error() {} } } as unknown as DeskContext;
    const longAgo = '2026-01-01T00:00:00.000Z';
    beginBulkLoad(db);
    db.transaction(() => {
      applyCaseDetail(db, syntheticCase(1, { status: 'resolved', openedAt: longAgo }));
      applyCaseDetail(db, syntheticCase(2));
    })();
    // Deleting by case without the index by case would read every evidence row, once per case.
    expect(purgeResolvedCases(ctx, 30)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(2);
    finish(db);
    expect(purgeResolvedCases(ctx, 30)).toBe(1);
    expect(db.prepare('SELECT id FROM cases').pluck().all()).toEqual([syntheticCase(2).id]);
  });

  it("runs the queue's statements without the index names they carry", () => {
    expect(
      withoutIndexNames('SELECT c.row_id FROM cases AS c INDEXED BY cases_by_sla WHERE x ORDER BY y'),
    ).toBe('SELECT c.row_id FROM cases AS c WHERE x ORDER BY y');
  });
});

describe("the sync writer's thread", () => {
  const page = (from: number, count: number, hasMore: boolean) => ({
    changes: Array.from({ length: count }, (_, offset) => ({
      seq: from + offset + 1,
      type: 'case' as const,
      id: syntheticCase(from + offset).id,
      data: syntheticCase(from + offset),
    })),
    cursor: from + count,
    hasMore,
  });

  it('reads, checks and writes each page with its cursor in one transaction, all of it or none', async () => {
    const { db } = cacheFile();
    const writer = createSyncWriter(db, { log: { info() {}, warn() {}, error() {} } });
    const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    try {
      const thread = await writer.get();
      expect(thread).not.toBeNull();
      const first = thread!.writePage(bytes(page(0, 30, true)), 0, new Date('2026-12-07T10:00:00Z'));
      expect(await first.parsed).toEqual({ cursor: 30, hasMore: true, changes: 30 });
      const written = await first.written;
      expect(written.caseIds).toHaveLength(30);
      expect(written.state.cursor).toBe(30);
      // Seen by the desk's own connection once committed.
      expect(readSyncState(db).cursor).toBe(30);
      expect(db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(30);

      // A page the desk cannot read is refused whole, with the code the desk reports.
      const broken = page(30, 10, false);
      (broken.changes[4]!.data as { status: string }).status = 'lost';
      const refused = thread!.writePage(bytes(broken), 30, new Date());
      await expect(refused.parsed).rejects.toMatchObject({ code: 'malformed_sync_page' });
      await expect(refused.written).rejects.toMatchObject({ code: 'malformed_sync_page' });
      await expect(thread!.writePage(bytes('{"changes": ['), 30, new Date()).parsed).rejects.toThrow();
      // A page handed on behind one that failed is refused: the cache is not where it follows.
      const behind = thread!.writePage(bytes(page(40, 2, false)), 40, new Date());
      await expect(behind.parsed).resolves.toMatchObject({ cursor: 42 });
      await expect(behind.written).rejects.toMatchObject({ code: 'sync_out_of_order' });
      expect(readSyncState(db).cursor).toBe(30);
      expect(db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(30);
      expect(readSyncState(db).lastSyncedAt).toBeNull();

      await thread!.transaction(['CREATE TABLE written_by_thread (x)']);
      expect(
        db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'written_by_thread'").pluck().get(),
      ).toBe(1);
      await expect(thread!.transaction(['CREATE TABLE t2 (x)', 'NOT SQL'])).rejects.toThrow();
      // All or nothing.
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 't2'").pluck().get()).toBe(0);
    } finally {
      await writer.close();
    }
  });

  it('takes a page that is all of its buffer without a copy, and copies a page that shares one', async () => {
    const { db } = cacheFile();
    const writer = createSyncWriter(db, { log: { info() {}, warn() {}, error() {} } });
    try {
      const thread = (await writer.get())!;
      // A page as getBytes answers it: a buffer of its own, moved to the thread and left empty here.
      const whole = Buffer.from(JSON.stringify(page(0, 5, true)));
      expect(whole.byteLength).toBe(whole.buffer.byteLength);
      const first = thread.writePage(whole, 0, new Date());
      expect(whole.byteLength).toBe(0);
      await expect(first.written).resolves.toMatchObject({ state: { cursor: 5 } });
      // A page that is a slice of a larger buffer: copied, the buffer and its other bytes untouched.
      const text = JSON.stringify(page(5, 5, false));
      const shared = Buffer.from(`xx${text}yy`);
      const slice = shared.subarray(2, 2 + Buffer.byteLength(text));
      const second = thread.writePage(slice, 5, new Date());
      expect(slice.toString()).toBe(text);
      expect(shared.subarray(0, 2).toString()).toBe('xx');
      await expect(second.written).resolves.toMatchObject({ state: { cursor: 10 } });
      expect(db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(10);
    } finally {
      await writer.close();
    }
  });

  it('ends its thread when released, and starts another when asked again', async () => {
    const { db } = cacheFile();
    const writer = createSyncWriter(db, { log: { info() {}, warn() {}, error() {} } });
    try {
      const first = await writer.get();
      await first!.transaction(['CREATE TABLE before_release (x)']);
      await writer.release();
      await expect(first!.transaction(['CREATE TABLE after_release (x)'])).rejects.toThrow(/stopped/);
      const second = await writer.get();
      expect(second).not.toBeNull();
      await second!.transaction(['CREATE TABLE after_release (x)']);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_release'").pluck().get()).toBe(
        2,
      );
    } finally {
      await writer.close();
    }
    expect(await writer.get()).toBeNull();
  });

  it('is not there for an in-memory cache, or when its thread cannot start', async () => {
    const quiet = { info() {}, warn() {}, error() {} };
    const memory = openDeskDatabase(':memory:');
    opened.push(memory);
    expect(await createSyncWriter(memory, { log: quiet }).get()).toBeNull();
    const { db } = cacheFile();
    const missing = createSyncWriter(db, { log: quiet, entry: path.join(tempDir(), 'no-such-thread.js') });
    expect(await missing.get()).toBeNull();
    await missing.close();
  });
});

describe('the first sync against the real server', () => {
  async function firstSync(options: Parameters<typeof openDesk>[1] = {}) {
    const server = await startLiveServer({ seed: 'demo' });
    servers.push(server);
    const desk = await openDesk(server.url, { sync: { pageSize: 40, bulkNotifyMs: 60_000 }, ...options });
    desks.push(desk);
    const changed = recordEvents(desk.desk, 'cases.changed');
    const statuses = recordEvents(desk.desk, 'sync.status');
    const synced = caughtUp(desk, server);
    await signIn(desk.desk, addDeskUser(server));
    const idle = await synced;
    return { server, desk, changed, statuses, idle };
  }

  const cachedIndexes = (desk: TestDesk) => readDeskDb(desk.dataDir, (db) => indexes(db));
  const freshIndexes = () => indexes(cacheFile().db);

  it("writes through the writer's thread, tells the renderer once, and ends indexed", async () => {
    const { server, desk, changed, statuses, idle } = await firstSync();
    const pulls = desk.logs.filter((entry) => entry.message === 'Sync: pulling changes');
    expect(pulls[0]?.data).toMatchObject({ after: 0, bulk: true, thread: true });
    // The progress counts the cases cached after each page (counted by the thread), never going back.
    const counts = statuses
      .filter((status) => status.state === 'syncing')
      .map((status) => status.cachedCases);
    expect(counts.length).toBeGreaterThan(2);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(idle.cachedCases);
    expect(desk.logs.some((entry) => entry.message === 'Sync: the bulk load is indexed')).toBe(true);
    const serverCases = server.ctx.db.prepare('SELECT count(*) FROM cases').pluck().get() as number;
    expect(idle.cachedCases).toBe(serverCases);
    // Several pages, one announcement (bulkNotifyMs is longer than the sync): every case in it once.
    expect(changed).toHaveLength(1);
    expect(new Set(changed[0]!.caseIds).size).toBe(serverCases);
    expect(cachedIndexes(desk)).toEqual(freshIndexes());
    expect(
      readDeskDb(desk.dataDir, (db) =>
        db.prepare('SELECT count(*) FROM cache_indexes_set_aside').pluck().get(),
      ),
    ).toBe(0);

    // The queue answers from the cache through its indexes again.
    const page = await desk.desk.handle('queue.query', {});
    expect(page.ok && page.value.total).toBe(serverCases);
  }, 120_000);

  it('writes on the desk connection when the thread cannot start, and ends indexed all the same', async () => {
    const { server, desk, idle } = await firstSync({
      syncWriterEntry: path.join(tempDir(), 'missing-thread.js'),
    });
    const pulls = desk.logs.filter((entry) => entry.message === 'Sync: pulling changes');
    expect(pulls[0]?.data).toMatchObject({ after: 0, bulk: true, thread: false });
    expect(idle.cachedCases).toBe(server.ctx.db.prepare('SELECT count(*) FROM cases').pluck().get());
    expect(cachedIndexes(desk)).toEqual(freshIndexes());
    expect(fs.existsSync(path.join(desk.dataDir, 'desk.db'))).toBe(true);
  }, 120_000);
});
