// The KYT monitor on a real store (issue #8): the engine over the trades the platform recorded, alerts
// stored once by dedupe key, a new trade evaluated as it is recorded, automatic holds for SEVERE and HIGH
// alerts on held escrows, the hold enforced by the verdict route and lifted only with a fresh code, all
// audited by the monitor's service account, and a failed run leaving nothing behind.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/server/audit/chain';
import { createParty, openDispute, recordTrade, type NewTrade } from '../../electron/server/cases/create';
import { KYT_RULE_SET } from '../../electron/server/kyt/engine/config';
import { evaluateKyt } from '../../electron/server/kyt/engine/evaluate';
import type { AlertCandidate } from '../../electron/server/kyt/engine/types';
import {
  KYT_MONITOR_USER_ID,
  KytMonitorError,
  monitorNewTrades,
  runKytMonitor,
} from '../../electron/server/kyt/monitor';
import { insertAddressHop, insertRiskAddress, LINK_TRADE_ALERTS_SQL } from '../../electron/server/sql/kyt-monitor';
import { login } from './fixtures/auth-api';
import { call, claim, escrowOf, expectConsistent, postVerdict, verdictInput } from './fixtures/case-api';
import { addCase, addUser, createTestServer, freshCode, type TestServer, type TestUser } from './harness';

let server: TestServer;
let agent: TestUser;
let compliance: TestUser;
let supervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
  compliance = addUser(server.ctx, 'compliance');
  supervisor = addUser(server.ctx, 'supervisor');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const SANCTIONED = 'TSanctionedExchangeHotWallet00001';
const SCAM_NEIGHBOUR = 'TOneHopFromAReportedScam000000001';

function listRisks(): void {
  server.ctx.write(() => {
    const listedAt = '2026-01-01T00:00:00.000Z';
    insertRiskAddress(server.ctx.db, { address: SANCTIONED, category: 'sanctions', source: 'OFAC SDN list', listedAt });
    insertRiskAddress(server.ctx.db, { address: 'TReportedScam', category: 'scam', source: 'Chainabuse report #4711', listedAt });
    insertAddressHop(server.ctx.db, { from: 'TReportedScam', to: SCAM_NEIGHBOUR });
  });
}

function party(name: string, ageDays = 400): string {
  return server.ctx.write(() =>
    createParty(server.ctx, {
      displayName: name,
      kycStatus: 'verified',
      country: 'VE',
      accountCreatedAt: new Date(server.clock.now.getTime() - ageDays * DAY_MS),
      tradeCount: 30,
      disputeCount: 0,
    }),
  );
}

/** A completed trade of 250 USDT (about 250 USD) between two parties, `hoursAgo` before the clock. */
function tradeFields(buyerId: string, sellerId: string, hoursAgo: number, extra: Partial<NewTrade> = {}): NewTrade {
  return {
    buyerId,
    sellerId,
    asset: 'USDT',
    amount: '250.000000',
    fiatCurrency: 'VES',
    fiatAmount: '9125.00',
    price: '36.50',
    paymentMethod: 'Pago Móvil',
    tradeCreatedAt: new Date(server.clock.now.getTime() - hoursAgo * HOUR_MS),
    paidAt: null,
    ...extra,
  };
}

const record = (fields: NewTrade, monitor = false) =>
  server.ctx.write(() => recordTrade(server.ctx, fields, { monitor }));

const alerts = () =>
  server.ctx.db.prepare('SELECT * FROM kyt_alerts ORDER BY id').all() as {
    id: string;
    case_id: string | null;
    party_id: string;
    rule_id: string;
    rule_version: number;
    level: string;
    details: string;
    trade_ids: string;
    status: string;
  }[];

const auditOf = (action: string) =>
  server.ctx.db.prepare('SELECT actor, subject, data FROM audit_log WHERE action = ? ORDER BY seq').all(action) as {
    actor: string;
    subject: string;
    data: string;
  }[];

