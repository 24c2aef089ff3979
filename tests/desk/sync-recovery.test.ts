// The sync when things go wrong, against the real server: the server goes away and comes back on the same
// port and data (the desk reports offline, backs off, then catches up), and the desk's cursor falls behind
// a compacted feed (410 must_refetch: it fetches every case again and drops what the server no longer has).
import { afterEach, describe, expect, it } from 'vitest';
import { compactFeed, recordCaseChange } from '../../electron/server/feed/changes';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { syntheticCase } from './fixtures/synthetic-cases';
import {
  addDeskUser,
  caughtUp,
  deskCursor,
  nextEvent,
  openDesk,
  openDeskCache,
  readDeskDb,
  recordEvents,
  serverCursor,
  signIn,
  startLiveServer,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

/** Seeding the demo set takes a few seconds, many more on a busy machine: these tests allow for it. */
const SEEDS_A_SERVER = 120_000;

let servers: LiveServer[] = [];
let desks: TestDesk[] = [];

afterEach(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  for (const server of servers) await server.close();
  desks = [];
  servers = [];
});

async function liveServer(...args: Parameters<typeof startLiveServer>) {
  const server = await startLiveServer(...args);
  servers.push(server);
  return server;
}

async function syncedDesk(server: LiveServer, options: Parameters<typeof openDesk>[1] = {}, user = addDeskUser(server)) {
  const desk = await openDesk(server.url, options);
  desks.push(desk);
  const synced = caughtUp(desk, server);
  await signIn(desk.desk, user);
  await synced;
  return desk;
}

const caseIdsOf = (server: LiveServer) =>
  (server.ctx.db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map((row) => row.id);

const cachedIds = (desk: TestDesk) =>
  readDeskDb(desk.dataDir, (db) =>
    (db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map((row) => row.id),
  );

describe('offline, then online again', () => {
  it(
    'reports offline with growing retry delays, and catches up when the server is back',
    async () => {
      const first = await liveServer({ seed: 'demo' });
      const desk = await syncedDesk(first, { sync: { backoff: { baseMs: 10, maxMs: 10_000 } } });
      const caseId = caseIdsOf(first)[0]!;

      const offline = nextEvent(desk.desk, 'sync.status', (status) => status.state === 'offline');
      await first.close();
      servers = [];
      expect(await offline).toMatchObject({
        state: 'offline',
        error: { code: 'offline' },
        nextAttemptAt: expect.any(String),
      });

      // Three failed attempts in a row, each waiting longer: exponential backoff (jitter stays within ±20%).
      // (Counted on the event stream, which keeps trying to reconnect; a pull that failed retries on its own.)
      const streamFailures = () =>
        desk.logs
          .filter(
            (entry) =>
              entry.message === 'Sync: the server cannot be reached' && entry.data?.during === 'events',
          )
          .map((entry) => entry.data as { attempt: number; retryInMs: number });
      await nextEvent(desk.desk, 'sync.status', () => streamFailures().length >= 3);
      const delays = streamFailures();
      expect(delays.slice(0, 3).map((delay) => delay.attempt)).toEqual([1, 2, 3]);
      expect(delays[2]!.retryInMs).toBeGreaterThan(delays[0]!.retryInMs);

      // The server comes back on the same port and data, with a change the desk has not seen.
      const second = await liveServer({ seed: 'demo', dataDir: first.dataDir, port: first.port });
      second.ctx.write(() => recordCaseChange(second.ctx, caseId));
      await caughtUp(desk, second);
      expect(deskCursor(desk.dataDir)).toBe(serverCursor(second));
      const status = await desk.desk.handle('sync.status');
      expect(status).toMatchObject({ ok: true, value: { state: 'idle', error: null, nextAttemptAt: null } });
    },
    SEEDS_A_SERVER,
  );
});

describe('410 must_refetch', () => {
  it(
    'fetches every case again when the feed no longer reaches back to its cursor, and drops what the server does not have',
    async () => {
      const server = await liveServer({ seed: 'demo', feedRetention: 5 });
      // The same agent signs in both times: another user's sign-in would purge the cache (storage.test.ts)
      // and sync from the start, never meeting the compacted feed.
      const agent = addDeskUser(server);
      const first = await syncedDesk(server, {}, agent);
      const stale = deskCursor(first.dataDir);
      await first.desk.close();
      desks = [];

      // While the desk is away: changes to many cases, and a compaction that moves the horizon past its cursor.
      const ids = caseIdsOf(server);
      server.ctx.write(() => {
        // Every case changes, the one behind the desk's cursor included: compaction deletes that row.
      for (const caseId of ids) recordCaseChange(server.ctx, caseId);
      });
      compactFeed(server.ctx);
      // A case the server never had, as a cache from a rebuilt server store would hold.
      const db = openDeskCache(first.dataDir);
      db.transaction(() => applyCaseDetail(db, syntheticCase(0)))();
      db.close();
      const ghost = syntheticCase(0).id;

      const desk = await openDesk(server.url, { dataDir: first.dataDir });
      desks.push(desk);
      const changed = recordEvents(desk.desk, 'cases.changed');
      const synced = caughtUp(desk, server);
      // A TOTP code is good once per step: the server forgets the agent's last step so the test need not
      // wait 30 s for the next one.
      server.ctx.db.prepare('UPDATE users SET totp_last_step = NULL WHERE id = ?').run(agent.id);
      await signIn(desk.desk, agent);
      await synced;

      expect(
        desk.logs.find((entry) => entry.message.startsWith('Sync: the server no longer keeps our cursor'))
          ?.data,
      ).toEqual({
        after: stale,
      });
      expect(cachedIds(desk)).toEqual(ids);
      expect(changed.flatMap((event) => event.caseIds)).toContain(ghost);
      // Every case at the version the server has now.
      const versions = readDeskDb(desk.dataDir, (cache) =>
        cache.prepare('SELECT id, version FROM cases ORDER BY id').all(),
      );
      expect(versions).toEqual(server.ctx.db.prepare('SELECT id, version FROM cases ORDER BY id').all());
    },
    SEEDS_A_SERVER,
  );
});
