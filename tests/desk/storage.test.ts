// The desk's data at rest (issue #11): after sign-out nothing in its data folder (every file, the SQLite
// -wal and -shm included, read as raw bytes) holds a party's name, a chat line or an evidence image; the
// folder and its files are the user's alone; a damaged cache is moved aside and rebuilt from the server
// with the outbox kept; and the outbox of a desk from before the own store moves across on first start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { DESK_DATABASE_FILE, openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS, LAST_VERSION_WITH_OWN_TABLES } from '../../electron/desk/db/migrations/index';
import { findCommand, insertCommand } from '../../electron/desk/outbox/store';
import { OWN_DATABASE_FILE, OwnStoreUnreadableError, openOwnStore, setAside } from '../../electron/desk/storage/stores';
import { dataKeyFromFile } from '../../electron/desk/storage/data-key';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { addCase } from '../server/harness';
import { syntheticCase } from './fixtures/synthetic-cases';
import { ownStoreInClear, readOwnDb } from './fixtures/own-store';
import {
  addDeskUser,
  caughtUp,
  nextEvent,
  openDesk,
  openDeskCache,
  readDeskDb,
  signIn,
  startLiveServer,
  tempDir,
  unwrap,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

const SEEDS_A_SERVER = 120_000;
const AT = '2026-01-01T00:00:00.000Z';
const quietLog = { info: () => {}, warn: () => {}, error: () => {} };

let servers: LiveServer[] = [];
let desks: TestDesk[] = [];
afterEach(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  for (const server of servers) await server.close();
  desks = [];
  servers = [];
});

/** Every regular file under `dir` with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

const NOTE_SENT = 'Seller confirmed by phone that the transfer reached their account.';
const DRAFT_TEXT = 'Draft to both parties: please send the full bank statement.';
const UNSENT_RATIONALE = 'The statement shows the transfer with the trade reference on the due date.';

/** The sign-out's purge runs after its answer; it logs this line when it is done. */
const purgedAfterSignOut = (desk: TestDesk) => desk.logs.some((line) => line.message.startsWith('Signed out:'));

const holders = (dir: string, needle: Buffer) =>
  filesUnder(dir).filter(({ bytes }) => bytes.includes(needle)).map(({ file }) => path.relative(dir, file));

describe("the desk's data folder", () => {
  it(
    'holds no party name, chat text or evidence image after sign-out; folders 0700, files 0600',
    async () => {
      const server = await startLiveServer({ seed: 'demo' });
      servers.push(server);
      const user = addDeskUser(server, 'supervisor');
      const desk = await openDesk(server.url);
      desks.push(desk);
      const synced = caughtUp(desk, server);
      await signIn(desk.desk, user);
      await synced;

      // A case with a chat and evidence, its detail and one image fetched through the desk.
      const caseId = readDeskDb(desk.dataDir, (db) =>
        (db.prepare(`SELECT c.id FROM cases c JOIN case_details d ON d.row_id = c.row_id
                     WHERE json_array_length(d.detail, '$.messages') > 0 AND json_array_length(d.detail, '$.evidence') > 0
                     LIMIT 1`).get() as { id: string }).id,
      );
      const detail = readDeskDb(desk.dataDir, (db) =>
        JSON.parse((db.prepare('SELECT d.detail FROM cases c JOIN case_details d ON d.row_id = c.row_id WHERE c.id = ?').get(caseId) as { detail: string }).detail),
      ) as CaseDetail;
      const image = await desk.desk.evidenceFile(detail.evidence[0]!.sha256);
      expect(image).not.toBeNull();
      // The user's own text, in the own store: a note sent (its command confirmed) and a draft.
      const note = await unwrap(desk.desk.handle('case.note', { caseId, body: NOTE_SENT }));
      expect(note.state).toBe('confirmed');
      await unwrap(desk.desk.handle('drafts.save', { caseId, draft: { message: DRAFT_TEXT } }));
      const secrets = {
        name: Buffer.from(detail.buyer.displayName),
        chat: Buffer.from(detail.messages.find((line) => line.body.length >= 12)!.body),
        image: image!.bytes.subarray(0, 64),
        note: Buffer.from(NOTE_SENT),
        draft: Buffer.from(DRAFT_TEXT),
      };

      await unwrap(desk.desk.handle('session.signOut'));
      await expect.poll(() => purgedAfterSignOut(desk)).toBe(true);
      expect(fs.existsSync(path.join(desk.dataDir, 'evidence'))).toBe(false);
      expect(readDeskDb(desk.dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases').get())).toEqual({ n: 0 });

      // Raw bytes of every file (the own store's are encrypted, so it is read in clear as well).
      const ownInClear = ownStoreInClear(desk.dataDir);
      for (const [what, needle] of Object.entries(secrets)) {
        expect(holders(desk.dataDir, needle), what).toEqual([]);
        expect(ownInClear.includes(needle), `${what} in own.db`).toBe(false);
      }
      expect(readDeskDb(desk.dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases_search').get())).toEqual({ n: 0 });

      for (const { file } of filesUnder(desk.dataDir)) expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
      expect(fs.statSync(desk.dataDir).mode & 0o777).toBe(0o700);
    },
    SEEDS_A_SERVER,
  );

  it('narrows a folder and files left wide by an older version when the desk starts', async () => {
    const server = await startLiveServer();
    servers.push(server);
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    fs.mkdirSync(path.join(dataDir, 'evidence', 'ab'), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dataDir, 'evidence', 'ab', 'old'), 'x', { mode: 0o644 });
    const desk = await openDesk(server.url, { dataDir });
    desks.push(desk);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'evidence', 'ab')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, 'evidence', 'ab', 'old')).mode & 0o777).toBe(0o600);
  });
});

