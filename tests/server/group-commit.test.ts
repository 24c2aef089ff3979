// Group commit (issue #13): the store commits with synchronous=NORMAL, and nothing is answered before an
// fdatasync of the -wal file that began after its commit has finished. The syncs here are the real one, or
// one the test holds and lets go, so what waits for what is seen rather than timed.
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { fdatasyncFile, startGroupCommit, WalSyncError } from '../../electron/server/db/group-commit';
import { openDatabase, type Db } from '../../electron/server/db/open';
import { addCase, addUser, createTestServer, tempDir, type TestServer } from './harness';
import { call, claim, newKey, postVerdict, verdictInput } from './fixtures/case-api';
import { heldSync } from './fixtures/held-sync';

/** Whether a promise has settled by the time the microtasks and I/O callbacks queued now have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('startGroupCommit on a store file', () => {
  let dir: string;
  let db: Db;

  const open = () => {
    dir = tempDir('dd-group-commit-');
    db = openDatabase(path.join(dir, 'platform.db'));
    db.exec('CREATE TABLE scratch (body TEXT)');
    return db;
  };
  const write = (body = 'x') => db.prepare('INSERT INTO scratch (body) VALUES (?)').run(body);

  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits without a sync of its own, and syncs the -wal file itself before a commit counts as settled', async () => {
    open();
    const synced: number[] = [];
    const commits = startGroupCommit(db, async (fd) => {
      synced.push(fs.fstatSync(fd).ino);
      await fdatasyncFile(fd);
    });
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(commits.pending()).toBe(false);
    await commits.settled();
    expect(synced).toEqual([]);

    write();
    expect(commits.pending()).toBe(true);
    await commits.settled();
    expect(synced).toEqual([fs.statSync(path.join(dir, 'platform.db-wal')).ino]);
    expect(commits.pending()).toBe(false);
    await commits.close();
  });

  it('makes the commits that land while a sync runs share the next one', async () => {
    open();
    const held = heldSync();
    const commits = startGroupCommit(db, held.sync);
    write('first');
    const first = commits.settled();
    await held.called(1);

    // Committed after the first sync began: it cannot vouch for them.
    write('second');
    const second = commits.settled();
    write('third');
    const third = commits.settled();
    held.calls[0]!.finish();
    await first;
    expect(await settledYet(second)).toBe(false);

    await held.called(2);
    expect(held.calls).toHaveLength(2);
    expect(await settledYet(third)).toBe(false);
    held.calls[1]!.finish();
    await Promise.all([second, third]);
    expect(held.calls).toHaveLength(2);
    expect(commits.pending()).toBe(false);
    await commits.close();
  });

  it('refuses to vouch for anything once a sync failed', async () => {
    open();
    const held = heldSync();
    const commits = startGroupCommit(db, held.sync);
    write();
    const answer = commits.settled();
    await held.called(1);
    held.calls[0]!.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(answer).rejects.toBeInstanceOf(WalSyncError);

    // A later sync might succeed without the pages the failed one lost: no later commit is confirmed either.
    write();
    await expect(commits.settled()).rejects.toThrow(/Could not sync .*platform\.db-wal: EIO/);
    expect(held.calls).toHaveLength(1);
    await commits.close();
  });

  it('leaves a store in memory as it is: its commits have nothing to wait for', async () => {
    dir = tempDir('dd-group-commit-');
    db = new Database(':memory:');
    db.exec('CREATE TABLE scratch (body TEXT)');
    const commits = startGroupCommit(db, () => Promise.reject(new Error('never called')));
    write();
    expect(commits.pending()).toBe(false);
    await commits.settled();
  });
});

describe('the server answers only what is on disk', () => {
  let server: TestServer;

  afterEach(async () => {
    await server.close();
  });

  it('holds a verdict answer until the sync that began after its commit has finished', async () => {
    const held = heldSync();
    held.release();
    server = await createTestServer({}, { syncWal: held.sync });
    const agent = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    expect((await claim(server, agent, caseId)).status).toBe(200);
    const syncsBefore = held.calls.length;

    held.hold();
    // Emitted once the verdict's transaction has committed.
    const committed = once(server.ctx.changes, 'change');
    const answer = postVerdict(server, agent, caseId, verdictInput(server, agent), newKey());
    await committed;
    await held.called(syncsBefore + 1);
    // The verdict is on a second connection's view of the store, but its answer waits for the disk.
    const reader = new Database(server.dbFile, { readonly: true });
    try {
      expect(reader.prepare('SELECT status FROM cases WHERE id = ?').pluck().get(caseId)).toBe('resolved');
    } finally {
      reader.close();
    }
    expect(await settledYet(answer)).toBe(false);
    held.release();
    expect((await answer).status).toBe(200);
  });

  it('answers 503 storage_unavailable once the -wal file cannot be synced, reads included', async () => {
    server = await createTestServer({}, { syncWal: () => Promise.reject(new Error('EIO: i/o error, fdatasync')) });
    const agent = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    expect(await claim(server, agent, caseId)).toEqual({
      status: 503,
      body: { error: { code: 'storage_unavailable', message: expect.stringMatching(/may not have been saved/) } },
    });
    expect((await call(server, null, 'GET', '/v1/health')).status).toBe(503);
  });
});
