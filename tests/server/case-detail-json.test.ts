// The case detail as JSON made by the database (electron/server/sql/case-detail-json.ts), which /v1/sync
// serves, against the read model the rest of the server uses (sql/case-detail.ts): the same details, field
// for field and in the same order, over every case of the demo and load seeds, every state a move leaves a
// case in, and the edge values of each field that SQL and JavaScript could print differently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidAmountError } from '../../shared/domain/money';
import { postAgentMessage } from '../../electron/server/cases/messages';
import { detailContextOf, readCaseDetails, type DetailContext } from '../../electron/server/sql/case-detail';
import { DETAIL_JSON, readCaseDetailJson } from '../../electron/server/sql/case-detail-json';
import { seedDatabase, type SeedLogger } from '../../electron/seed/index';
import {
  addAlert,
  addCase,
  addCasesInEachState,
  addUser,
  bearer,
  createTestServer,
  signedIn,
  type CasesInEachState,
  type TestServer,
  type TestUser,
} from './harness';

const QUIET = { info: () => {}, warn: () => {} } as unknown as SeedLogger;

let server: TestServer;
let agent: TestUser;
let cases: CasesInEachState;
/** A case whose buyer is its seller too: their checks are listed once. */
let oneParty: string;

const context = (): DetailContext => detailContextOf(server.ctx, server.clock.now);

const allCaseIds = () => server.ctx.db.prepare('SELECT id FROM cases ORDER BY id').pluck().all() as string[];

/**
 * Each case's JSON from the database, parsed and printed again by JavaScript, beside the object read model's
 * detail printed by JavaScript: equal strings mean the same fields, in the same order, with the same values
 * (the database prints a whole REAL as `8.0`, JavaScript as `8`: the same number once parsed).
 */
function bothReadsOf(caseIds: readonly string[]): { fromSql: string[]; fromObjects: string[] } {
  const json = readCaseDetailJson(server.ctx.db, caseIds, context());
  const objects = readCaseDetails(server.ctx.db, caseIds, context());
  return {
    fromSql: objects.map((detail) => {
      const bytes = json.get(detail.id);
      return bytes ? JSON.stringify(JSON.parse(bytes.toString('utf8'))) : `missing ${detail.id}`;
    }),
    fromObjects: objects.map((detail) => JSON.stringify(detail)),
  };
}

beforeAll(async () => {
  server = await createTestServer();
  const { ctx } = server;
  await seedDatabase(ctx, 'load', 150, QUIET);
  agent = addUser(ctx, 'agent');
  const compliance = addUser(ctx, 'compliance');
  cases = addCasesInEachState(ctx, { agent, compliance, supervisor: addUser(ctx, 'supervisor') });
  const buyer = readCaseDetails(ctx.db, [cases.claimed], context())[0]!.buyer.id;
  oneParty = addCase(ctx, { buyerId: buyer, sellerId: buyer });
  addAlert(ctx, cases.held, 'KYT-J00001');
  ctx.write(() => {
    postAgentMessage(ctx, signedIn(agent), cases.claimed, {
      body: 'Send it — "exactly" as paid.\n¿Gracias?',
    });
    ctx.db
      .prepare(
        `INSERT INTO reports (id, alert_id, party_id, created_by, created_at, content)
         SELECT 'RPT-J00001', id, party_id, ?, ?, 'report' FROM kyt_alerts WHERE id = 'KYT-J00001'`,
      )
      .run(compliance.id, ctx.now().toISOString());
  });
});

afterAll(async () => server?.close());