const count = (table: string) => (server.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

const footprint = () => ({
  alerts: count('kyt_alerts'),
  audit: count('audit_log'),
  changes: count('changes'),
  holds: count('escrows WHERE hold_reason IS NOT NULL'),
  meta: count('meta'),
  trades: count('trades'),
});

describe('runKytMonitor over the trades in the store', () => {
  it('raises an alert per finding with the rule, its version and the facts in words; a second run adds nothing', () => {
    listRisks();
    const [nina, bob] = [party('Nina Paz'), party('Bob Ruiz')];
    // Nine trades in a day: velocity (LOW). The monitor is off while they are recorded.
    for (let i = 0; i < 9; i++) record(tradeFields(nina, bob, 20 - 2 * i));
    const sanctionedTrade = record(tradeFields(nina, bob, 30 * 24, { depositAddress: SANCTIONED }));

    const first = runKytMonitor(server.ctx);
    expect(first.evaluatedTrades).toBe(10);
    const stored = alerts();
    expect(stored.map((alert) => [alert.rule_id, alert.party_id, alert.level]).sort()).toEqual(
      [
        ['sanctions_exposure', bob, 'SEVERE'],
        ['velocity', bob, 'LOW'],
        ['velocity', nina, 'LOW'],
      ].sort(),
    );
    const sanctions = stored.find((alert) => alert.rule_id === 'sanctions_exposure')!;
    expect(sanctions.rule_version).toBe(KYT_RULE_SET.sanctions.version);
    expect(JSON.parse(sanctions.trade_ids)).toEqual([sanctionedTrade]);
    expect(sanctions.details).toContain(SANCTIONED);
    expect(sanctions.details).toContain('OFAC SDN list');
    expect(sanctions.details).toContain('250.000000 USDT');
    expect(sanctions.case_id).toBeNull();
    const velocity = stored.find((alert) => alert.rule_id === 'velocity' && alert.party_id === nina)!;
    expect(velocity.details).toMatch(/^Nina Paz \(PTY-[\w-]+\) made 9 trades worth \$2,\d{3}\.\d\d in all with 1 counterparties/);
    expect(stored.map((alert) => alert.id)).toEqual(['KYT-100001', 'KYT-100002', 'KYT-100003']);

    // Audited as the monitor's, one entry per alert.
    const raised = auditOf('kyt.alert_raised');
    expect(raised.map((entry) => entry.subject).sort()).toEqual(stored.map((alert) => alert.id));
    expect(new Set(raised.map((entry) => entry.actor))).toEqual(new Set([KYT_MONITOR_USER_ID]));

    const before = footprint();
    server.clock.advance(60_000);
    expect(runKytMonitor(server.ctx)).toMatchObject({ evaluatedTrades: 10, raised: [], heldCases: [] });
    expect(footprint()).toEqual(before);
  });

  it('values trades in USD at the configured rates', () => {
    const [ana, bea] = [party('Ana Lira', 10), party('Bea Sol')];
    // 0.2 BTC for 19,500 USD from an account ten days old: the new-account rule's MEDIUM band.
    record(
      tradeFields(ana, bea, 2, { asset: 'BTC', amount: '0.20000000', fiatCurrency: 'USD', fiatAmount: '19500.00', price: '97500.00' }),
    );
    const [alert] = runKytMonitor(server.ctx).raised;
    expect(alert).toMatchObject({ ruleId: 'new_account_high_value', partyId: ana, level: 'MEDIUM' });
    expect(alerts()[0]!.details).toContain('$19,500.00');
  });
});

describe('decided disputes', () => {
  it('count against the party the executed verdict went against', async () => {
    const buyer = party('Dora Vaz');
    // A minute apart: the alert names the case of the newest trade, and trades made in the same
    // millisecond would leave "newest" to the ids' order.
    const cases = [0, 1, 2].map(() => {
      server.clock.advance(60_000);
      return addCase(server.ctx, { buyerId: buyer });
    });
    for (const caseId of cases) {
      expect((await claim(server, agent, caseId)).status).toBe(200);
      const refund = verdictInput(server, agent, { outcome: 'refund', reasonCode: 'payment_not_received' });
      expect((await postVerdict(server, agent, caseId, refund)).status).toBe(200);
    }
    const result = runKytMonitor(server.ctx);
    expect(result.raised).toEqual([
      expect.objectContaining({ ruleId: 'dispute_loss_ratio', partyId: buyer, level: 'HIGH', caseId: cases[2] }),
    ]);
    // The refunded escrow has moved: nothing to hold.
    expect(result.heldCases).toEqual([]);
    expect(alerts()[0]!.details).toMatch(/^Dora Vaz \(PTY-[\w-]+\) lost 3 of 3 decided disputes \(100%\)/);
  });
});

describe('a trade recorded by the platform', () => {
  it('is evaluated as it is recorded: a dispute funded from a sanctioned address is flagged and held at once', async () => {
    listRisks();
    const caseId = addCase(server.ctx, { depositAddress: SANCTIONED });
    const [alert] = alerts();
    expect(alert).toMatchObject({ case_id: caseId, rule_id: 'sanctions_exposure', level: 'SEVERE', status: 'open' });
    const detail = await call(server, agent, 'GET', `/v1/cases/${caseId}`);
    expect(detail.body.flags).toMatchObject({ kyt: true, onHold: true });
    expect(detail.body.escrow.hold).toMatchObject({
      by: { id: KYT_MONITOR_USER_ID, username: 'kyt-monitor', displayName: 'KYT monitor' },
    });
    expect(detail.body.escrow.hold.reason).toBe(
      `SEVERE KYT alert ${alert!.id}: Sanctioned address exposure. Held automatically until compliance reviews it.`,
    );
    expect(detail.body.kytAlerts.map((item: { id: string }) => item.id)).toEqual([alert!.id]);
    // The desks learn of it from the feed: the newest row of the case carries the hold.
    const feed = await call(server, agent, 'GET', '/v1/sync?after=0&limit=500');
    const rows = feed.body.changes.filter((change: { id: string }) => change.id === caseId);
    expect(rows.at(-1).data).toEqual(detail.body);
    expect(auditOf('escrow.hold_placed')).toEqual([
      {
        actor: KYT_MONITOR_USER_ID,
        subject: caseId,
        data: JSON.stringify({ escrowId: escrowOf(server, caseId).id, reason: detail.body.escrow.hold.reason, alertId: alert!.id }),
      },
    ]);
  });

  it('looks only at the parties of the new trade, yet finds an instrument another party used before', () => {
    const [buyer, oldSeller, newSeller] = [party('Ines Mar'), party('Olga Paz'), party('Raul Gil')];
    const account = '0412-5551234 / V-12345678';
    record(tradeFields(buyer, oldSeller, 50, { payoutAccount: account }));
    const before = footprint();
    const tradeId = record(tradeFields(party('Teo Luz'), newSeller, 1, { payoutAccount: account }), true);
    const shared = alerts().filter((alert) => alert.rule_id === 'shared_payout_account');
    expect(shared.map((alert) => alert.party_id).sort()).toEqual([oldSeller, newSeller].sort());
    expect(shared.every((alert) => JSON.parse(alert.trade_ids).includes(tradeId))).toBe(true);
    expect(footprint()).toMatchObject({ alerts: before.alerts + 2, trades: before.trades + 1 });
  });

  it('keeps the trade when the monitor fails, and undoes the failed run alone', () => {
    const [buyer, seller] = [party('Uma Paz'), party('Vera Luz')];
    const before = footprint();
    let outcome: unknown;
    const tradeId = server.ctx.write(() => {
      const id = recordTrade(server.ctx, tradeFields(buyer, seller, 1), { monitor: false });
      outcome = monitorNewTrades(server.ctx, [id], {
        // A valid alert is stored, then the second candidate breaks the run (no such level).
        evaluate: (facts) => [candidate(facts.trades[0]!.id, seller, 'HIGH'), candidate(facts.trades[0]!.id, buyer, 'BOGUS')],
      });
      return id;
    });
    expect(outcome).toBeInstanceOf(KytMonitorError);
    expect((outcome as Error).message).toMatch(new RegExp(`after trades ${tradeId}; they are recorded`));
    expect(footprint()).toEqual({ ...before, trades: before.trades + 1 });
  });
});

/** A candidate as an injected engine would answer it. */
function candidate(tradeId: string, partyId: string, level: string, caseId: string | null = null): AlertCandidate {
  const at = server.clock.now.toISOString();
  return {
    dedupeKey: `injected:${partyId}:${level}`,
    ruleId: 'injected',
    ruleVersion: 1,
    partyId,
    caseId,
    level: level as AlertCandidate['level'],
    score: 8,
    category: 'test',
    exposure: 'DIRECT',
    asset: 'USDT',
    amount: '250.000000',
    details: 'Injected by the test.',
    tradeIds: [tradeId],
    windowStart: at,
    windowEnd: level === 'BOGUS' ? new Date(server.clock.now.getTime() + 1).toISOString() : at,
  };
}

describe('automatic holds', () => {
  it('holds a held escrow for SEVERE and HIGH alerts, not for MEDIUM or LOW ones nor for an escrow that moved', async () => {
    // The trades are recorded before the risk list knows their addresses; the run below finds them all.
    const severe = addCase(server.ctx, { depositAddress: SANCTIONED });
    const high = addCase(server.ctx, { depositAddress: 'TReportedScam' });
    const medium = addCase(server.ctx, { depositAddress: SCAM_NEIGHBOUR });
    const released = addCase(server.ctx, { depositAddress: SANCTIONED });
    expect((await claim(server, agent, released)).status).toBe(200);
    expect((await postVerdict(server, agent, released, verdictInput(server, agent))).status).toBe(200);
    expect(alerts()).toEqual([]);
    listRisks();
    const sellerOf = (caseId: string) =>
      (server.ctx.db.prepare('SELECT t.seller_id AS id FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?').get(caseId) as { id: string }).id;
    const result = runKytMonitor(server.ctx);
    const levels = Object.fromEntries(result.raised.map((alert) => [alert.caseId, alert.level]));
    expect(levels).toEqual({ [severe]: 'SEVERE', [high]: 'HIGH', [medium]: 'MEDIUM', [released]: 'SEVERE' });
    expect(result.heldCases.sort()).toEqual([severe, high].sort());
    expect(escrowOf(server, medium).hold_reason).toBeNull();
    expect(escrowOf(server, released)).toMatchObject({ state: 'released', hold_reason: null });
    expect(result.raised.every((alert) => alert.partyId === sellerOf(alert.caseId!))).toBe(true);
    // A case already on hold keeps its hold as it was.
    expect(auditOf('escrow.hold_placed').map((entry) => entry.subject).sort()).toEqual([severe, high].sort());
  });

  it('refuses release while held (409 escrow_on_hold); lifting takes a fresh code; all audited, chain intact', async () => {
    listRisks();
    const caseId = addCase(server.ctx, { depositAddress: SANCTIONED });
    expect((await claim(server, agent, caseId)).status).toBe(200);
    const refused = await postVerdict(server, agent, caseId, verdictInput(server, agent));
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'escrow_on_hold' } } });
    const refund = await postVerdict(server, agent, caseId, verdictInput(server, agent, { outcome: 'refund', reasonCode: 'other' }));
    expect(refund).toMatchObject({ status: 409, body: { error: { code: 'escrow_on_hold' } } });
    expect(escrowOf(server, caseId)).toMatchObject({ state: 'held' });

    const wrong = await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`, {
      reason: 'Source of funds documented.',
      totp: '000000',
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'invalid_totp' } } });
    expect(escrowOf(server, caseId).hold_reason).toMatch(/^SEVERE KYT alert KYT-\d+/);
    // Another role may not lift it at all.
    expect((await call(server, agent, 'DELETE', `/v1/cases/${caseId}/hold`, { reason: 'x', totp: freshCode(server, agent) })).status).toBe(403);

    const lifted = await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`, {
      reason: 'Source of funds documented: a regulated exchange.',
      totp: freshCode(server, compliance),
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body.escrow.hold).toBeNull();
    const released = await postVerdict(server, agent, caseId, verdictInput(server, agent));
    expect(released.status).toBe(200);
    expect(released.body.escrow.state).toBe('released');

    const actions = (
      server.ctx.db.prepare('SELECT action, actor FROM audit_log WHERE subject = ? ORDER BY seq').all(caseId) as { action: string; actor: string }[]
    ).map((entry) => `${entry.action} by ${entry.actor}`);
    expect(actions).toEqual([
      `escrow.hold_placed by ${KYT_MONITOR_USER_ID}`,
      `case.claimed by ${agent.id}`,
      `escrow.hold_lifted by ${compliance.id}`,
      `verdict.executed by ${agent.id}`,
    ]);
    // The alert's own entry names the alert, and the case it is on.
    const [raised] = auditOf('kyt.alert_raised');
    expect(raised).toMatchObject({ actor: KYT_MONITOR_USER_ID });
    expect(JSON.parse(raised!.data)).toMatchObject({ caseId, ruleId: 'sanctions_exposure', ruleVersion: 1, level: 'SEVERE' });
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true, firstBad: null });
    const verify = await call(server, supervisor, 'GET', '/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true, firstBad: null });
  });
});

