// A full disk under a verdict (issue #11): 503 storage_full with the envelope, nothing of the request kept
// (no escrow move, no audit entry, no idempotency record), and once there is room again the retry under the
// same Idempotency-Key moves the escrow exactly once. The disk is filled for real as SQLite sees it: the
// server's own connection may not grow the file by a single page (PRAGMA max_page_count).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../electron/server/app';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { addCase, addUser, createTestServer, type TestServer, type TestUser } from './harness';
import {
  claim,
  escrowOf,
  expectConsistent,
  footprint,
  newKey,
  postVerdict,
  verdictInput,
} from './fixtures/case-api';

let server: TestServer;
let agent: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

/**
 * No page more than the file has now: the next write that needs one fails with SQLITE_FULL. VACUUM first
 * drops the free pages (migrations that rebuild a table leave some).
 */
function fillDisk(): void {
  server.ctx.db.exec('VACUUM');
  server.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = server.ctx.db.pragma('page_count', { simple: true }) as number;
  server.ctx.db.pragma(`max_page_count = ${pages}`);
}

function freeDisk(): void {
  server.ctx.db.pragma('max_page_count = 4294967294');
}

/**
 * A rationale as long as a verdict may carry: it is stored with the verdict, in its audit entry and in the
 * stored answer, each longer than a page holds, so the verdict cannot fit in the slack of the pages the
 * file has (a short one may: the feed no longer stores a copy of the case).
 */
const LONG_RATIONALE = 'The bank statement shows the payment reached the seller. '.repeat(70).trim();
const longVerdict = () => verdictInput(server, agent, { rationale: LONG_RATIONALE });

describe('a verdict on a full disk', () => {
  it('answers 503 storage_full, keeps nothing, and the retry under the same key succeeds once', async () => {
    const caseId = addCase(server.ctx);
    expect((await claim(server, agent, caseId)).status).toBe(200);
    const key = newKey();
    const before = footprint(server);
    fillDisk();

    const refused = await postVerdict(server, agent, caseId, longVerdict(), key);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      error: { code: 'storage_full', message: expect.stringContaining('nothing was saved') },
    });
    expect(footprint(server)).toEqual(before);
    expect(escrowOf(server, caseId).state).toBe('held');
    expect(server.ctx.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId)).toEqual({
      status: 'in_review',
    });

    // Still full: refused again, still nothing kept (and the key is still free, not stuck in flight).
    const again = await postVerdict(server, agent, caseId, longVerdict(), key);
    expect(again.status).toBe(503);
    expect(footprint(server)).toEqual(before);

    freeDisk();
    // The code of a refused attempt may have been spent (after the verdict's transaction failed, a small write
    // of its own spends it when the disk takes it): the desk asks for a fresh one (totp_replayed), and sends
    // it under the same key.
    const retry = longVerdict();
    const decided = await postVerdict(server, agent, caseId, retry, key);
    expect(decided.status).toBe(200);
    expect(escrowOf(server, caseId).state).toBe('released');
    const after = footprint(server);
    expect(after.verdicts).toBe(before.verdicts + 1);
    expect(after.idempotency).toBe(before.idempotency + 1);

    // The same request again is answered from the key, and moves nothing more.
    const replayed = await postVerdict(server, agent, caseId, retry, key);
    expect(replayed).toEqual(decided);
    expect(footprint(server)).toEqual(after);
  });
});

describe('a verdict on a full disk whose code cannot be spent either', () => {
  it('still answers the full disk (503 storage_full), not the failure of the spend', async () => {
    const caseId = addCase(server.ctx);
    expect((await claim(server, agent, caseId)).status).toBe(200);
    const before = footprint(server);
    fillDisk();
    // The verdict's transaction fails on the disk; the small write that would spend its code fails too, and
    // for another reason (the store busy past its timeout). The verdict's own transaction is the batch's
    // (ctx.writeBatched), so the spend is the one ctx.write() of the request.
    const write = server.ctx.write.bind(server.ctx);
    let writes = 0;
    server.ctx.write = <T>(work: () => T): T => {
      writes += 1;
      if (writes === 1) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      return write(work);
    };
    try {
      const refused = await postVerdict(server, agent, caseId, longVerdict(), newKey());
      expect(writes).toBe(1);
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ error: { code: 'storage_full', message: expect.any(String) } });
    } finally {
      server.ctx.write = write;
    }
    freeDisk();
    expect(footprint(server)).toEqual(before);
  });
});

describe('verdicts sent at once on a full disk (one shared transaction)', () => {
  it('each is answered as it would have been alone: the short one moves, the long one is 503 and goes through later', async () => {
    const other = addUser(server.ctx, 'agent');
    const agents = [agent, other];
    const cases = [addCase(server.ctx), addCase(server.ctx)];
    for (const [index, each] of agents.entries())
      expect((await claim(server, each, cases[index]!)).status).toBe(200);
    fillDisk();
    // The short verdict fits in the slack of the pages the file has; the long one cannot, and SQLite answers
    // its SQLITE_FULL by rolling the whole shared transaction back, the short one's writes with it. The short
    // one then runs again in a transaction of its own (db/write-batch.ts).
    const bodies = [verdictInput(server, agent), verdictInput(server, other, { rationale: LONG_RATIONALE })];
    bodies[0]!.totp = totpCodeAt(agent.totpSecret, server.clock.now);
    const keys = [newKey(), newKey()];
    const answers = await Promise.all(
      agents.map((each, index) => postVerdict(server, each, cases[index]!, bodies[index], keys[index])),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 503]);
    expect(answers[1]!.body).toMatchObject({ error: { code: 'storage_full' } });
    expect(cases.map((caseId) => escrowOf(server, caseId).state)).toEqual(['released', 'held']);

    freeDisk();
    const retry = verdictInput(server, other, { rationale: LONG_RATIONALE });
    expect((await postVerdict(server, other, cases[1]!, retry, keys[1])).status).toBe(200);
    expect(escrowOf(server, cases[1]!).state).toBe('released');
  });
});

describe('storage errors', () => {
  it.each([
    ['SQLITE_FULL', 503, 'storage_full'],
    ['SQLITE_IOERR_WRITE', 503, 'storage_unavailable'],
    ['SQLITE_IOERR_FSYNC', 503, 'storage_unavailable'],
    ['SQLITE_CONSTRAINT_UNIQUE', 500, 'internal_error'],
  ])('%s answers %i %s', (code, status, answer) => {
    const response = toErrorResponse(Object.assign(new Error('disk'), { code }));
    expect(response).toEqual({ status, body: { error: { code: answer, message: expect.any(String) } } });
  });
});
