// GET /v1/sync (DESIGN §2, §5): pages of full case details in ascending seq, limits, and the retention
// horizon behind 410 must_refetch.
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncPage } from '../../shared/api/types';
import { readCaseDetail } from '../../electron/server/sql/case-detail';
import {
  compactFeed,
  latestCursor,
  recordCaseChange,
} from '../../electron/server/feed/changes';
import { SYNC_PAGE_SQL } from '../../electron/server/sql/feed';
import { addCase, addUser, bearer, createTestServer, readFeedPage, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

async function sync(user: TestUser, query = '') {
  return server.app.inject({ method: 'GET', url: `/v1/sync${query}`, headers: bearer(user) });
}

async function syncPage(user: TestUser, query = ''): Promise<SyncPage> {
  const response = await sync(user, query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<SyncPage>();
}

/** Records `times` more feed rows for a case, as any write to it would. */
function touch(caseId: string, times = 1) {
  server.ctx.write(() => {
    for (let i = 0; i < times; i++) recordCaseChange(server.ctx, caseId);
  });
}

const detailNow = (caseId: string) =>
  readCaseDetail(server.ctx.db, caseId, {
    now: server.clock.now,
    fourEyesThresholdUsd: server.ctx.config.fourEyesThresholdUsd,
  });

describe('GET /v1/sync', () => {
  it('asks for a session, for every role', async () => {
    server = await createTestServer();
    expect((await server.app.inject({ method: 'GET', url: '/v1/sync' })).json()).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
    });
    addCase(server.ctx);
    for (const role of ['agent', 'compliance', 'supervisor'] as const) {
      expect((await syncPage(addUser(server.ctx, role))).changes).toHaveLength(1);
    }
  });

  it('pages through every change in ascending seq with cursor and hasMore', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const cases = [addCase(server.ctx), addCase(server.ctx), addCase(server.ctx)];
    touch(cases[0]!, 2);
    const seen: { seq: number; id: string }[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const page = await syncPage(user, `?after=${cursor}&limit=2`);
      pages += 1;
      seen.push(...page.changes.map((change) => ({ seq: change.seq, id: change.id })));
      expect(page.cursor).toBe(page.changes.at(-1)?.seq ?? cursor);
      cursor = page.cursor;
      if (!page.hasMore) break;
      expect(page.changes).toHaveLength(2);
    }
    expect(pages).toBe(3);
    expect(seen.map((change) => change.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(seen.map((change) => change.id)).toEqual([cases[0], cases[1], cases[2], cases[0], cases[0]]);
    expect(cursor).toBe(latestCursor(server.ctx));
    // At the end: an empty page that keeps the cursor.
    expect(await syncPage(user, `?after=${cursor}`)).toEqual({ changes: [], cursor, hasMore: false });
  });

  it('sends a cursor from beyond the newest change (another store) back to refetch', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    addCase(server.ctx);
    const response = await sync(user, '?after=5000');
    expect(response.statusCode).toBe(410);
    expect(response.json().error.code).toBe('must_refetch');
  });

  it('carries the full case detail in data, as JSON with the right content type', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'compliance');
    const caseId = addCase(server.ctx);
    touch(caseId);
    const response = await sync(user);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const page = response.json<SyncPage>();
    // Seq 1 and 2 are the same case: the page serves its current detail once, at its newest row.
    expect(page.changes).toEqual([{ seq: 2, type: 'case', id: caseId, data: detailNow(caseId) }]);
    expect(page.changes[0]!.data).toMatchObject({
      id: caseId,
      version: 2,
      escrow: { state: 'held' },
      messages: [],
      liveness: [],
    });
    expect(page).toEqual({ ...readFeedPage(server.ctx, 0, 200), cursor: 2, hasMore: false });
  });

  it('stores which case changed, never a copy of it, and reads the details at sync time', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    const columns = (server.ctx.db.prepare('PRAGMA table_info(changes)').all() as { name: string }[]).map(
      (column) => column.name,
    );
    expect(columns).toEqual(['seq', 'type', 'entity_id', 'at', 'version']);
    expect(server.ctx.db.prepare('SELECT seq, type, entity_id, version FROM changes').all()).toEqual([
      { seq: 1, type: 'case', entity_id: caseId, version: 1 },
    ]);
    // A change made behind the feed's back (no row) still shows in the next page that names the case: the
    // page reads what the case is now.
    server.ctx.db.prepare("UPDATE cases SET reason = 'Edited since' WHERE id = ?").run(caseId);
    expect((await syncPage(user)).changes[0]!.data.reason).toBe('Edited since');
  });

  it('pages by rows: a page of one busy case carries it once, and the cursor and hasMore count every row', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const busy = addCase(server.ctx); // seq 1
    const quiet = addCase(server.ctx); // seq 2
    touch(busy, 3); // seq 3..5
    const first = await syncPage(user, '?limit=3');
    expect(first.changes.map((change) => [change.seq, change.id])).toEqual([
      [2, quiet],
      [3, busy],
    ]);
    expect(first).toMatchObject({ cursor: 3, hasMore: true });
    const rest = await syncPage(user, `?after=${first.cursor}&limit=3`);
    expect(rest.changes.map((change) => [change.seq, change.id])).toEqual([[5, busy]]);
    expect(rest).toMatchObject({ cursor: 5, hasMore: false });
    expect(rest.changes[0]!.data).toEqual(detailNow(busy));
  });

  it('starts from the beginning with after=0 or without after', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    addCase(server.ctx);
    addCase(server.ctx);
    const fromZero = await syncPage(user, '?after=0');
    expect(fromZero.changes.map((change) => change.seq)).toEqual([1, 2]);
    expect(await syncPage(user)).toEqual(fromZero);
  });

  it('uses a default page size and clamps a limit above 500', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    // One row per case, so that the page's size shows in its changes.
    for (let i = 0; i < 601; i++) addCase(server.ctx);
    const byDefault = await syncPage(user);
    expect(byDefault.changes).toHaveLength(200);
    expect(byDefault.hasMore).toBe(true);
    const clamped = await syncPage(user, '?limit=100000');
    expect(clamped.changes).toHaveLength(500);
    expect(clamped.cursor).toBe(500);
    expect(clamped.hasMore).toBe(true);
    const rest = await syncPage(user, `?after=${clamped.cursor}&limit=500`);
    expect(rest.changes).toHaveLength(101);
    expect(rest.hasMore).toBe(false);
  });

  it.each([
    '?limit=0',
    '?limit=-1',
    '?limit=abc',
    '?limit=1.5',
    '?limit=1e3',
    '?after=-1',
    '?after=x',
    '?after=1&after=2',
  ])('refuses %s with 400 invalid_request', async (query) => {
    server = await createTestServer();
    const response = await sync(addUser(server.ctx, 'agent'), query);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });

  it('reads a page by the primary key, never by scanning the feed', async () => {
    server = await createTestServer();
    const plan = server.ctx.db.prepare(`EXPLAIN QUERY PLAN ${SYNC_PAGE_SQL}`).all(0, 501) as {
      detail: string;
    }[];
    expect(plan.map((step) => step.detail)).toEqual([
      expect.stringMatching(/^SEARCH changes USING INTEGER PRIMARY KEY \(rowid>\?\)$/),
    ]);
  });

  describe('after compaction', () => {
    // Retention 3: with seq 1..7, rows up to seq 4 that a newer row of the same case supersedes go.
    async function compacted() {
      server = await createTestServer({ feedRetention: 3 });
      const user = addUser(server.ctx, 'agent');
      const busy = addCase(server.ctx); // seq 1
      const quiet = addCase(server.ctx); // seq 2
      touch(busy, 5); // seq 3..7
      expect(compactFeed(server.ctx)).toBe(3);
      return { user, busy, quiet };
    }

    it('answers a cursor older than the feed keeps with 410 must_refetch', async () => {
      const { user } = await compacted();
      // Rows 1, 3 and 4 were compacted away: a client holding one of them may have missed a change.
      for (const after of [1, 3]) {
        const response = await sync(user, `?after=${after}`);
        expect(response.statusCode).toBe(410);
        expect(response.json()).toEqual({ error: { code: 'must_refetch', message: expect.any(String) } });
      }
      // A cursor at or past the horizon missed nothing.
      expect((await syncPage(user, '?after=4')).changes.map((change) => change.seq)).toEqual([7]);
    });

    it('keeps a cursor below the horizon whose row the feed still holds, so a refetch can page through', async () => {
      const { user } = await compacted();
      expect((await syncPage(user, '?after=2')).changes.map((change) => change.seq)).toEqual([7]);
      const seen: number[] = [];
      let cursor = 0;
      for (;;) {
        const page = await syncPage(user, `?after=${cursor}&limit=1`);
        seen.push(...page.changes.map((change) => change.seq));
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(seen).toEqual([2, 5, 6, 7]);
    });

    it('still gives every case its latest state from after=0', async () => {
      const { user, busy, quiet } = await compacted();
      const page = await syncPage(user, '?after=0');
      expect(page.changes.map((change) => change.seq)).toEqual([2, 7]);
      expect(page.cursor).toBe(7);
      const latest = new Map(page.changes.map((change) => [change.id, change.data]));
      expect(latest.get(busy)).toEqual(detailNow(busy));
      expect(latest.get(quiet)).toEqual(detailNow(quiet));
      expect(latest.get(busy)?.version).toBe(6);
    });
  });
});