describe('a monitor run that fails', () => {
  it('leaves no alert, audit entry, hold, feed row or alert number behind', () => {
    const caseId = addCase(server.ctx);
    const sellerId = (server.ctx.db.prepare('SELECT t.seller_id AS id FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?').get(caseId) as { id: string }).id;
    const before = footprint();
    const tradeId = (server.ctx.db.prepare('SELECT trade_id AS id FROM cases WHERE id = ?').get(caseId) as { id: string }).id;
    expect(() =>
      runKytMonitor(server.ctx, {
        evaluate: () => [candidate(tradeId, sellerId, 'HIGH', caseId), candidate(tradeId, sellerId, 'BOGUS', caseId)],
      }),
    ).toThrow(/CHECK constraint failed/);
    expect(footprint()).toEqual(before);
    // Without the injected fault the same run goes through: the first candidate and its hold.
    const result = runKytMonitor(server.ctx, { evaluate: () => [candidate(tradeId, sellerId, 'HIGH', caseId)] });
    expect(result).toMatchObject({ raised: [{ id: 'KYT-100001', caseId, level: 'HIGH' }], heldCases: [caseId] });
  });

  it('an engine that throws stops the run before anything is written', () => {
    addCase(server.ctx);
    const before = footprint();
    expect(() =>
      runKytMonitor(server.ctx, {
        evaluate: () => {
          throw new Error('rule exploded');
        },
      }),
    ).toThrow('rule exploded');
    expect(footprint()).toEqual(before);
    expect(runKytMonitor(server.ctx, { evaluate: evaluateKyt }).raised).toEqual([]);
  });
});

