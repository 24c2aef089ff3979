// The desk checks the audit chain on its own (issue #9), against the real platform server on a loopback
// port and a real desk SQLite file: an intact log verifies up to its newest signed checkpoint, incrementally;
// a row edited in the server's database with the chain recomputed after it, and a log cut short, are found
// both by a desk that had verified the old log and by a fresh one; a replaced server key raises the key alarm
// until a supervisor trusts the new key by typing the start of its fingerprint.
import http from 'node:http';
import Database from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditVerifier } from '../../electron/desk/audit/verifier';
import { appendAudit } from '../../electron/server/audit/chain';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { DATABASE_FILE } from '../../electron/server/start';
import type { AuditStatus } from '../../shared/desk-api/schemas';
import { rewriteAuditEntry, truncateAuditLog } from '../server/fixtures/audit-tamper';
import {
  addDeskUser,
  nextEvent,
  openDesk,
  readDeskDb,
  signIn,
  startLiveServer,
  tempDir,
  unwrap,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';
import { openTestDesk } from './outbox-harness';

/** A loopback proxy that streams (the event stream included) and records every request's path. */
interface CountingProxy {
  url: string;
  paths: string[];
  close(): Promise<void>;
}

async function startCountingProxy(port: () => number): Promise<CountingProxy> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(`${request.method} ${request.url}`);
    const upstream = http.request(
      // No keep-alive: a pooled socket to a server that has since restarted would fail the next request.
      { host: '127.0.0.1', port: port(), path: request.url, method: request.method, headers: request.headers, agent: false },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// Small pages, so that a log of a dozen entries takes several requests.
const PAGE = 4;

let live: LiveServer;
let proxy: CountingProxy;
const desks: TestDesk[] = [];

beforeEach(async () => {
  live = await startLiveServer();
  proxy = await startCountingProxy(() => live.port);
});

afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.desk.close();
  await proxy.close();
  await live.close();
});

const dbFile = () => path.join(live.dataDir, DATABASE_FILE);

function append(count: number) {
  for (let i = 0; i < count; i++) {
    // One write each: the server signs a checkpoint at each.
    live.ctx.write(() => appendAudit(live.ctx.db, new Date(), { actor: 'USR-test', action: 'case.noted', subject: `DSP-${i}`, data: { i } }));
  }
}

const serverHead = () => (live.ctx.db.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number }).seq;

const settled = (status: AuditStatus) => status.state !== 'checking' && status.state !== 'unchecked';

/** A supervisor's desk, signed in, once its first check (started by the first sync) has ended. */
async function supervisorDesk(dataDir = tempDir('dd-desk-audit-')): Promise<TestDesk> {
  const user = addDeskUser(live, 'supervisor');
  const opened = await openDesk(proxy.url, { dataDir, audit: { pageSize: PAGE } });
  desks.push(opened);
  const firstCheck = nextEvent(opened.desk, 'audit.changed', settled);
  await signIn(opened.desk, user);
  await firstCheck;
  return opened;
}

const verify = (desk: TestDesk) => unwrap(desk.desk.handle('audit.verify'));

/** The audit requests a check made: what it asked of /v1/audit and its checkpoints. */
async function requestsOf<T>(work: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const from = proxy.paths.length;
  const result = await work();
  return { result, requests: proxy.paths.slice(from).filter((line) => line.includes('/v1/audit')) };
}

const storedEntries = (desk: TestDesk) =>
  readDeskDb(desk.dataDir, (db) => (db.prepare('SELECT count(*) AS n, max(seq) AS head FROM audit_entries').get() as { n: number; head: number }));