describe("the own store at sign-out", () => {
  it(
    'keeps an unsent verdict with its payload; a finished note and the drafts go, in clear as well',
    async () => {
      const server = await startLiveServer();
      servers.push(server);
      const caseId = addCase(server.ctx);
      const agent = addDeskUser(server);
      const desk = await openDesk(server.url);
      desks.push(desk);
      const synced = caughtUp(desk, server);
      await signIn(desk.desk, agent);
      await synced;

      expect((await unwrap(desk.desk.handle('case.claim', { caseId }))).state).toBe('confirmed');
      expect((await unwrap(desk.desk.handle('case.note', { caseId, body: NOTE_SENT }))).state).toBe('confirmed');
      // A code the server refuses: the verdict waits for a fresh one, unsent.
      const verdict = await unwrap(
        desk.desk.handle('case.verdict', {
          caseId,
          outcome: 'release',
          reasonCode: 'payment_confirmed',
          rationale: UNSENT_RATIONALE,
          totp: '000000',
        }),
      );
      expect(verdict.state).toBe('needs_code');
      await unwrap(desk.desk.handle('drafts.save', { caseId, draft: { note: DRAFT_TEXT } }));
      expect(await unwrap(desk.desk.handle('drafts.count'))).toEqual({ count: 1 });

      await unwrap(desk.desk.handle('session.signOut'));
      await expect.poll(() => purgedAfterSignOut(desk)).toBe(true);

      const left = readOwnDb(desk.dataDir, (db) => ({
        outbox: db.prepare('SELECT id, kind, state, payload FROM outbox').all(),
        drafts: db.prepare('SELECT COUNT(*) AS n FROM drafts').get(),
      }));
      expect(left.drafts).toEqual({ n: 0 });
      expect(left.outbox).toEqual([{ id: verdict.id, kind: 'verdict', state: 'needs_code', payload: expect.any(String) }]);
      const payload = JSON.parse((left.outbox[0] as { payload: string }).payload);
      expect(payload).toEqual({ outcome: 'release', reasonCode: 'payment_confirmed', rationale: UNSENT_RATIONALE, totp: null });
      const ownInClear = ownStoreInClear(desk.dataDir);
      expect(ownInClear.includes(NOTE_SENT), 'the note').toBe(false);
      expect(ownInClear.includes(DRAFT_TEXT), 'the draft').toBe(false);
      expect(ownInClear.includes(UNSENT_RATIONALE), 'the unsent verdict').toBe(true);
    },
    SEEDS_A_SERVER,
  );
});

