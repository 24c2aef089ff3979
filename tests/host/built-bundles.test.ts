// The app's build (electron-vite) as it ships: the threads that the desk and the server start are bundled
// beside the processes that look for them, and the built server runs its WAL checkpoint thread. Where a
// thread's bundle is missing, each process falls back to doing the work itself, which no other test would
// notice: the app works, only slower.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { beginBulkLoad } from '../../electron/desk/cache/bulk-load';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS } from '../../electron/desk/db/migrations/index';
import { storeKey } from '../../electron/desk/storage/data-key';
import type { WriterReply, WriterRequest, WriterStart } from '../../electron/desk/sync/writer-protocol';
import { startBundledServer, type BundledServer } from '../../electron/launch/bundled-server';
import { DATABASE_FILE } from '../../electron/server/start';
import { syntheticPageBytes } from '../desk/fixtures/synthetic-cases';

// Inside the project (under node_modules/.cache, ignored by git) so that the bundles find the packages
// they keep external, as they do in the installed app.
const cacheDir = resolve('node_modules/.cache');
let buildDir: string;
let dataDir: string;
const running: BundledServer[] = [];

beforeAll(() => {
  mkdirSync(cacheDir, { recursive: true });
  buildDir = mkdtempSync(join(cacheDir, 'dispute-desk-build-test-'));
  const electronVite = resolve('node_modules/electron-vite/bin/electron-vite.js');
  const result = spawnSync(
    process.execPath,
    [electronVite, 'build', '--outDir', buildDir, '--logLevel', 'error'],
    {
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  if (result.status !== 0)
    throw new Error(`electron-vite build failed: ${result.stderr || result.error?.message}`);
}, 200_000);

afterAll(() => {
  rmSync(buildDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const fileHash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return condition();
}

/**
 * Starts the built server on an empty store, waits until its database file has settled, then makes one
 * small write (a failed sign-in is recorded) and reports whether the database file itself changed within
 * 3 s. The connection's own automatic checkpoint only copies the WAL into the file after 1,000 pages, far
 * more than that write: a change means a checkpoint ran beside the commits.
 */
async function oneSmallWrite(mainDir: string): Promise<{ databaseChanged: boolean; output: string[] }> {
  dataDir = mkdtempSync(join(tmpdir(), 'dd-built-server-'));
  const output: string[] = [];
  const server = await startBundledServer({
    dataDir,
    seed: 'none',
    entry: { kind: 'built', scriptPath: join(mainDir, 'server.js') },
    onOutput: (line) => output.push(line),
  });
  running.push(server);
  const database = join(dataDir, DATABASE_FILE);
  let settled = fileHash(database);
  await until(() => {
    const now = fileHash(database);
    const same = now === settled;
    settled = now;
    return same;
  }, 5_000);
  const login = await axios.post(
    `${server.url}/v1/auth/login`,
    { username: 'nobody-here', password: 'not the password' },
    { validateStatus: () => true },
  );
  expect(login.status).toBe(401);
  const databaseChanged = await until(() => fileHash(database) !== settled, 3_000);
  return { databaseChanged, output };
}

/**
 * Starts the built sync writer thread (as the desk does in its utility process) on an encrypted cache at
 * the start of a first sync, has it write one small page, and reports whether the cache file itself grew
 * within 3 s, and what the thread said besides its answers. The writer's commits leave checkpoints to a thread
 * of their own (wal-checkpoints.js): only that thread copies a page this small into the file.
 */
async function oneSmallPage(mainDir: string): Promise<{ cacheChanged: boolean; warnings: string[] }> {
  dataDir = mkdtempSync(join(tmpdir(), 'dd-built-writer-'));
  const key = storeKey(randomBytes(32), 'cache');
  const file = join(dataDir, 'desk.db');
  const db = openDeskDatabase(file, DESK_MIGRATIONS, key);
  beginBulkLoad(db);
  db.close();
  const warnings: string[] = [];
  const worker = new Worker(join(mainDir, 'sync-writer.js'), {
    workerData: { file, keyHex: key.toString('hex'), busyTimeoutMs: 5_000 } satisfies WriterStart,
  });
  try {
    const replies: WriterReply[] = [];
    worker.on('message', (reply: WriterReply) => {
      if (reply.kind === 'warning') warnings.push(reply.message);
      else replies.push(reply);
    });
    const failed = new Promise<never>((_, reject) => worker.once('error', reject));
    await Promise.race([until(() => replies.some((reply) => reply.kind === 'ready'), 10_000), failed]);
    // Its size, not its bytes: reading a file this process holds SQLite's locks on would drop them.
    const before = statSync(file).size;
    const bytes = syntheticPageBytes(0, 50);
    const request: WriterRequest = { id: 1, kind: 'page', bytes, after: 0, at: new Date().toISOString() };
    worker.postMessage(request, [bytes.buffer]);
    expect(await until(() => replies.some((reply) => reply.kind === 'applied'), 10_000)).toBe(true);
    const cacheChanged = await until(() => statSync(file).size !== before, 3_000);
    return { cacheChanged, warnings };
  } finally {
    await worker.terminate();
  }
}

/** Runs `check` on a copy of the built main folder without the WAL checkpoint thread's bundle. */
async function withoutCheckpointBundle<T>(check: (mainDir: string) => Promise<T>): Promise<T> {
  const copy = mkdtempSync(join(cacheDir, 'dispute-desk-build-test-'));
  try {
    cpSync(join(buildDir, 'main'), copy, { recursive: true });
    rmSync(join(copy, 'wal-checkpoints.js'));
    return await check(copy);
  } finally {
    for (const server of running.splice(0)) await server.stop();
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('the build', () => {
  it('puts each thread beside the process that starts it', () => {
    const main = join(buildDir, 'main');
    // electron/desk/sync/writer.ts looks beside desk-worker.js; electron/sqlite/wal-checkpoints.ts beside
    // the bundle it is in (server.js, sync-writer.js); both also one folder up.
    for (const file of ['index.js', 'desk-worker.js', 'sync-writer.js', 'server.js', 'wal-checkpoints.js']) {
      expect(existsSync(join(main, file)), file).toBe(true);
    }
  });

  it('runs the built server with its WAL checkpoint thread: a small write reaches the database file', async () => {
    const { databaseChanged, output } = await oneSmallWrite(join(buildDir, 'main'));
    expect(output.join('\n')).not.toMatch(/checkpoint/i);
    expect(databaseChanged).toBe(true);
  }, 60_000);

  it('runs the built sync writer with its WAL checkpoint thread: a small page reaches the cache file', async () => {
    const { cacheChanged, warnings } = await oneSmallPage(join(buildDir, 'main'));
    expect(warnings).toEqual([]);
    expect(cacheChanged).toBe(true);
  }, 60_000);

  it('without the thread bundle, the sync writer says so and the same page stays in the WAL', async () => {
    const { cacheChanged, warnings } = await withoutCheckpointBundle(oneSmallPage);
    expect(warnings.join('\n')).toMatch(/WAL checkpoints .* on the sync writer's connection/);
    expect(cacheChanged).toBe(false);
  }, 60_000);

  it('without the thread bundle, the server says so and the same write stays in the WAL', async () => {
    const { databaseChanged, output } = await withoutCheckpointBundle(oneSmallWrite);
    expect(output.join('\n')).toMatch(/checkpoint/i);
    expect(databaseChanged).toBe(false);
  }, 60_000);
});
