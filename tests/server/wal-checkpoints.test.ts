// The running server's WAL is checkpointed by a thread of its own, not in the commits on its event loop
// (issue #13, electron/sqlite/wal-checkpoints.ts). The server's connection keeps a backstop, so a thread
// that hangs cannot let the WAL grow without bound; where the thread cannot start, fails or stops, the
// connection checkpoints by itself again as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../electron/server/config';
import { openDatabase, type Db } from '../../electron/server/db/open';
import {
  BACKSTOP_PAGES,
  startWalCheckpoints,
  type WalCheckpoints,
} from '../../electron/sqlite/wal-checkpoints';
import { DATABASE_FILE, startServer, type RunningServer } from '../../electron/server/start';
import { tempDir } from './harness';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
const PAGE_BYTES = 4096;
/** The server's store: better-sqlite3, unencrypted (server/start.ts). */
const SERVER = { driver: 'better-sqlite3', owner: "the server's connection" } as const;

let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const autocheckpoint = (db: Db) => db.pragma('wal_autocheckpoint', { simple: true });
const sizeOf = (file: string) => fs.statSync(file).size;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes about `megabytes` MB of incompressible rows, in one transaction. */
function writeMegabytes(db: Db, megabytes: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS scratch (data BLOB)');
  const insert = db.prepare('INSERT INTO scratch (data) VALUES (randomblob(4000))');
  db.transaction(() => {
    for (let row = 0; row < megabytes * 256; row++) insert.run();
  })();
}

async function startedServer(): Promise<RunningServer> {
  dir = tempDir();
  const server = await startServer(
    defaultConfig({ dataDir: dir, logLevel: 'silent', platformEventsSecrets: [] }),
  );
  cleanups.push(() => server.close());
  return server;
}

describe('the WAL checkpoint thread of a running server', () => {
  it('copies the WAL into the database, which the connection does not do in its commits any more', async () => {
    const server = await startedServer();
    const { db } = server.ctx;
    await until(() => server.walCheckpoints.running(), 'the thread is ready');
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);

    const file = path.join(dir, DATABASE_FILE);
    const before = sizeOf(file);
    // 8 MB is twice SQLite's automatic checkpoint, which the connection would have run inside this commit.
    writeMegabytes(db, 8);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(8_000_000);
    expect(sizeOf(file)).toBe(before);

    // The thread's next checkpoint copies every frame: the database holds the rows...
    await until(() => {
      const last = server.walCheckpoints.lastCheckpoint();
      return last !== null && last.log > 2_000 && last.checkpointed === last.log;
    }, 'the thread checkpointed the whole WAL');
    expect(sizeOf(file)).toBeGreaterThan(before + 8_000_000);
    // ...and the next commit starts the WAL from its beginning: the file no longer grows.
    const walSize = sizeOf(`${file}-wal`);
    writeMegabytes(db, 1);
    expect(sizeOf(`${file}-wal`)).toBe(walSize);
  });

  it('ends with the server, whose connection then checkpoints, last, as it closes', async () => {
    const server = await startedServer();
    await until(() => server.walCheckpoints.running(), 'the thread is ready');
    writeMegabytes(server.ctx.db, 2);
    await server.close();
    expect(server.walCheckpoints.running()).toBe(false);
    expect(fs.existsSync(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(false);
    const reopened = openDatabase(path.join(dir, DATABASE_FILE));
    cleanups.push(() => void reopened.close());
    expect(reopened.prepare('SELECT count(*) FROM scratch').pluck().get()).toBe(512);
  });
});

describe('where the thread does not do its work', () => {
  const open = () => {
    dir = tempDir();
    const db = openDatabase(path.join(dir, DATABASE_FILE));
    cleanups.push(() => void db.close());
    return db;
  };
  const start = (db: Db, entry: string) => {
    const warnings: string[] = [];
    const checkpoints: WalCheckpoints = startWalCheckpoints(db, {
      ...SERVER,
      warn: (message) => warnings.push(message),
      entry,
    });
    cleanups.push(() => checkpoints.close());
    return { checkpoints, warnings };
  };
  /** A commit that takes the WAL past 1,000 pages copies it into the database: the connection checkpoints. */
  const connectionCheckpoints = (db: Db) => {
    const file = path.join(dir, DATABASE_FILE);
    const before = sizeOf(file);
    writeMegabytes(db, 5);
    return sizeOf(file) > before + 4_000_000;
  };

  it('a thread that cannot start: the connection goes on checkpointing, and says why', async () => {
    const db = open();
    const { checkpoints, warnings } = start(db, path.join(dir, 'no-such-thread.js'));
    // The backstop holds from the start (an owner too busy to hear 'ready' must not checkpoint in its
    // commits meanwhile) and is given back with the failure.
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);
    await until(() => warnings.length > 0, 'the failure is reported');
    expect(autocheckpoint(db)).toBe(1_000);
    expect(warnings[0]).toMatch(/WAL checkpoints .* on the server's connection/);
    expect(checkpoints.running()).toBe(false);
    expect(connectionCheckpoints(db)).toBe(true);
  });

  for (const [what, entry, reason] of [
    ['stops without a word (a crash)', 'dying-checkpoint-thread', /the thread stopped \(exit code 7\)/],
    ['reports its checkpoints failing', 'failing-checkpoint-thread', /disk I\/O error/],
  ] as const) {
    it(`a thread that ${what} once it was ready: the connection checkpoints by itself again`, async () => {
      const db = open();
      const { checkpoints, warnings } = start(db, fixture(entry));
      await until(() => checkpoints.running(), 'the thread is ready');
      expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);
      await until(() => warnings.length > 0, 'the failure is reported');
      expect(warnings[0]).toMatch(/back on the server's connection/);
      expect(warnings[0]).toMatch(reason);
      expect(checkpoints.running()).toBe(false);
      expect(autocheckpoint(db)).toBe(1000);
      expect(connectionCheckpoints(db)).toBe(true);
    });
  }

  it('a thread that hangs: the WAL stops growing at the backstop, and the close does not wait for ever', async () => {
    const db = open();
    const { checkpoints } = start(db, fixture('hanging-checkpoint-thread'));
    await until(() => checkpoints.running(), 'the thread is ready');
    const wal = path.join(dir, `${DATABASE_FILE}-wal`);
    // Commits of 4 MB each, up to twice the backstop: the commit that crosses it checkpoints.
    for (let written = 0; written < 2 * BACKSTOP_PAGES * PAGE_BYTES; written += 4_000_000)
      writeMegabytes(db, 4);
    expect(sizeOf(wal)).toBeLessThan((BACKSTOP_PAGES + 1_100) * (PAGE_BYTES + 24));
    const closing = Date.now();
    await checkpoints.close();
    expect(Date.now() - closing).toBeLessThan(3_000);
  });

  it('a thread stuck in native code as it closes: the close goes on without it', async () => {
    const db = open();
    const { checkpoints } = start(db, fixture('stuck-checkpoint-thread'));
    await until(() => checkpoints.running(), 'the thread is ready');
    await checkpoints.close();
    // The close is over while the thread is still stuck (the mark comes when its native call returns).
    expect(fs.existsSync(`${db.name}.unstuck`)).toBe(false);
    expect(autocheckpoint(db)).toBe(1_000);
  }, 10_000);

  it('an in-memory store has no thread', () => {
    dir = tempDir();
    const db = openDatabase(':memory:');
    cleanups.push(() => void db.close());
    expect(startWalCheckpoints(db, { ...SERVER, warn: () => {} }).running()).toBe(false);
  });
});
