// The app's build (electron-vite) as it ships: the threads that the desk and the server start are bundled
// beside the processes that look for them, and the built server runs its WAL checkpoint thread. Where a
// thread's bundle is missing, each process falls back to doing the work itself, which no other test would
// notice: the app works, only slower.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axios from 'axios';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBundledServer, type BundledServer } from '../../electron/launch/bundled-server';
import { DATABASE_FILE } from '../../electron/server/start';

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

describe('the build', () => {
  it('puts each thread beside the process that starts it', () => {
    const main = join(buildDir, 'main');
    // electron/desk/sync/writer.ts looks beside desk-worker.js; electron/server/db/wal-checkpoints.ts beside
    // server.js; both also one folder up.
    for (const file of [
      'index.js',
      'desk-worker.js',
      'sync-writer.js',
      'server.js',
      'server-wal-checkpoints.js',
    ]) {
      expect(existsSync(join(main, file)), file).toBe(true);
    }
  });

  it('runs the built server with its WAL checkpoint thread: a small write reaches the database file', async () => {
    const { databaseChanged, output } = await oneSmallWrite(join(buildDir, 'main'));
    expect(output.join('\n')).not.toMatch(/checkpoint/i);
    expect(databaseChanged).toBe(true);
  }, 60_000);

  it('without the thread bundle, the server says so and the same write stays in the WAL', async () => {
    const copy = mkdtempSync(join(cacheDir, 'dispute-desk-build-test-'));
    try {
      cpSync(join(buildDir, 'main'), copy, { recursive: true });
      rmSync(join(copy, 'server-wal-checkpoints.js'));
      const { databaseChanged, output } = await oneSmallWrite(copy);
      expect(output.join('\n')).toMatch(/checkpoint/i);
      expect(databaseChanged).toBe(false);
    } finally {
      for (const server of running.splice(0)) await server.stop();
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
