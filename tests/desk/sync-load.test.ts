// The sync at scale, against a server seeded with 20,000 load cases: a first sync of every case, and a
// desk killed with SIGKILL in the middle of its sync (in a child process) that resumes from the cursor it
// had stored, never from 0, and ends with every case cached exactly once.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../electron/server/auth/totp';
import type { DeskDb } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import {
  addDeskUser,
  caughtUp,
  deskCursor,
  openDesk,
  readDeskDb,
  recordEvents,
  serverCursor,
  signIn,
  startLiveServer,
  tempDir,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

const LOAD_CASES = 20_000;
let server: LiveServer;
let serverCases: number;
const desks: TestDesk[] = [];

beforeAll(async () => {
  server = await startLiveServer({ seed: 'load', loadCases: LOAD_CASES });
  serverCases = (server.ctx.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
}, 120_000);

afterAll(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  await server?.close();
});

const setAsideIndexes = (dataDir: string) =>
  readDeskDb(dataDir, (db) => db.prepare('SELECT count(*) FROM cache_indexes_set_aside').pluck().get() as number);

const indexDefinitions = (db: { prepare: DeskDb['prepare'] }) =>
  db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();

/** Cases, details, search rows and distinct ids in the desk's cache: all four equal when nothing is doubled. */
const cacheCounts = (dataDir: string) =>
  readDeskDb(dataDir, (db) => ({
    cases: (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n,
    distinctIds: (db.prepare('SELECT count(DISTINCT id) AS n FROM cases').get() as { n: number }).n,
    details: (db.prepare('SELECT count(*) AS n FROM case_details').get() as { n: number }).n,
    searchRows: (db.prepare('SELECT count(*) AS n FROM cases_search').get() as { n: number }).n,
  }));

describe(`a server with ${LOAD_CASES} load cases`, () => {
  it('is synced in full on the first sign-in', async () => {
    const desk = await openDesk(server.url);
    desks.push(desk);
    const synced = caughtUp(desk, server);
    const started = performance.now();
    await signIn(desk.desk, addDeskUser(server));
    const idle = await synced;
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `desk first sync: ${serverCases} cases in ${seconds.toFixed(1)} s (${Math.round(serverCases / seconds)} cases/s)`,
    );
    expect(idle.cachedCases).toBe(serverCases);
    expect(cacheCounts(desk.dataDir)).toEqual({
      cases: serverCases,
      distinctIds: serverCases,
      details: serverCases,
      searchRows: serverCases,
    });
  }, 180_000);

  it('resumes from its stored cursor after being killed in the middle of a sync', async () => {
    const dataDir = tempDir();
    const crashing = addDeskUser(server);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures/sync-child.ts')],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          DESK_DATA_DIR: dataDir,
          DESK_SERVER_URL: server.url,
          DESK_PAGE_SIZE: '100',
          DESK_APPLY_SLICE: '25',
          DESK_USERNAME: crashing.username,
          DESK_PASSWORD: crashing.password,
          DESK_CODE: totpCodeAt(crashing.secret, new Date()),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    // Killed as soon as it says a slice is applied: mid-sync, likely mid-page, maybe mid-transaction.
    for await (const line of readline.createInterface({ input: child.stdout! })) {
      if ((JSON.parse(line) as { applied: number }).applied > 0) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const stored = deskCursor(dataDir);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(serverCursor(server));
    const halfway = cacheCounts(dataDir);
    expect(halfway.cases).toBeLessThan(serverCases);
    // Killed during its first sync, a bulk load (cache/bulk-load.ts): the queue's indexes are still set aside.
    expect(setAsideIndexes(dataDir)).toBeGreaterThan(0);

    const desk = await openDesk(server.url, { dataDir });
    desks.push(desk);
    const statuses = recordEvents(desk.desk, 'sync.status');
    const synced = caughtUp(desk, server);
    // The same agent comes back (another user's sign-in would purge the cache and start from 0); a TOTP
    // code is good once per step, so the server forgets the step the child used rather than wait 30 s.
    server.ctx.db.prepare('UPDATE users SET totp_last_step = NULL WHERE id = ?').run(crashing.id);
    await signIn(desk.desk, crashing);
    await synced;

    // The first pull asked for what came after the stored cursor, not for everything from 0.
    const pulls = desk.logs.filter((entry) => entry.message === 'Sync: pulling changes');
    expect(pulls[0]?.data).toMatchObject({ after: stored, refetching: false, bulk: true });
    expect(statuses[0]).toMatchObject({ state: 'syncing', progress: { applied: 0, cursor: stored } });
    expect(cacheCounts(dataDir)).toEqual({
      cases: serverCases,
      distinctIds: serverCases,
      details: serverCases,
      searchRows: serverCases,
    });
    // The load it resumed ended with every index built again, as a fresh cache has them.
    expect(setAsideIndexes(dataDir)).toBe(0);
    expect(readDeskDb(dataDir, indexDefinitions)).toEqual(indexDefinitions(openDeskDatabase(':memory:')));
  }, 180_000);
});
