// GET /v1/audit and /v1/audit/verify (DESIGN §2, §4): supervisors page through the hash chain and have it
// recomputed; a row changed behind the server's back is found, whichever tool changed it.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditVerification } from '../../shared/api/types';
import {
  appendAudit,
  GENESIS_HASH,
  verifyAuditChain,
  verifyAuditChainInSlices,
  verifyAuditEntries,
  VERIFY_SLICE,
} from '../../electron/server/audit/chain';
import { addUser, bearer, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

function appendEntries(count: number) {
  server.ctx.write(() => {
    for (let i = 1; i <= count; i++) {
      appendAudit(server.ctx.db, server.clock.now, {
        actor: 'USR-test',
        action: 'case.noted',
        subject: `DSP-${i}`,
        data: { i },
      });
    }
  });
}

const get = (url: string, user?: TestUser) =>
  server.app.inject({ method: 'GET', url, headers: user ? bearer(user) : {} });

async function entries(user: TestUser, query = ''): Promise<AuditEntry[]> {
  const response = await get(`/v1/audit${query}`, user);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ entries: AuditEntry[] }>().entries;
}

async function verify(user: TestUser): Promise<AuditVerification> {
  const response = await get('/v1/audit/verify', user);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<AuditVerification>();
}

describe('GET /v1/audit', () => {
  it('pages entries in ascending seq and ends with an empty list', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    appendEntries(5);
    const first = await entries(sofia, '?limit=2');
    expect(first.map((entry) => entry.seq)).toEqual([1, 2]);
    expect(first[0]).toEqual({
      seq: 1,
      at: server.clock.now.toISOString(),
      actor: 'USR-test',
      action: 'case.noted',
      subject: 'DSP-1',
      data: { i: 1 },
      prevHash: GENESIS_HASH,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await entries(sofia, '?after=2&limit=2')).map((entry) => entry.seq)).toEqual([3, 4]);
    expect((await entries(sofia, '?after=4')).map((entry) => entry.seq)).toEqual([5]);
    expect(await entries(sofia, '?after=5')).toEqual([]);
    // What a client fetched verifies on its own, as the desk does.
    const all = await entries(sofia, '?limit=100000');
    expect(verifyAuditEntries(all)).toMatchObject({ ok: true, checked: 5, firstBad: null });
  });

  it('refuses bad paging numbers with 400 invalid_request', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    for (const query of ['?after=-1', '?after=abc', '?limit=0', '?limit=2.5']) {
      const response = await get(`/v1/audit${query}`, sofia);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
  });
});

describe('GET /v1/audit/verify', () => {
  it('reports an intact chain with its head', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    expect(await verify(sofia)).toEqual({ ok: true, checked: 0, head: null, firstBad: null, checkpoint: null, problem: null });
    appendEntries(4);
    const last = (await entries(sofia)).at(-1)!;
    expect(await verify(sofia)).toEqual({
      ok: true,
      checked: 4,
      head: { seq: 4, hash: last.hash },
      firstBad: null,
      checkpoint: { seq: 4, ok: true },
      problem: null,
    });
  });

  it('finds a row edited through a second connection to the database file', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    appendEntries(5);
    const other = new Database(server.dbFile);
    // The log is append-only (triggers): an insider drops the trigger first.
    other.exec('DROP TRIGGER audit_log_append_only_update');
    other.prepare(`UPDATE audit_log SET data = '{"i":42}' WHERE seq = 3`).run();
    other.close();
    expect(await verify(sofia)).toEqual({
      ok: false,
      checked: 2,
      head: { seq: 2, hash: expect.any(String) },
      firstBad: 3,
      // The hashes at the checkpoints are untouched: only the chain's own test fails.
      checkpoint: { seq: 5, ok: true },
      problem: 'entry 3 breaks the chain',
    });
  });

  it('finds a row edited with the sqlite3 command-line tool, and still lists the log', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    appendEntries(5);
    // Data that no longer even parses as JSON must not break the reading of the log.
    execFileSync('sqlite3', [
      server.dbFile,
      "DROP TRIGGER audit_log_append_only_update; UPDATE audit_log SET data = '{not json' WHERE seq = 4;",
    ]);
    expect(await verify(sofia)).toMatchObject({ ok: false, checked: 3, firstBad: 4 });
    const listed = await entries(sofia);
    expect(listed).toHaveLength(5);
    expect(listed[3]!.data).toBe('{not json');
    expect(verifyAuditEntries(listed)).toMatchObject({ ok: false, firstBad: 4 });
  });
});

describe('audit roles', () => {
  it.each(['/v1/audit', '/v1/audit/verify'])('%s is for supervisors only', async (url) => {
    server = await createTestServer();
    expect((await get(url)).statusCode).toBe(401);
    expect((await get(url)).json().error.code).toBe('unauthenticated');
    for (const role of ['agent', 'compliance'] as const) {
      const response = await get(url, addUser(server.ctx, role));
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect((await get(url, addUser(server.ctx, 'supervisor'))).statusCode).toBe(200);
  });
});

describe('verifying a long log', () => {
  it('answers other requests while it runs: GET /v1/health is answered before the verification ends', async () => {
    server = await createTestServer();
    const supervisor = addUser(server.ctx, 'supervisor');
    // Ten slices of entries (VERIFY_SLICE each), so the verification takes ten turns of the event loop.
    appendEntries(VERIFY_SLICE * 10);
    const finished: string[] = [];
    const verifying = get('/v1/audit/verify', supervisor).then((response) => {
      finished.push('verify');
      return response;
    });
    // The health check is asked for once the verification has started its first slice.
    await new Promise((resolve) => setImmediate(resolve));
    const health = get('/v1/health').then((response) => {
      finished.push('health');
      return response;
    });
    const [verified, healthy] = await Promise.all([verifying, health]);
    expect(healthy.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ ok: true, checked: VERIFY_SLICE * 10, firstBad: null });
    expect(finished).toEqual(['health', 'verify']);
  });

  it('finds a bad entry in a later slice, and counts the entries checked before it', async () => {
    server = await createTestServer();
    const supervisor = addUser(server.ctx, 'supervisor');
    appendEntries(VERIFY_SLICE * 2 + 10);
    const bad = VERIFY_SLICE * 2 + 5;
    server.ctx.db.exec('DROP TRIGGER audit_log_append_only_update');
    server.ctx.db.prepare("UPDATE audit_log SET data = '{\"i\":0}' WHERE seq = ?").run(bad);
    expect(await verifyAuditChainInSlices(server.ctx.db)).toMatchObject({ ok: false, checked: bad - 1, firstBad: bad });
    expect(await verifyAuditChainInSlices(server.ctx.db, undefined, 7)).toEqual(verifyAuditChain(server.ctx.db));
    expect((await verify(supervisor)).firstBad).toBe(bad);
  });
});