describe('an intact log', () => {
  it('verifies up to the newest checkpoint, and a second check downloads only the new entries', async () => {
    append(9);
    // The verifier alone on a desk's cache file, so that no check started by a sync mixes its requests in.
    const dataDir = tempDir('dd-desk-audit-');
    const desk = openTestDesk(dataDir, proxy.url);
    const user = addDeskUser(live, 'supervisor');
    await desk.session.signIn(user.username, user.password);
    await desk.session.verify(totpCodeAt(user.secret, new Date()));
    const verifier = createAuditVerifier(desk.ctx, desk.api, 'test-server', { pageSize: PAGE });
    try {
      const head = serverHead();
      const first = await requestsOf(() => verifier.verify());
      expect(first.result).toMatchObject({ state: 'verified', verifiedUpTo: head, problem: null, newFingerprint: null });
      expect(first.result.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
      expect(first.result.checkpointAt).not.toBeNull();
      expect(first.requests).toHaveLength(1 + Math.floor(head / PAGE) + 1);
      const stored = () => desk.ctx.db.prepare('SELECT count(*) AS n, max(seq) AS head FROM audit_entries').get();
      expect(stored()).toEqual({ n: head, head });

      // Nothing new: the newest checkpoint, and one entry (the one the desk holds, compared).
      const idle = await requestsOf(() => verifier.verify());
      expect(idle.result).toMatchObject({ state: 'verified', verifiedUpTo: head });
      expect(idle.requests).toEqual(['GET /v1/audit/checkpoint', `GET /v1/audit?after=${head - 1}&limit=${PAGE}`]);

      append(6);
      const next = await requestsOf(() => verifier.verify());
      expect(next.result).toMatchObject({ state: 'verified', verifiedUpTo: head + 6 });
      // From the verified head on, in pages: never from the beginning again.
      expect(next.requests).toEqual([
        'GET /v1/audit/checkpoint',
        `GET /v1/audit?after=${head - 1}&limit=${PAGE}`,
        `GET /v1/audit?after=${head + 3}&limit=${PAGE}`,
      ]);
      expect(stored()).toEqual({ n: head + 6, head: head + 6 });
    } finally {
      await verifier.close();
      desk.close();
    }
  });

  it('tells the renderer each check on audit.changed, and is for supervisors only', async () => {
    append(2);
    const desk = await supervisorDesk();
    const changes: AuditStatus[] = [];
    desk.desk.on('audit.changed', (status) => changes.push(status));
    await verify(desk);
    // (A check the sync started may still be ending as this one is asked for: the last two are this one's.)
    expect(changes.slice(-2).map((status) => status.state)).toEqual(['checking', 'verified']);

    const agentDesk = await openDesk(proxy.url, { dataDir: tempDir('dd-desk-audit-') });
    desks.push(agentDesk);
    await signIn(agentDesk.desk, addDeskUser(live, 'agent'));
    for (const channel of ['audit.status', 'audit.verify'] as const) {
      expect(await agentDesk.desk.handle(channel)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await agentDesk.desk.handle('audit.trustKey', { fingerprint: 'abcd1234abcd1234' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('a row edited and the chain recomputed after it', () => {
  it('is found by a desk that had verified the old log: the entry changed', async () => {
    append(8);
    const desk = await supervisorDesk();
    const verifiedHead = (await verify(desk)).verifiedUpTo!;
    const edited = verifiedHead - 4;
    rewriteAuditEntry(dbFile(), edited, { i: 'rewritten' });
    // The server's own recomputation finds nothing: every hash was recomputed.
    expect(live.ctx.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: verifiedHead });

    const found = await verify(desk);
    expect(found).toMatchObject({
      state: 'failed',
      verifiedUpTo: verifiedHead,
      problem: { seq: edited, reason: 'entry_changed' },
    });
    // The desk keeps what it verified: the failure stands at the next check, and after a restart.
    expect(storedEntries(desk).head).toBe(verifiedHead);
    append(2);
    expect(await verify(desk)).toMatchObject({ state: 'failed', problem: { seq: edited, reason: 'entry_changed' } });
    await desk.desk.close();
    const reopened = await openDesk(proxy.url, { dataDir: desk.dataDir });
    desks.push(reopened);
    await signIn(reopened.desk, addDeskUser(live, 'supervisor'));
    expect(await unwrap(reopened.desk.handle('audit.status'))).toMatchObject({
      state: 'failed',
      problem: { seq: edited, reason: 'entry_changed' },
    });
  });

  it('is found by a fresh desk: the recomputed chain no longer reaches the signed checkpoint', async () => {
    append(8);
    const head = serverHead();
    const edited = head - 4;
    rewriteAuditEntry(dbFile(), edited, { i: 'rewritten' });
    const desk = await supervisorDesk();
    const found = await verify(desk);
    expect(found).toMatchObject({
      state: 'failed',
      verifiedUpTo: null,
      // The server signed a checkpoint at every entry: the first one that no longer matches is the edited one.
      problem: { seq: edited, reason: 'checkpoint_mismatch', checkpointSeq: edited },
    });
    // Nothing unvouched for is kept.
    expect(storedEntries(desk).n).toBe(0);
  });
});

describe('entries signed after the desk last checked, rewritten before it checks again', () => {
  it('are found against the checkpoints signed since, from the verified head on', async () => {
    append(3);
    const desk = await supervisorDesk();
    const verifiedHead = (await verify(desk)).verifiedUpTo!;
    append(6);
    rewriteAuditEntry(dbFile(), verifiedHead + 2, { i: 'rewritten' });
    const found = await requestsOf(() => verify(desk));
    expect(found.result).toMatchObject({
      state: 'failed',
      verifiedUpTo: verifiedHead,
      problem: { seq: verifiedHead + 2, reason: 'checkpoint_mismatch', checkpointSeq: verifiedHead + 2 },
    });
    // The checkpoints are read from the verified head on, not from the beginning.
    expect(found.requests.filter((line) => line.startsWith('GET /v1/audit/checkpoints'))[0]).toBe(
      `GET /v1/audit/checkpoints?after=${verifiedHead}&limit=${PAGE}`,
    );
    expect(storedEntries(desk).head).toBe(verifiedHead);
  });
});

describe('checkpoints tampered with as well', () => {
  it('a checkpoint whose hash was changed to match a rewritten log no longer carries a valid signature', async () => {
    append(6);
    const head = serverHead();
    rewriteAuditEntry(dbFile(), head - 2, { i: 'rewritten' });
    const other = new Database(dbFile());
    other.exec('DROP TRIGGER audit_checkpoints_append_only_update');
    const rewrittenHead = (other.prepare('SELECT hash FROM audit_log WHERE seq = ?').get(head) as { hash: string }).hash;
    other.prepare('UPDATE audit_checkpoints SET hash = ? WHERE seq = ?').run(rewrittenHead, head);
    other.close();
    const desk = await supervisorDesk();
    expect(await verify(desk)).toMatchObject({ state: 'failed', problem: { seq: head, reason: 'signature_invalid' } });
  });

  it('checkpoints deleted with the log cut: the newest checkpoint went back, or the history this desk saw changed', async () => {
    append(6);
    const desk = await supervisorDesk();
    const verifiedHead = (await verify(desk)).verifiedUpTo!;
    const other = new Database(dbFile());
    other.exec('DROP TRIGGER audit_checkpoints_append_only_delete');
    other.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(verifiedHead - 3);
    other.close();
    truncateAuditLog(dbFile(), verifiedHead - 3);
    expect(await verify(desk)).toMatchObject({
      state: 'failed',
      problem: { seq: verifiedHead - 2, reason: 'checkpoint_rollback', checkpointSeq: verifiedHead },
    });

    // Every checkpoint deleted and the log rewritten: the server, which recorded the last checkpoint it
    // signed outside the database, signs nothing over the new history, and the desk still tells.
    const wipe = new Database(dbFile());
    wipe.exec('DELETE FROM audit_checkpoints');
    wipe.close();
    rewriteAuditEntry(dbFile(), 2, { i: 'rewritten' });
    append(5);
    expect(live.ctx.db.prepare('SELECT max(seq) AS seq FROM audit_checkpoints').get()).toEqual({ seq: null });
    expect(live.ctx.checkpoints.problem()).toMatch(/which this server signed, is missing/);
    expect(await verify(desk)).not.toMatchObject({ state: 'verified' });
  });
});

describe('a log cut short', () => {
  it('is found by a desk that had verified it, and by a fresh desk', async () => {
    append(8);
    const desk = await supervisorDesk();
    const verifiedHead = (await verify(desk)).verifiedUpTo!;
    truncateAuditLog(dbFile(), verifiedHead - 3);

    expect(await verify(desk)).toMatchObject({
      state: 'failed',
      problem: { seq: verifiedHead - 2, reason: 'truncated', checkpointSeq: verifiedHead },
    });
    // The fresh desk's sign-in appends to the cut log: the log now ends somewhere below the checkpoint.
    const fresh = await supervisorDesk();
    expect(serverHead()).toBeLessThan(verifiedHead);
    expect(await verify(fresh)).toMatchObject({
      state: 'failed',
      problem: { seq: serverHead() + 1, reason: 'truncated', checkpointSeq: verifiedHead },
    });
  });
});

describe('a replaced server key', () => {
  it('raises the key alarm, never re-pins silently, and the explicit trust pins the new key', async () => {
    append(3);
    const desk = await supervisorDesk();
    const before = await verify(desk);
    expect(before.state).toBe('verified');

    // The server restarts on the same database with another key file (the old one lost or replaced).
    const { dataDir, port } = live;
    await live.close();
    live = await startLiveServer({ dataDir, port, auditKeyFile: path.join(tempDir('dd-audit-key-'), 'other.key') });
    append(1);

    const alarm = await verify(desk);
    expect(alarm).toMatchObject({
      state: 'failed',
      fingerprint: before.fingerprint,
      problem: { seq: serverHead(), reason: 'key_changed' },
    });
    expect(alarm.newFingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    expect(alarm.newFingerprint).not.toBe(before.fingerprint);
    // Checking again changes nothing: the alarm stands until someone trusts the key.
    expect(await verify(desk)).toMatchObject({ state: 'failed', fingerprint: before.fingerprint, problem: { reason: 'key_changed' } });

    const typedWrong = await desk.desk.handle('audit.trustKey', { fingerprint: before.fingerprint!.slice(0, 19) });
    expect(typedWrong).toMatchObject({ ok: false, error: { code: 'fingerprint_mismatch' } });
    expect(await desk.desk.handle('audit.trustKey', { fingerprint: 'abc' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await unwrap(desk.desk.handle('audit.status'))).toMatchObject({ state: 'failed', fingerprint: before.fingerprint });

    // The supervisor types the first characters of the new fingerprint, as shown (groups and all).
    const trusted = await unwrap(desk.desk.handle('audit.trustKey', { fingerprint: alarm.newFingerprint!.slice(0, 19).toUpperCase() }));
    expect(trusted).toMatchObject({
      state: 'verified',
      verifiedUpTo: serverHead(),
      fingerprint: alarm.newFingerprint,
      newFingerprint: null,
      problem: null,
    });
    expect(await desk.desk.handle('audit.trustKey', { fingerprint: alarm.newFingerprint!.slice(0, 19) })).toMatchObject({
      ok: false,
      error: { code: 'no_key_change' },
    });
  });
});

describe('a server that cannot be reached', () => {
  it('says the check could not run and keeps what was verified; a failure found earlier stands', async () => {
    append(2);
    const desk = await supervisorDesk();
    const verified = await verify(desk);
    const { dataDir, port } = live;
    await live.close();
    expect(await verify(desk)).toMatchObject({
      state: 'unavailable',
      verifiedUpTo: verified.verifiedUpTo,
      problem: { seq: null, reason: 'unreachable' },
    });
    live = await startLiveServer({ dataDir, port });
    truncateAuditLog(dbFile(), 1);
    expect(await verify(desk)).toMatchObject({ state: 'failed', problem: { reason: 'truncated' } });
    await live.close();
    expect(await verify(desk)).toMatchObject({ state: 'failed', problem: { reason: 'truncated' } });
    live = await startLiveServer({ dataDir, port });
  });
});
