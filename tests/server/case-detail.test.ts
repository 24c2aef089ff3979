// The case read model (electron/server/sql/case-detail.ts): readCaseDetails reads any number of cases in
// one pass and gives exactly what GET /v1/cases/{id} answers; a case move reads the detail once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../electron/server/db/open';
import { claimCase } from '../../electron/server/cases/claim';
import { placeHold } from '../../electron/server/cases/hold';
import { issueVerdict } from '../../electron/server/cases/verdict';
import { changeCase, recordCaseChanges } from '../../electron/server/feed/changes';
import type * as CaseDetailModule from '../../electron/server/sql/case-detail';
import { readCaseDetail, readCaseDetails } from '../../electron/server/sql/case-detail';
import { addCase, addCasesInEachState, addUser, bearer, createTestServer, type TestServer, type TestUser, latestFeedDetail, latestFeedVersion } from './harness';

// Calls go through to the real read model; the spies only count the reads other modules make.
vi.mock('../../electron/server/sql/case-detail', async (importOriginal) => {
  const original = await importOriginal<typeof CaseDetailModule>();
  return {
    ...original,
    readCaseDetails: vi.fn(original.readCaseDetails),
    readCaseDetail: vi.fn(original.readCaseDetail),
  };
});

/** How many times a detail was read since the last reset, by either entry point. */
const detailReads = {
  reset() {
    vi.mocked(readCaseDetails).mockClear();
    vi.mocked(readCaseDetail).mockClear();
  },
  get count() {
    return vi.mocked(readCaseDetails).mock.calls.length + vi.mocked(readCaseDetail).mock.calls.length;
  },
};

let server: TestServer;
let agent: TestUser;
let compliance: TestUser;
let supervisor: TestUser;
let caseIds: string[];


const detailContext = () => ({ now: server.clock.now, fourEyesThresholdUsd: server.ctx.config.fourEyesThresholdUsd });

beforeEach(async () => {
  server = await createTestServer();
  const { ctx } = server;
  agent = addUser(ctx, 'agent');
  compliance = addUser(ctx, 'compliance');
  supervisor = addUser(ctx, 'supervisor');
  const { plain, claimed, held, decided, sameParty } = addCasesInEachState(ctx, { agent, compliance, supervisor });
  caseIds = [plain, claimed, held, decided, sameParty];
});

afterEach(async () => server?.close());

describe('readCaseDetails', () => {
  it('returns, for each id, what GET /v1/cases/{id} answers', async () => {
    const details = readCaseDetails(server.ctx.db, caseIds, detailContext());
    expect(details.map((detail) => detail.id)).toEqual(caseIds);
    for (const detail of details) {
      const answer = await server.app.inject({ method: 'GET', url: `/v1/cases/${detail.id}`, headers: bearer(agent) });
      expect(answer.statusCode).toBe(200);
      // Same fields in the same order, same values: feed rows and answers are byte-for-byte alike.
      expect(JSON.stringify(detail)).toBe(answer.body);
    }
  });

  it('keeps the order asked for, leaves out unknown ids and agrees with the single read', () => {
    const reversed = [...caseIds].reverse();
    const details = readCaseDetails(server.ctx.db, ['DSP-NOPE', ...reversed], detailContext());
    expect(details.map((detail) => detail.id)).toEqual(reversed);
    for (const detail of details) expect(readCaseDetail(server.ctx.db, detail.id, detailContext())).toEqual(detail);
    expect(readCaseDetails(server.ctx.db, [], detailContext())).toEqual([]);
    expect(readCaseDetail(server.ctx.db, 'DSP-NOPE', detailContext())).toBeNull();
  });

  it('shows each party’s checks from every case, newest first', () => {
    const [, claimed, , , sameParty] = readCaseDetails(server.ctx.db, caseIds, detailContext());
    const pending = claimed!.liveness.find((check) => check.status === 'pending');
    expect(pending).toBeDefined();
    expect(sameParty!.liveness.map((check) => check.id)).toContain(pending!.id);
    const times = sameParty!.liveness.map((check) => check.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('the read model’s query plans', () => {
  it('finds every row of a batch through an index, never by scanning a table', () => {
    const queries = readModelQueriesOf(server);
    const db = openDatabase(':memory:');
    for (const sql of queries) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as { detail: string }[]).map((row) => row.detail);
      const scans = plan.filter((detail) => detail.startsWith('SCAN') && !detail.includes('json_each'));
      expect(scans, `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
    db.close();
  });
});

/** The statements readCaseDetails runs on a store with cases, caught as they are prepared. */
function readModelQueriesOf(test: TestServer): string[] {
  const db = openDatabase(test.dbFile);
  const statements: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  expect(readCaseDetails(db, caseIds, detailContext())).toHaveLength(caseIds.length);
  db.close();
  // One query per table: cases (with trade and escrow), parties, checks, messages, evidence, alerts, notes, verdicts.
  expect(statements).toHaveLength(8);
  return statements;
}

describe('changeCase', () => {
  it('appends the audit entry, writes the feed row and reads the detail once', () => {
    const { ctx } = server;
    const [plain] = caseIds as [string];
    detailReads.reset();
    const detail = ctx.write(() =>
      changeCase(ctx, plain, { actor: compliance.id, action: 'escrow.test', data: { n: 1 } }, ctx.now()),
    );
    expect(detailReads.count).toBe(1);
    expect(detail.version).toBe(2);
    expect(latestFeedVersion(ctx, plain)).toBe(detail.version);
    expect(latestFeedDetail(ctx, plain)).toEqual(detail);
    const audit = ctx.db.prepare('SELECT actor, action, subject, data FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(audit).toEqual({ actor: compliance.id, action: 'escrow.test', subject: plain, data: '{"n":1}' });
  });

  it('is the one read of a hold and of a verdict, whose answers are that detail', () => {
    const { ctx } = server;
    const [plain, claimed] = caseIds as [string, string];
    detailReads.reset();
    const held = ctx.write(() => placeHold(ctx, compliance, plain, 'Looking into it'));
    expect(detailReads.count).toBe(1);
    expect(held).toEqual(readCaseDetail(ctx.db, plain, detailContext()));

    detailReads.reset();
    ctx.write(() => placeHold(ctx, compliance, claimed, 'x'));
    expect(detailReads.count).toBe(1);
    detailReads.reset();
    // The case is on hold: the verdict is refused by its conditional UPDATE before anything is read.
    expect(() =>
      ctx.write(() =>
        issueVerdict(ctx, agent, claimed, { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid.' }),
      ),
    ).toThrow(/hold/);
    expect(detailReads.count).toBe(0);

    const fresh = addCase(ctx);
    ctx.write(() => claimCase(ctx, agent, fresh));
    detailReads.reset();
    const answer = ctx.write(() =>
      issueVerdict(ctx, agent, fresh, { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid.' }),
    );
    expect(detailReads.count).toBe(1);
    expect(answer.case).toEqual(readCaseDetail(ctx.db, fresh, detailContext()));
    expect(answer.escrow.state).toBe('released');
  });

  it('reads many cases in one pass for the bulk writer', () => {
    const { ctx } = server;
    detailReads.reset();
    const details = ctx.write(() => recordCaseChanges(ctx, caseIds, { bumpVersion: false }));
    expect(detailReads.count).toBe(1);
    expect(details.map((detail) => detail.id)).toEqual(caseIds);
  });
});
