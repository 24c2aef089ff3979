// The sync engine against the real server on a loopback port (DESIGN §5): the first sync of the demo set,
// SSE pokes that bring a server change into the cache, and the queue counts that result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../shared/api/types';
import { recordCaseChange } from '../../electron/server/feed/changes';
import {
  addDeskUser,
  caughtUp,
  deskCursor,
  nextEvent,
  openDesk,
  readDeskDb,
  recordEvents,
  serverCursor,
  signIn,
  startLiveServer,
  unwrap,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

let server: LiveServer;
const desks: TestDesk[] = [];

beforeAll(async () => {
  server = await startLiveServer({ seed: 'demo' });
}, 120_000);

afterAll(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  await server?.close();
});

async function newDesk(options: Parameters<typeof openDesk>[1] = {}) {
  const desk = await openDesk(server.url, options);
  desks.push(desk);
  return desk;
}

const serverCaseIds = () =>
  (server.ctx.db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map((row) => row.id);

describe('the first sync of the demo set', () => {
  it('caches every case once, emits cases.changed and progress, and records the last synced time', async () => {
    const desk = await newDesk();
    const changed = recordEvents(desk.desk, 'cases.changed');
    const statuses = recordEvents(desk.desk, 'sync.status');
    const synced = caughtUp(desk, server);
    await signIn(desk.desk, addDeskUser(server));
    const idle = await synced;

    const ids = serverCaseIds();
    expect(ids.length).toBeGreaterThanOrEqual(60);
    expect(idle).toMatchObject({ state: 'idle', cachedCases: ids.length, error: null, progress: null });
    expect(idle.lastSyncedAt).not.toBeNull();
    expect(readDeskDb(desk.dataDir, (db) => db.prepare('SELECT id FROM cases ORDER BY id').all())).toEqual(
      ids.map((id) => ({ id })),
    );
    expect(deskCursor(desk.dataDir)).toBe(serverCursor(server));
    expect(new Set(changed.flatMap((event) => event.caseIds))).toEqual(new Set(ids));
    // Progress: a syncing status with the applied count and cursor after the page.
    expect(statuses.some((status) => status.state === 'syncing' && (status.progress?.applied ?? 0) > 0)).toBe(
      true,
    );
    expect(statuses[0]).toMatchObject({ state: 'syncing', progress: { applied: 0, cursor: 0 } });
  });

  it('gives sensible queue counts for the demo set', async () => {
    const desk = await newDesk();
    const synced = caughtUp(desk, server);
    await signIn(desk.desk, addDeskUser(server));
    await synced;
    const page = await unwrap(desk.desk.handle('queue.query', {}));
    const all = serverCaseIds().length;
    expect(page.total).toBe(all);
    expect(page.counts.all).toBe(all);
    expect(page.rows).toHaveLength(Math.min(100, all));
    // A fresh user holds no case; the demo set has unassigned, flagged and four-eyes cases (DESIGN §4).
    expect(page.counts.mine).toBe(0);
    expect(page.counts.unassigned).toBeGreaterThanOrEqual(20);
    expect(page.counts.flagged).toBeGreaterThanOrEqual(2);
    const serverCount = (sql: string) => (server.ctx.db.prepare(sql).get() as { n: number }).n;
    expect(page.counts.unassigned).toBe(
      serverCount('SELECT count(*) AS n FROM cases WHERE assignee_id IS NULL'),
    );
    expect(page.counts.awaiting_approval).toBe(
      serverCount("SELECT count(*) AS n FROM cases WHERE status = 'pending_approval'"),
    );
    // In SLA order, as the server lists them.
    const slas = page.rows.map((row: CaseSummary) => row.slaDueAt);
    expect(slas).toEqual([...slas].sort());
  });
});

describe('following the server', () => {
  it('pulls a change announced by an SSE poke into the cache', async () => {
    const desk = await newDesk();
    // The desk's /v1/events stream is open once the server's change notifier has one more listener: a
    // change made after that can only reach the desk as a poke (the desk pulls on nothing else).
    const listening = new Promise<void>((resolve) => {
      const onListener = (event: string) => {
        if (event !== 'change') return;
        server.ctx.changes.off('newListener', onListener);
        resolve();
      };
      server.ctx.changes.on('newListener', onListener);
    });
    const synced = caughtUp(desk, server);
    await signIn(desk.desk, addDeskUser(server));
    await listening;
    // Once open, the stream makes the desk pull whatever it missed while connecting; after that pull the
    // desk is idle, and only a poke can make it pull again. (Subscribed before the desk even reads the
    // stream's first bytes: the server registered its listener synchronously, the desk hears it later.)
    await nextEvent(desk.desk, 'sync.status', (status) => status.state === 'idle');
    await synced;
    const caseId = serverCaseIds()[0]!;
    const before = await unwrap(desk.desk.handle('case.get', { caseId }));

    const changed = nextEvent(desk.desk, 'cases.changed', (event) => event.caseIds.includes(caseId));
    server.ctx.write(() => recordCaseChange(server.ctx, caseId));
    const event = await changed;
    expect(event.summaries?.find((summary) => summary.id === caseId)?.version).toBe(before.case.version + 1);
    const after = await unwrap(desk.desk.handle('case.get', { caseId }));
    expect(after.case.version).toBe(before.case.version + 1);
    expect(deskCursor(desk.dataDir)).toBe(serverCursor(server));
  });
});