describe('the monitor service account', () => {
  it('cannot sign in: it answers exactly like an unknown user', async () => {
    const asMonitor = await login(server, 'kyt-monitor', 'any-password');
    const unknown = await login(server, 'nobody-at-all', 'any-password');
    expect(asMonitor).toEqual({ status: 401, body: { error: { code: 'invalid_credentials', message: expect.any(String) } } });
    expect(asMonitor.body).toEqual(unknown.body);
    expect(server.ctx.db.prepare('SELECT kind, role FROM users WHERE id = ?').get(KYT_MONITOR_USER_ID)).toEqual({
      kind: 'service',
      role: 'compliance',
    });
  });

  it('is no agent a case can be given to', async () => {
    const caseId = addCase(server.ctx);
    const answer = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, {
      assigneeId: KYT_MONITOR_USER_ID,
      reason: 'Let the robot do it.',
    });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });
});

describe('recording a trade', () => {
  it('refuses a currency without a USD rate before writing anything', () => {
    const [buyer, seller] = [party('Xime Paz'), party('Yago Luz')];
    const before = footprint();
    expect(() => record(tradeFields(buyer, seller, 1, { fiatCurrency: 'EUR' }), true)).toThrow(/No USD rate configured for EUR/);
    expect(footprint()).toEqual(before);
  });

  it('records the buyer’s receipts once each and opens disputes that the monitor reads', () => {
    const [buyer, seller, other] = [party('Zoe Mar'), party('Alan Paz'), party('Beto Gil')];
    const sha = 'a'.repeat(64);
    const caseId = server.ctx.write(
      () =>
        openDispute(server.ctx, {
          ...tradeFields(buyer, seller, 3, { receiptSha256s: [sha, sha] }),
          openedAt: new Date(server.clock.now.getTime() - HOUR_MS),
          slaDueAt: new Date(server.clock.now.getTime() + 20 * HOUR_MS),
          reason: 'Paid, not released.',
          openedBy: 'buyer',
        }).caseId,
    );
    expect(count('trade_receipts')).toBe(1);
    record(tradeFields(other, seller, 1, { receiptSha256s: [sha] }), true);
    const shared = alerts().filter((alert) => alert.rule_id === 'shared_receipt');
    expect(shared.map((alert) => [alert.party_id, alert.case_id]).sort()).toEqual(
      [
        [buyer, caseId],
        [other, null],
      ].sort(),
    );
    // HIGH on a held escrow: the dispute is frozen too.
    expect(escrowOf(server, caseId).hold_reason).toMatch(/^HIGH KYT alert KYT-\d+: Receipt used by different people/);
  });
});

describe('query plans of linking a trade’s alerts to its new case', () => {
  it('reads the trade’s parties’ alerts by party, not every alert without a case', () => {
    const plan = (
      server.ctx.db.prepare(`EXPLAIN QUERY PLAN ${LINK_TRADE_ALERTS_SQL}`).all({ caseId: 'DSP-x', tradeId: 'T-x' }) as {
        detail: string;
      }[]
    ).map((row) => row.detail);
    expect(plan.join('\n')).toContain('USING INDEX kyt_by_party (party_id=?)');
    expect(plan.join('\n')).not.toContain('kyt_by_case');
    expect(plan.filter((detail) => detail.startsWith('SCAN') && !detail.includes('json_each'))).toEqual([]);
  });
});