describe('a damaged cache', () => {
  it(
    'is moved aside and rebuilt from the server, and a verdict waiting in the outbox is still sent',
    async () => {
      const server = await startLiveServer({ seed: 'demo' });
      servers.push(server);
      const user = addDeskUser(server, 'agent');
      const first = await openDesk(server.url);
      const synced = caughtUp(first, server);
      await signIn(first.desk, user);
      await synced;
      const cases = readDeskDb(first.dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases').get());
      await first.desk.close();

      // An unsent claim in the outbox, then the cache's pages overwritten in the middle.
      // Signed in again by another agent: a TOTP code is good once, and the first agent's is spent.
      const other = addDeskUser(server, 'agent');
      const own = openOwnStore(first.dataDir, dataKeyFromFile(first.dataDir), quietLog);
      const caseId = (server.ctx.db.prepare("SELECT id FROM cases WHERE status = 'open' LIMIT 1").get() as { id: string }).id;
      insertCommand(own, {
        id: 'cmd-claim', userId: other.id, kind: 'claim', caseId, alertId: null,
        idempotencyKey: 'key-claim', payload: {}, at: AT,
      });
      own.close();
      const file = path.join(first.dataDir, DESK_DATABASE_FILE);
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2));
      fs.closeSync(fd);

      const second = await openDesk(server.url, { dataDir: first.dataDir });
      desks.push(second);
      expect(second.logs.some((l) => l.level === 'error' && /moved aside/.test(l.message))).toBe(true);
      expect(fs.readdirSync(first.dataDir).some((name) => name.startsWith(`${DESK_DATABASE_FILE}.damaged-`))).toBe(true);

      const rebuilt = caughtUp(second, server);
      await signIn(second.desk, other);
      await rebuilt;
      expect(readDeskDb(second.dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM cases').get())).toEqual(cases);
      await expect.poll(() => (server.ctx.db.prepare('SELECT assignee_id FROM cases WHERE id = ?').get(caseId) as { assignee_id: string | null }).assignee_id).toBe(other.id);
    },
    SEEDS_A_SERVER,
  );
});

describe('copies of damaged desk files set aside at start', () => {
  const copiesIn = (dataDir: string) => fs.readdirSync(dataDir).filter((name) => name.includes('.damaged-')).sort();

  it('a set-aside cache goes at sign-out; a set-aside own store stays, as the own store does', async () => {
    const server = await startLiveServer();
    servers.push(server);
    addCase(server.ctx);
    const dataDir = tempDir();
    await (await openDesk(server.url, { dataDir })).desk.close();
    // Both set aside as a start that found them damaged does it (each start after makes a new one).
    const cacheCopy = path.basename(setAside(path.join(dataDir, DESK_DATABASE_FILE), new Date()));
    const ownCopy = path.basename(setAside(path.join(dataDir, OWN_DATABASE_FILE), new Date()));
    expect(copiesIn(dataDir)).toEqual([cacheCopy, ownCopy].sort());

    const desk = await openDesk(server.url, { dataDir });
    desks.push(desk);
    await signIn(desk.desk, addDeskUser(server, 'agent'));
    await unwrap(desk.desk.handle('session.signOut'));
    // Closing waits for the sign-out's purge.
    await desk.desk.close();
    expect(copiesIn(dataDir)).toEqual([ownCopy]);
  });

  it("a set-aside cache goes when another user signs in, with the previous user's cache", async () => {
    const server = await startLiveServer();
    servers.push(server);
    addCase(server.ctx);
    const dataDir = tempDir();
    const first = await openDesk(server.url, { dataDir });
    const synced = caughtUp(first, server);
    await signIn(first.desk, addDeskUser(server, 'agent'));
    await synced;
    // Closed without signing out: the cache stays bound to its user.
    await first.desk.close();
    // A copy of that cache set aside beside it (as an earlier start that found a damaged cache left one).
    const cacheFile = path.join(dataDir, DESK_DATABASE_FILE);
    fs.copyFileSync(cacheFile, `${cacheFile}.kept`);
    const cacheCopy = path.basename(setAside(cacheFile, new Date()));
    fs.renameSync(`${cacheFile}.kept`, cacheFile);
    expect(copiesIn(dataDir)).toEqual([cacheCopy]);

    const second = await openDesk(server.url, { dataDir });
    desks.push(second);
    await signIn(second.desk, addDeskUser(server, 'agent'));
    await second.desk.close();
    expect(second.logs.some((line) => /Another user signed in/.test(line.message))).toBe(true);
    expect(copiesIn(dataDir)).toEqual([]);
  });
});

describe('the own store under another key', () => {
  it('is refused and left as it is, its unsent verdict kept, rather than moved aside for an empty one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-own-key-'));
    try {
      const own = openOwnStore(dataDir, dataKeyFromFile(dataDir), quietLog);
      insertCommand(own, {
        id: 'cmd-verdict', userId: 'USR-1', kind: 'claim', caseId: 'DSP-1', alertId: null,
        idempotencyKey: 'key-1', payload: {}, at: AT,
      });
      own.close();
      const otherKey = Buffer.alloc(32, 7);
      expect(() => openOwnStore(dataDir, otherKey, quietLog)).toThrow(OwnStoreUnreadableError);
      expect(fs.readdirSync(dataDir).filter((name) => name.includes('.damaged-'))).toEqual([]);
      const again = openOwnStore(dataDir, dataKeyFromFile(dataDir), quietLog);
      try {
        expect(findCommand(again, 'cmd-verdict')).toMatchObject({ id: 'cmd-verdict', kind: 'claim' });
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a desk from before the own store', () => {
  it('moves its outbox, drafts and settings into own.db and deletes the unencrypted cache', () => {
    const dataDir = tempDir();
    const legacy = openDeskDatabase(path.join(dataDir, DESK_DATABASE_FILE), DESK_MIGRATIONS.slice(0, LAST_VERSION_WITH_OWN_TABLES));
    insertCommand(legacy, {
      id: 'cmd-verdict', userId: 'USR-1', kind: 'verdict', caseId: 'DSP-1', alertId: null,
      idempotencyKey: 'key-verdict', payload: { outcome: 'release' }, at: AT,
    });
    legacy.prepare("INSERT INTO drafts (user_id, case_id, data, updated_at) VALUES ('USR-1', 'DSP-1', '{}', ?)").run(AT);
    legacy.prepare(`INSERT INTO settings (key, value) VALUES ('language', '"es"')`).run();
    legacy.close();

    const own = openOwnStore(dataDir, dataKeyFromFile(dataDir), quietLog);
    try {
      expect(findCommand(own, 'cmd-verdict')).toMatchObject({ kind: 'verdict', state: 'pending', idempotencyKey: 'key-verdict' });
      expect(own.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 1 });
      expect(own.prepare('SELECT value FROM settings').get()).toEqual({ value: '"es"' });
    } finally {
      own.close();
    }
    expect(fs.existsSync(path.join(dataDir, DESK_DATABASE_FILE))).toBe(false);
    // own.db is encrypted: its bytes hold no trace of the command.
    expect(fs.readFileSync(path.join(dataDir, OWN_DATABASE_FILE)).includes('key-verdict')).toBe(false);
  });
});

describe('another user signing in after a session expired', () => {
  it(
    'finds none of the previous user’s cached cases',
    async () => {
      const server = await startLiveServer();
      servers.push(server);
      addCase(server.ctx);
      const ana = addDeskUser(server);
      const bruno = addDeskUser(server);
      const desk = await openDesk(server.url);
      desks.push(desk);
      const synced = caughtUp(desk, server);
      await signIn(desk.desk, ana);
      await synced;
      // A case only Ana's cache holds: no sync of Bruno's would bring it, nor take it away.
      const ghost = syntheticCase(0);
      const cache = openDeskCache(desk.dataDir);
      cache.transaction(() => applyCaseDetail(cache, ghost))();
      cache.close();

      // Ana's session ends on the server (no sign-out, so no purge); the desk learns it on its next call.
      const expired = nextEvent(desk.desk, 'session.expired');
      server.ctx.db.prepare('DELETE FROM sessions').run();
      await desk.desk.handle('case.get', { caseId: 'DSP-999999' });
      await expired;
      const isCached = () =>
        readDeskDb(desk.dataDir, (db) => db.prepare('SELECT 1 FROM cases WHERE id = ?').get(ghost.id) !== undefined);
      expect(isCached()).toBe(true);

      const resynced = caughtUp(desk, server);
      await signIn(desk.desk, bruno);
      await resynced;
      expect(isCached()).toBe(false);
      expect(desk.logs).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/Another user signed in/) }));
    },
    SEEDS_A_SERVER,
  );
});