describe('the case detail made by the database', () => {
  it('is the object read model’s detail for every case of the demo and load seeds and every move', () => {
    const caseIds = allCaseIds();
    expect(caseIds.length).toBeGreaterThan(150);
    const { fromSql, fromObjects } = bothReadsOf(caseIds);
    expect(fromSql).toEqual(fromObjects);
  });

  it('prints the edge values of amounts, holds, settlements, ages and people as the object read model does', () => {
    const { db } = server.ctx;
    const { claimed, held, decided } = cases;
    const future = new Date(server.clock.now.getTime() + 86_400_000).toISOString();
    const tradeOf = db.prepare('SELECT trade_id FROM cases WHERE id = ?').pluck();
    const escrowOf = db.prepare('SELECT escrow_id FROM cases WHERE id = ?').pluck();
    const sellerOf = db
      .prepare('SELECT t.seller_id FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?')
      .pluck();
    const run = (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params);
    run('UPDATE trades SET amount_minor = 1, fiat_amount_minor = 5 WHERE id = ?', tradeOf.get(claimed));
    run("UPDATE escrows SET state = 'released' WHERE id = ?", escrowOf.get(claimed));
    run('UPDATE parties SET account_created_at = ? WHERE id = ?', future, sellerOf.get(claimed));
    run("UPDATE escrows SET hold_reason = '' WHERE id = ?", escrowOf.get(held));
    run("UPDATE parties SET account_created_at = 'not a time' WHERE id = ?", sellerOf.get(held));
    run("UPDATE kyt_alerts SET amount_minor = -150, score = 8.0 WHERE id = 'KYT-J00001'");
    run(
      "UPDATE trades SET settled_by = 'trade.cancelled', settled_at = '2026-11-20T10:00:00.000Z' WHERE id = ?",
      tradeOf.get(decided),
    );
    run("UPDATE escrows SET state = 'refunded' WHERE id = ?", escrowOf.get(decided));
    run(
      "UPDATE trades SET settled_by = 'trade.released', settled_at = NULL WHERE id = ?",
      tradeOf.get(oneParty),
    );
    run("UPDATE escrows SET state = 'released' WHERE id = ?", escrowOf.get(oneParty));
    run("UPDATE users SET display_name = '' WHERE id = ?", agent.id);
    const { fromSql, fromObjects } = bothReadsOf([claimed, held, decided, oneParty]);
    expect(fromSql).toEqual(fromObjects);
    const [settledByVerdict, onHold, settledByTrade, settledWithoutTime] = fromSql.map((json) =>
      JSON.parse(json),
    );
    // The edges reached what they test: a tiny amount, a hold without a reason, both kinds of settlement.
    expect(settledByVerdict).toMatchObject({ amount: '0.000001', fiatAmount: '0.05', assignee: null });
    expect(settledByVerdict.escrow.settlement.cause).toBe('verdict');
    expect(settledByVerdict.seller.accountAgeDays).toBe(0);
    expect(onHold.escrow.hold).toBeNull();
    expect(onHold.seller.accountAgeDays).toBeNull();
    expect(onHold.kytAlerts[0]).toMatchObject({ amount: '-0.000150', score: 8, reportId: 'RPT-J00001' });
    expect(settledByTrade.escrow.settlement).toEqual({
      cause: 'trade.cancelled',
      at: '2026-11-20T10:00:00.000Z',
    });
    // A trade's settlement without its time is taken for a verdict's, with the escrow's time.
    expect(settledWithoutTime.escrow.settlement.cause).toBe('verdict');
  });

  it('prints amounts at the ceiling of a trade, and picks the same verdict of two proposals made at once', () => {
    const { db } = server.ctx;
    const { plain } = cases;
    // The most one trade may move: minor units of 10^14 (shared/domain/money.ts).
    db.prepare(
      `UPDATE trades SET asset = 'USDT', amount_minor = 100000000000000, fiat_amount_minor = 100000000000000
       WHERE id = (SELECT trade_id FROM cases WHERE id = ?)`,
    ).run(plain);
    const at = server.clock.now.toISOString();
    const rejected = db.prepare(
      `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at,
         rejected_by, rejected_at, reject_reason)
       VALUES (?, ?, 'refund', 'payment_not_received', ?, 'rejected', ?, ?, ?, ?, 'Not enough.')`,
    );
    rejected.run('VRD-J00002', plain, 'The second.', agent.id, at, agent.id, at);
    rejected.run('VRD-J00001', plain, 'The first.', agent.id, at, agent.id, at);
    const { fromSql, fromObjects } = bothReadsOf([plain]);
    expect(fromSql).toEqual(fromObjects);
    expect(JSON.parse(fromSql[0]!)).toMatchObject({
      amount: '100000000.000000',
      fiatAmount: '1000000000000.00',
      verdict: { rationale: 'The first.' },
    });
  });

  it('refuses an amount in an asset it does not know, as the object read model does', () => {
    const { db } = server.ctx;
    const read = (caseId: string) => [
      () => readCaseDetails(db, [caseId], context()),
      () => readCaseDetailJson(db, [caseId], context()),
    ];
    const tradeOf = db.prepare('SELECT trade_id FROM cases WHERE id = ?').pluck();
    const unknown = [
      {
        sql: 'UPDATE trades SET asset = ? WHERE id = ?',
        row: tradeOf.get(cases.sameParty),
        caseId: cases.sameParty,
      },
      { sql: 'UPDATE kyt_alerts SET asset = ? WHERE id = ?', row: 'KYT-J00001', caseId: cases.held },
    ];
    for (const { sql, row, caseId } of unknown) {
      db.prepare(sql).run('DOGE', row);
      for (const reading of read(caseId)) expect(reading).toThrow(InvalidAmountError);
      db.prepare(sql).run('USDT', row);
      for (const reading of read(caseId)) expect(reading).not.toThrow();
    }
  });

  it('leaves out unknown ids and reads nothing for none', () => {
    const json = readCaseDetailJson(server.ctx.db, ['DSP-NOPE', oneParty], context());
    expect([...json.keys()]).toEqual([oneParty]);
    expect(readCaseDetailJson(server.ctx.db, [], context()).size).toBe(0);
  });

  it('finds every row through an index, never by scanning a table', () => {
    const plan = (
      server.ctx.db
        .prepare(`EXPLAIN QUERY PLAN ${DETAIL_JSON}`)
        .all({ ids: '[]', nowMs: 0, thresholdUsd: '0' }) as {
        detail: string;
      }[]
    ).map((row) => row.detail);
    expect(plan.filter((detail) => detail.startsWith('SCAN') && !detail.includes('json_each'))).toEqual([]);
  });
});

describe('GET /v1/sync', () => {
  it('sends each case as the object read model reads it', async () => {
    const answer = await server.app.inject({
      method: 'GET',
      url: '/v1/sync?after=0&limit=500',
      headers: bearer(agent),
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    const page = answer.json() as { changes: { id: string; data: unknown }[]; hasMore: boolean };
    expect(page.changes.length).toBeGreaterThan(150);
    const details = readCaseDetails(
      server.ctx.db,
      page.changes.map((change) => change.id),
      context(),
    );
    expect(page.changes.map((change) => change.data)).toEqual(
      details.map((detail) => JSON.parse(JSON.stringify(detail))),
    );
  });
});
