// The compliance workspace's calls (issue #8): the rule set, one alert with what the reviewer needs to
// judge it, taking an alert for review, and decisions under an optional Idempotency-Key.
import { afterEach, describe, expect, it } from 'vitest';
import { kytAlert, kytAlertDetail, kytRuleSet } from '../../shared/api/responses';
import type { KytAlertDetail } from '../../shared/api/types';
import { readAudit } from '../../electron/server/audit/chain';
import { KYT_RULE_SET } from '../../electron/server/kyt/engine/config';
import { PARTY_HISTORY_LIMIT } from '../../electron/server/kyt/review';
import { call } from './fixtures/case-api';
import { addReviewScenario, insertPlainTrade, type Scenario } from './fixtures/kyt-review';
import { addUser, createTestServer, freshCode, type TestServer, type TestUser, latestFeedDetail } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

interface Setup {
  scenario: Scenario;
  carla: TestUser;
  diana: TestUser;
  agent: TestUser;
  supervisor: TestUser;
}

async function setUp(): Promise<Setup> {
  server = await createTestServer();
  return {
    carla: addUser(server.ctx, 'compliance', 'carla'),
    diana: addUser(server.ctx, 'compliance', 'diana'),
    agent: addUser(server.ctx, 'agent'),
    supervisor: addUser(server.ctx, 'supervisor'),
    scenario: addReviewScenario(server),
  };
}

