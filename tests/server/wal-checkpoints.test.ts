// The running server's WAL is checkpointed by a thread of its own, not in the commits on its event loop
// (issue #13, electron/server/db/wal-checkpoints.ts); where that thread cannot start or stops, the server's
// connection checkpoints by itself again.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../electron/server/config';
import { openDatabase, type Db } from '../../electron/server/db/open';
import { startWalCheckpoints, type WalCheckpoints } from '../../electron/server/db/wal-checkpoints';
import { DATABASE_FILE, startServer, type RunningServer } from '../../electron/server/start';
import { tempDir } from './harness';

const DYING_THREAD = fileURLToPath(new URL('./fixtures/dying-checkpoint-thread.ts', import.meta.url));

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

/** Writes about `megabytes` MB of incompressible rows in one transaction. */
function writeMegabytes(db: Db, megabytes: number): void {
  db.exec('CREATE TABLE IF NOT EXISTS scratch (data BLOB)');
  const insert = db.prepare('INSERT INTO scratch (data) VALUES (randomblob(4000))');
  db.transaction(() => {
    for (let row = 0; row < megabytes * 256; row++) insert.run();
  })();
}

describe('the WAL checkpoint thread', () => {
  it('copies the WAL into the database while the server connection never checkpoints by itself', async () => {
    dir = tempDir();
    const server: RunningServer = await startServer(defaultConfig({ dataDir: dir, logLevel: 'silent', platformEventsSecrets: [] }));
    cleanups.push(() => server.close());
    const { db } = server.ctx;
    await until(() => autocheckpoint(db) === 0, 'the thread is ready');

    const file = path.join(dir, DATABASE_FILE);
    const before = sizeOf(file);
    // 8 MB is twice SQLite's automatic checkpoint, which the server's connection would run inside this commit.
    writeMegabytes(db, 8);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(8_000_000);
    expect(sizeOf(file)).toBe(before);
    await until(() => sizeOf(file) > before + 8_000_000, 'the thread copied the WAL into the database');

    // Once everything is copied, the next commit starts the WAL from its beginning: it no longer grows.
    const walSize = sizeOf(`${file}-wal`);
    writeMegabytes(db, 1);
    expect(sizeOf(`${file}-wal`)).toBe(walSize);
  });

  it('ends with the server, whose connection then checkpoints, last, as it closes', async () => {
    dir = tempDir();
    const server = await startServer(defaultConfig({ dataDir: dir, logLevel: 'silent', platformEventsSecrets: [] }));
    await until(() => autocheckpoint(server.ctx.db) === 0, 'the thread is ready');
    writeMegabytes(server.ctx.db, 2);
    await server.close();
    expect(fs.existsSync(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(false);
    const reopened = openDatabase(path.join(dir, DATABASE_FILE));
    cleanups.push(() => void reopened.close());
    expect(reopened.prepare('SELECT count(*) FROM scratch').pluck().get()).toBe(512);
  });

  describe('where the thread cannot work, the connection checkpoints by itself as before', () => {
    const open = () => {
      dir = tempDir();
      const db = openDatabase(path.join(dir, DATABASE_FILE));
      cleanups.push(() => void db.close());
      return db;
    };
    const start = (db: Db, entry: string) => {
      const warnings: string[] = [];
      const checkpoints: WalCheckpoints = startWalCheckpoints(db, { warn: (message) => warnings.push(message), entry });
      cleanups.push(() => checkpoints.close());
      return { checkpoints, warnings };
    };

    it('a thread that cannot start', async () => {
      const db = open();
      const { checkpoints, warnings } = start(db, path.join(dir, 'no-such-thread.js'));
      await until(() => warnings.length > 0, 'the failure is reported');
      expect(warnings[0]).toMatch(/WAL checkpoints .* on the server's connection/);
      expect(checkpoints.running()).toBe(false);
      expect(autocheckpoint(db)).toBe(1000);
    });

    it('a thread that stops after it started', async () => {
      const db = open();
      const { checkpoints, warnings } = start(db, DYING_THREAD);
      await until(() => warnings.length > 0, 'the failure is reported');
      expect(warnings[0]).toMatch(/back on the server's connection: the test thread stops/);
      expect(checkpoints.running()).toBe(false);
      expect(autocheckpoint(db)).toBe(1000);
      // And the store goes on working: a write past the automatic checkpoint copies into the database.
      const file = path.join(dir, DATABASE_FILE);
      const before = sizeOf(file);
      writeMegabytes(db, 5);
      expect(sizeOf(file)).toBeGreaterThan(before + 4_000_000);
    });
  });

  it('an in-memory store has no thread', () => {
    dir = tempDir();
    const db = openDatabase(':memory:');
    cleanups.push(() => void db.close());
    const checkpoints = startWalCheckpoints(db, { warn: () => {} });
    expect(checkpoints.running()).toBe(false);
  });
});