const auditEntries = (action: string) => readAudit(server.ctx.db, 0, 10_000).filter((entry) => entry.action === action);
const feedRows = () => (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM changes').get() as { n: number }).n;
const latestCaseChange = (caseId: string) =>
  latestFeedDetail(server.ctx, caseId) as unknown as { kytAlerts: { id: string; status: string; assignee: { username: string } | null; reportId: string | null }[] };

const assign = (user: TestUser, alertId: string, headers: Record<string, string> = {}) =>
  call(server, user, 'POST', `/v1/kyt/alerts/${alertId}/assign`, {}, headers);
const decide = (user: TestUser, alertId: string, body: unknown, headers: Record<string, string> = {}) =>
  call(server, user, 'POST', `/v1/kyt/alerts/${alertId}/decision`, body, headers);

describe('GET /v1/kyt/rules', () => {
  it('lists every rule of the configuration with its version, bands and params', async () => {
    const { carla, supervisor } = await setUp();
    for (const user of [carla, supervisor]) {
      const answer = await call(server, user, 'GET', '/v1/kyt/rules');
      expect(answer.status).toBe(200);
      const { rules } = kytRuleSet.parse(answer.body);
      expect(rules.map((rule) => rule.id)).toEqual(Object.values(KYT_RULE_SET).map((rule) => rule.id));
      expect(rules.find((rule) => rule.id === 'velocity')).toEqual({
        ...KYT_RULE_SET.velocity,
        bands: [...KYT_RULE_SET.velocity.bands],
      });
    }
  });
});

describe('GET /v1/kyt/alerts/{id}', () => {
  it("carries the party's KYC data, its history newest first with the alert's trades flagged, counterparties, the case and the rule", async () => {
    const { carla, scenario } = await setUp();
    const answer = await call(server, carla, 'GET', `/v1/kyt/alerts/${scenario.alertId}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const detail: KytAlertDetail = kytAlertDetail.parse(answer.body);

    expect(detail).toMatchObject({ id: scenario.alertId, partyId: scenario.subjectId, ruleId: 'velocity' });
    expect(detail.party).toMatchObject({
      id: scenario.subjectId,
      displayName: 'João Gonçalves Muñoz',
      kycStatus: 'verified',
      country: 'BR',
      accountAgeDays: 90,
    });
    expect(detail.trades.map((trade) => [trade.id, trade.flagged])).toEqual([
      [scenario.caseTradeId, true],
      [scenario.tradeIds[3], false],
      [scenario.tradeIds[2], true],
      [scenario.tradeIds[1], true],
      [scenario.tradeIds[0], true],
    ]);
    expect(detail.trades[0]).toMatchObject({
      caseId: scenario.caseId,
      side: 'seller',
      counterparty: { id: scenario.regularId, displayName: 'Ana Pérez' },
      fiatCurrency: 'VES',
      fiatAmount: '9125.00',
      usdEquivalent: '250.00',
      disputedAt: expect.any(String),
    });
    expect(detail.trades.at(-1)).toMatchObject({
      caseId: null,
      disputedAt: null,
      amount: '100.000000',
      usdEquivalent: '100.00',
      depositAddress: `TDeposit${scenario.tradeIds[0]}`,
      payoutAccount: `BR-ACCT-${scenario.tradeIds[0]}`,
    });
    expect(detail.counterparties).toEqual([
      expect.objectContaining({ id: scenario.regularId, tradeCount: 4, usdVolume: '550.00' }),
      expect.objectContaining({ id: scenario.foreignerId, displayName: 'Łukasz 张伟', tradeCount: 1, usdVolume: '100.00' }),
    ]);
    expect(detail.case).toMatchObject({ id: scenario.caseId, seller: { id: scenario.subjectId } });
    expect(detail.case?.evidence.map((file) => file.sha256)).toEqual([scenario.receiptSha256]);
    expect(detail.ruleConfig).toMatchObject({ id: 'velocity', version: 1, params: { windowHours: 24 } });
  });

  it('has no case and no rule for an alert raised by hand on trades never disputed', async () => {
    const { carla, scenario } = await setUp();
    const answer = await call(server, carla, 'GET', `/v1/kyt/alerts/${scenario.manualAlertId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ case: null, ruleConfig: null, caseId: null });
    expect((answer.body as KytAlertDetail).trades.every((trade) => !trade.flagged)).toBe(true);
  });

  it("keeps the newest trades up to the limit, the alert's own older trades always among them", async () => {
    const { carla, scenario } = await setUp();
    server.ctx.write(() => {
      for (let n = 0; n < PARTY_HISTORY_LIMIT; n++) {
        insertPlainTrade(server, {
          id: `TRD-BULK-${String(n).padStart(3, '0')}`,
          buyerId: scenario.regularId,
          sellerId: scenario.subjectId,
          at: new Date(server.clock.now.getTime() - 60_000 * (n + 1)),
          fiatCurrency: 'USD',
          fiatAmount: 1_000n,
          amountMinor: 10_000_000n,
        });
      }
    });
    const { trades } = (await call(server, carla, 'GET', `/v1/kyt/alerts/${scenario.alertId}`)).body as KytAlertDetail;
    expect(trades).toHaveLength(PARTY_HISTORY_LIMIT);
    expect(trades.filter((trade) => trade.flagged).map((trade) => trade.id)).toEqual([
      scenario.caseTradeId,
      scenario.tradeIds[2],
      scenario.tradeIds[1],
      scenario.tradeIds[0],
    ]);
    const times = trades.map((trade) => trade.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('answers 404 for an unknown alert, 403 to agents and supervisors', async () => {
    const { carla, agent, supervisor, scenario } = await setUp();
    expect((await call(server, carla, 'GET', '/v1/kyt/alerts/KYT-NOPE')).body).toMatchObject({
      error: { code: 'not_found' },
    });
    for (const user of [agent, supervisor]) {
      const answer = await call(server, user, 'GET', `/v1/kyt/alerts/${scenario.alertId}`);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});

describe('POST /v1/kyt/alerts/{id}/assign', () => {
  it('gives the alert to the caller, in review, audited, and the case desks see it in the feed', async () => {
    const { carla, scenario } = await setUp();
    const before = feedRows();
    const answer = await assign(carla, scenario.alertId);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(kytAlert.parse(answer.body)).toMatchObject({
      status: 'in_review',
      assignee: { id: carla.id, username: 'carla' },
    });
    expect(auditEntries('kyt_alert.assigned')).toEqual([
      expect.objectContaining({
        actor: carla.id,
        subject: scenario.alertId,
        data: expect.objectContaining({ caseId: scenario.caseId, previousAssignee: null }),
      }),
    ]);
    expect(feedRows()).toBe(before + 1);
    expect(latestCaseChange(scenario.caseId).kytAlerts).toContainEqual(
      expect.objectContaining({ id: scenario.alertId, status: 'in_review', assignee: expect.objectContaining({ username: 'carla' }) }),
    );
    const mine = await call(server, carla, 'GET', '/v1/kyt/alerts?assignee=me');
    expect(mine.body.items.map((alert: { id: string }) => alert.id)).toEqual([scenario.alertId]);
    const someoneElse = await call(server, carla, 'GET', `/v1/kyt/alerts?assignee=${carla.id}`);
    expect(someoneElse.status).toBe(400);
    expect(someoneElse.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it("lets another reviewer take it over, naming the previous assignee in the audit log", async () => {
    const { carla, diana, scenario } = await setUp();
    await assign(carla, scenario.alertId);
    const takeover = await assign(diana, scenario.alertId);
    expect(takeover.status).toBe(200);
    expect(takeover.body).toMatchObject({ status: 'in_review', assignee: { id: diana.id } });
    expect(auditEntries('kyt_alert.assigned').map((entry) => [entry.actor, (entry.data as { previousAssignee?: string | null } | undefined)?.previousAssignee])).toEqual([
      [carla.id, null],
      [diana.id, carla.id],
    ]);
    expect((await call(server, carla, 'GET', '/v1/kyt/alerts?assignee=me')).body.items).toEqual([]);
  });

  it('changes nothing when the caller holds it already', async () => {
    const { carla, scenario } = await setUp();
    await assign(carla, scenario.alertId);
    const before = feedRows();
    const again = await assign(carla, scenario.alertId);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ assignee: { id: carla.id } });
    expect(feedRows()).toBe(before);
    expect(auditEntries('kyt_alert.assigned')).toHaveLength(1);
  });

  it('assigns an alert without a case, audited, with no feed row', async () => {
    const { carla, scenario } = await setUp();
    const before = feedRows();
    expect((await assign(carla, scenario.manualAlertId)).body).toMatchObject({ caseId: null, status: 'in_review' });
    expect(feedRows()).toBe(before);
    expect(auditEntries('kyt_alert.assigned')).toHaveLength(1);
  });

  it('refuses a decided alert with 409 alert_already_decided and an unknown one with 404', async () => {
    const { carla, diana, scenario } = await setUp();
    await decide(carla, scenario.alertId, { decision: 'dismiss', reason: 'Regular customer.' });
    const late = await assign(diana, scenario.alertId);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: { code: 'alert_already_decided' } });
    expect((await assign(diana, 'KYT-NOPE')).status).toBe(404);
  });

  it('answers the stored result again for the same Idempotency-Key', async () => {
    const { carla, diana, scenario } = await setUp();
    const key = { 'idempotency-key': 'assign-1' };
    const first = await assign(carla, scenario.alertId, key);
    await assign(diana, scenario.alertId);
    const replay = await assign(carla, scenario.alertId, key);
    expect(replay).toEqual(first);
    expect(auditEntries('kyt_alert.assigned')).toHaveLength(2);
  });

  it('refuses a body and is for compliance only', async () => {
    const { carla, agent, supervisor, scenario } = await setUp();
    const withBody = await call(server, carla, 'POST', `/v1/kyt/alerts/${scenario.alertId}/assign`, { to: 'x' });
    expect(withBody.status).toBe(400);
    expect(withBody.body).toMatchObject({ error: { code: 'invalid_request' } });
    for (const user of [agent, supervisor]) {
      const answer = await assign(user, scenario.alertId);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});

describe('POST /v1/kyt/alerts/{id}/decision', () => {
  it('records the reason of each decision and files a report only for `report`', async () => {
    const { carla, scenario } = await setUp();
    const dismissed = await decide(carla, scenario.manualAlertId, { decision: 'dismiss', reason: 'Explained by payroll.' });
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({ status: 'dismissed', decisionReason: 'Explained by payroll.', reportId: null });
    const reported = await decide(carla, scenario.alertId, {
      decision: 'report',
      reason: 'Velocity with a new counterparty.',
      narrative: 'The subject sold 400 USDT in a day.',
    });
    expect(reported.status, JSON.stringify(reported.body)).toBe(200);
    expect(reported.body).toMatchObject({
      status: 'reported',
      reviewer: { id: carla.id },
      decisionReason: 'Velocity with a new counterparty.',
      reportId: expect.stringMatching(/^STR-/),
    });
    expect(latestCaseChange(scenario.caseId).kytAlerts).toContainEqual(
      expect.objectContaining({ id: scenario.alertId, status: 'reported', reportId: reported.body.reportId }),
    );
    const actions = readAudit(server.ctx.db, 0, 10_000).map((entry) => entry.action);
    expect(actions.slice(-3)).toEqual(['kyt_alert.dismissed', 'kyt_alert.reported', 'report.filed']);
    expect(auditEntries('report.filed')[0]).toMatchObject({
      actor: carla.id,
      subject: reported.body.reportId,
      data: expect.objectContaining({ alertId: scenario.alertId, transactions: 5, evidence: 1 }),
    });
  });

  it('takes the reason as the narrative of a report sent without one', async () => {
    const { carla, scenario } = await setUp();
    const reported = await decide(carla, scenario.alertId, { decision: 'report', reason: 'Structuring suspected.' });
    const report = await call(server, carla, 'GET', `/v1/reports/${reported.body.reportId}`);
    expect(report.body).toMatchObject({ reason: 'Structuring suspected.', narrative: 'Structuring suspected.' });
  });

  it('refuses a narrative on a dismissal or an escalation, and an unknown decision', async () => {
    const { carla, scenario } = await setUp();
    for (const body of [
      { decision: 'dismiss', reason: 'Fine.', narrative: 'Nothing to see.' },
      { decision: 'escalate', reason: 'Unsure.', narrative: 'Please look.' },
      { decision: 'approve', reason: 'Fine.' },
      { decision: 'report', reason: '   ' },
      { decision: 'report', reason: 'Bad.', narrative: '' },
    ]) {
      const answer = await decide(carla, scenario.alertId, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
    expect((await call(server, carla, 'GET', `/v1/kyt/alerts/${scenario.alertId}`)).body.status).toBe('open');
  });

  it('replays the stored answer for the same key and body, 422 for another body under the key', async () => {
    const { carla, scenario } = await setUp();
    const key = { 'idempotency-key': '"decision-1"' };
    const body = { decision: 'report', reason: 'Velocity.', narrative: 'Sold fast.' };
    const first = await decide(carla, scenario.alertId, body, key);
    expect(first.status).toBe(200);
    const audited = readAudit(server.ctx.db, 0, 10_000).length;
    const reports = () => (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n;

    const replay = await decide(carla, scenario.alertId, { narrative: 'Sold fast.', reason: 'Velocity.', decision: 'report' }, {
      'idempotency-key': 'decision-1',
    });
    expect(replay).toEqual(first);
    expect(readAudit(server.ctx.db, 0, 10_000)).toHaveLength(audited);
    expect(reports()).toBe(1);

    const other = await decide(carla, scenario.alertId, { decision: 'dismiss', reason: 'Fine.' }, key);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    const newKey = await decide(carla, scenario.alertId, body, { 'idempotency-key': 'decision-2' });
    expect(newKey.status).toBe(409);
    expect(newKey.body).toMatchObject({ error: { code: 'alert_already_decided' } });
  });

  it('stores nothing under the key of a refused decision: the key stays free for another request', async () => {
    const { carla, scenario } = await setUp();
    const key = { 'idempotency-key': 'decision-refused' };
    const body = { decision: 'dismiss', reason: 'Fine.' };
    expect((await decide(carla, 'KYT-NOPE', body, key)).status).toBe(404);
    // Had the 404 been stored, this other request under the key would be 422 idempotency_key_reused.
    const decided = await decide(carla, scenario.alertId, body, key);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ id: scenario.alertId, status: 'dismissed' });
  });

  it('is for compliance only; compliance cannot decide a verdict', async () => {
    const { carla, agent, supervisor, scenario } = await setUp();
    for (const user of [agent, supervisor]) {
      const answer = await decide(user, scenario.alertId, { decision: 'dismiss', reason: 'Fine.' });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'forbidden' } });
    }
    const verdict = await call(
      server,
      carla,
      'POST',
      `/v1/cases/${scenario.caseId}/verdict`,
      { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid.', totp: freshCode(server, carla) },
      { 'idempotency-key': 'compliance-verdict' },
    );
    expect(verdict.status).toBe(403);
    expect(verdict.body).toMatchObject({ error: { code: 'forbidden' } });
  });
});

describe('query plans of the review', () => {
  it('reads the party history, counterparties, alerts and evidence through indexes, never scanning a table', async () => {
    server = await createTestServer();
    const { db } = server.ctx;
    const statements: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const carla = addUser(server.ctx, 'compliance');
    const scenario = addReviewScenario(server);
    const from = statements.length;
    await call(server, carla, 'GET', `/v1/kyt/alerts/${scenario.alertId}`);
    await assign(carla, scenario.alertId);
    await decide(carla, scenario.alertId, { decision: 'report', reason: 'Velocity.' });
    const reviewQueries = statements
      .slice(from)
      .filter((sql) => /\b(trades|kyt_alerts|case_evidence|liveness_checks|reports)\b/.test(sql));
    expect(reviewQueries.length).toBeGreaterThan(5);
    for (const sql of reviewQueries) {
      // Every parameter bound to an empty JSON list: the plan does not depend on the values.
      const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((match) => match[1]!))];
      const args = names.length
        ? [Object.fromEntries(names.map((name) => [name, '[]']))]
        : Array<string>((sql.match(/\?/g) ?? []).length).fill('[]');
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail);
      // json_each lists the ids asked for; the counterparty totals scan their own subquery of indexed rows.
      const scans = plan.filter(
        (detail) => detail.startsWith('SCAN') && !detail.includes('json_each') && !detail.startsWith('SCAN (subquery'),
      );
      expect(scans, `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });
});
