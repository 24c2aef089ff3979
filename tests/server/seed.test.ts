// The demo and load seeds (DESIGN §4): every minimum of the demo data set, the realism it promises
// (amounts that add up, real receipts, liveness evidence, a world of parties), and the integrity the
// rest of the platform relies on (ledger, audit chain, a complete change feed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { assetDecimals, toMinorUnits } from '../../shared/domain/money';
import { verifyAuditChain } from '../../electron/server/audit/chain';
import { verifySecret } from '../../electron/server/auth/passwords';
import { matchTotpStep, totpCodeAt } from '../../electron/server/auth/totp';
import { readCaseDetail } from '../../electron/server/sql/case-detail';
import { findUserById } from '../../electron/server/sql/users';
import { defaultConfig } from '../../electron/server/config';
import { sniffMime } from '../../electron/server/evidence/sniff';
import { readEvidenceFile } from '../../electron/server/evidence/store';
import { checkLedger } from '../../electron/server/ledger/escrow';
import { DEMO_INVITATION_TOKEN, demoUserId } from '../../electron/seed/accounts';
import { fiatFor } from '../../electron/seed/amounts';
import { buildDemoPlan, DEMO_CASE_COUNT } from '../../electron/seed/demo-plan';
import { renderReceiptJpeg, renderReceiptPng } from '../../electron/seed/images';
import { seedDatabase, type SeedLogger } from '../../electron/seed/index';
import { FIRST_LOAD_CASE, seedLoadCases } from '../../electron/seed/load';
import { MARKETS } from '../../electron/seed/world';
import { startServer } from '../../electron/server/start';
import { KYT_RULE_SET } from '../../electron/server/kyt/engine/config';
import { runKytMonitor } from '../../electron/server/kyt/monitor';
import { createHash } from 'node:crypto';
import { createTestServer, readFeedPage, tempDir, type TestServer, latestFeedDetail, latestFeedVersion } from './harness';

const DEMO_ACCOUNTS = [
  { username: 'ana', role: 'agent', password: 'ana-demo-pass', secret: 'ANAAGENTANAAGENTANAAGENTANAAGENT' },
  { username: 'bruno', role: 'agent', password: 'bruno-demo-pass', secret: 'BRUNOAGENTBRUNOAGENTBRUNOAGENTBR' },
  { username: 'carla', role: 'compliance', password: 'carla-demo-pass', secret: 'CARLACOMPLIANCECARLACOMPLIANCECA' },
  { username: 'sofia', role: 'supervisor', password: 'sofia-demo-pass', secret: 'SOFIASUPERVISORSOFIASUPERVISORSO' },
  // diego chooses his password when he redeems the demo invitation.
  { username: 'diego', role: 'agent', password: null, secret: null },
] as const;

function recordingLogger() {
  const lines = { info: [] as string[], warn: [] as string[] };
  const log: SeedLogger = {
    info: (message: string) => lines.info.push(message),
    warn: (message: string) => lines.warn.push(message),
  } as SeedLogger;
  return { log, lines };
}

const count = (server: TestServer, sql: string, ...params: unknown[]) =>
  (server.ctx.db.prepare(sql).get(...params) as { n: number }).n;

const TABLES = ['users', 'parties', 'trades', 'escrows', 'ledger_entries', 'cases', 'messages', 'notes', 'evidence_files',
  'case_evidence', 'liveness_checks', 'kyt_alerts', 'verdicts', 'changes', 'audit_log'];
const tableCounts = (server: TestServer) =>
  Object.fromEntries(TABLES.map((table) => [table, count(server, `SELECT COUNT(*) AS n FROM ${table}`)]));

function allDetails(server: TestServer): CaseDetail[] {
  const ids = server.ctx.db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[];
  return ids.map(({ id }) => readCaseDetail(server.ctx.db, id, { now: server.clock.now, fourEyesThresholdUsd: '10000' })!);
}

describe('demo seed', () => {
  let server: TestServer;
  let log: ReturnType<typeof recordingLogger>;
  let details: CaseDetail[];
  let seededAt: Date;

  beforeAll(async () => {
    server = await createTestServer();
    seededAt = server.clock.now;
    log = recordingLogger();
    await seedDatabase(server.ctx, 'demo', 0, log.log);
    details = allDetails(server);
  });
  afterAll(async () => server?.close());

  it('warns that the demo accounts are published', () => {
    expect(log.lines.warn).toEqual([expect.stringMatching(/published passwords and TOTP secrets.*Never expose/)]);
  });

  it('creates the five demo accounts of DESIGN §4 with working passwords and TOTP secrets', async () => {
    const users = server.ctx.db.prepare("SELECT * FROM users WHERE kind = 'person' ORDER BY username").all() as {
      id: string;
      username: string;
      display_name: string;
      role: string;
      password_hash: string;
      totp_secret: string | null;
      totp_confirmed: number;
    }[];
    expect(users.map((user) => user.username).sort()).toEqual(DEMO_ACCOUNTS.map((account) => account.username).sort());
    for (const account of DEMO_ACCOUNTS) {
      const user = users.find((candidate) => candidate.username === account.username)!;
      expect(user.role).toBe(account.role);
      expect(user.display_name).toMatch(/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
      if (account.password) {
        expect(await verifySecret(account.password, user.password_hash)).toBe(true);
        expect(await verifySecret(`${account.password}x`, user.password_hash)).toBe(false);
      } else {
        expect(await verifySecret('diego-demo-pass', user.password_hash)).toBe(false);
      }
      if (account.secret) {
        // Stored sealed (auth/secret-box.ts); the users SQL opens it.
        expect(user.totp_secret).toMatch(/^sealed:v1:/);
        const stored = findUserById(server.ctx.db, user.id)!;
        expect(stored.totpSecret).toBe(account.secret);
        expect(user.totp_confirmed).toBe(1);
        const code = totpCodeAt(account.secret, seededAt);
        expect(matchTotpStep(stored.totpSecret!, code, seededAt)).not.toBeNull();
      } else {
        // diego enrols with the published demo invitation, stored as its sha256 only.
        expect(user.totp_secret).toBeNull();
        expect(user.totp_confirmed).toBe(0);
        const invitation = server.ctx.db
          .prepare('SELECT user_id, spent_at FROM invitations WHERE token_hash = ?')
          .get(createHash('sha256').update(DEMO_INVITATION_TOKEN).digest('hex'));
        expect(invitation).toEqual({ user_id: user.id, spent_at: null });
        // Issued by the platform's set-up, not by sofia: the issuer of an agent's credentials may not approve
        // the agent's four-eyes proposals, and sofia is the demo's only supervisor.
        const issuer = server.ctx.db.prepare('SELECT credentials_issued_by AS issuer FROM users WHERE id = ?').get(user.id);
        expect(issuer).toEqual({ issuer: 'USR-platform' });
      }
    }
  });

  it('opens at least 60 disputes with deterministic ids', () => {
    expect(details.length).toBeGreaterThanOrEqual(60);
    details.forEach((detail, index) => expect(detail.id).toBe(`DSP-${100001 + index}`));
  });

  it('has at least 2 open cases on a compliance hold from a SEVERE or HIGH alert that need no four-eyes', () => {
    // The KYT monitor placed the holds itself when it raised the alerts.
    const sql = count(
      server,
      `SELECT COUNT(*) AS n FROM cases c JOIN escrows e ON e.id = c.escrow_id
       WHERE c.status = 'open' AND c.four_eyes = 0 AND e.hold_by = 'USR-kyt-monitor' AND e.hold_reason IS NOT NULL
         AND e.hold_at IS NOT NULL
         AND EXISTS (SELECT 1 FROM kyt_alerts k WHERE k.case_id = c.id AND k.level IN ('SEVERE', 'HIGH'))`,
    );
    expect(sql).toBeGreaterThanOrEqual(2);
    const api = details.filter(
      (detail) =>
        detail.status === 'open' &&
        detail.flags.onHold &&
        !detail.flags.fourEyes &&
        detail.escrow.hold?.by.username === 'kyt-monitor' &&
        detail.kytAlerts.some((alert) => alert.level === 'SEVERE' || alert.level === 'HIGH'),
    );
    expect(api.length).toBe(sql);
    for (const detail of api) expect(detail.escrow.hold!.reason).toMatch(/KYT alert KYT-\d+/);
  });

  it('has at least 2 open four-eyes cases, worth at least the threshold in USD', () => {
    const open = details.filter((detail) => detail.status === 'open' && detail.flags.fourEyes);
    expect(open.length).toBeGreaterThanOrEqual(2);
    for (const detail of open) {
      expect(detail.fourEyes.required).toBe(true);
      expect(Number(detail.fourEyes.usdEquivalent)).toBeGreaterThanOrEqual(10_000);
    }
    expect(count(server, "SELECT COUNT(*) AS n FROM cases WHERE status = 'open' AND four_eyes = 1")).toBe(open.length);
  });

  it('raises Chainalysis-like KYT alerts from at least 4 rules', () => {
    const alerts = details.flatMap((detail) => detail.kytAlerts);
    expect(new Set(alerts.map((alert) => alert.rule)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(alerts.map((alert) => alert.exposure))).toEqual(new Set(['DIRECT', 'INDIRECT']));
    expect(new Set(alerts.map((alert) => alert.level)).size).toBeGreaterThanOrEqual(3);
    for (const alert of alerts) {
      expect(alert.score).toBeGreaterThan(0);
      expect(alert.score).toBeLessThanOrEqual(10);
      expect(alert.category).not.toBe('');
      expect(alert.details.length).toBeGreaterThan(40);
      expect([...alerts.map((a) => a.partyId)]).toContain(alert.partyId);
    }
    const flagged = details.filter((detail) => detail.flags.kyt);
    expect(flagged.every((detail) => detail.kytAlerts.some((alert) => alert.status !== 'dismissed'))).toBe(true);
  });

  it('raises the demo alerts with the rules engine over the seeded trades, and a second run adds nothing', () => {
    const alerts = server.ctx.db.prepare('SELECT * FROM kyt_alerts').all() as {
      id: string;
      rule_id: string;
      rule_version: number;
      dedupe_key: string;
      trade_ids: string;
    }[];
    const rules = new Map(Object.values(KYT_RULE_SET).map((rule) => [rule.id, rule.version]));
    for (const alert of alerts) {
      expect(rules.get(alert.rule_id)).toBe(alert.rule_version);
      expect(alert.dedupe_key.startsWith(`${alert.rule_id}:`)).toBe(true);
      expect(JSON.parse(alert.trade_ids).length).toBeGreaterThan(0);
    }
    expect(new Set(alerts.map((alert) => alert.rule_id)).size).toBeGreaterThanOrEqual(10);
    const raisedByMonitor = count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kyt.alert_raised' AND actor = 'USR-kyt-monitor'");
    expect(raisedByMonitor).toBe(alerts.length);
    const before = tableCounts(server);
    expect(runKytMonitor(server.ctx).raised).toEqual([]);
    expect(tableCounts(server)).toEqual(before);
  });

  it('has at least 20 plain open cases: no hold, no four-eyes, unassigned, no KYT', () => {
    const sql = count(
      server,
      `SELECT COUNT(*) AS n FROM cases c JOIN escrows e ON e.id = c.escrow_id
       WHERE c.status = 'open' AND e.hold_reason IS NULL AND c.four_eyes = 0 AND c.assignee_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM kyt_alerts k WHERE k.case_id = c.id)`,
    );
    expect(sql).toBeGreaterThanOrEqual(20);
    const api = details.filter(
      (detail) =>
        detail.status === 'open' && !detail.flags.onHold && !detail.flags.fourEyes && detail.assignee === null && detail.kytAlerts.length === 0,
    );
    expect(api.length).toBe(sql);
  });

  it('has cases in review, proposals awaiting approval and decided ones whose escrows moved', () => {
    const inReview = details.filter((detail) => detail.status === 'in_review');
    expect(inReview.length).toBeGreaterThanOrEqual(2);
    for (const detail of inReview) expect(['ana', 'bruno']).toContain(detail.assignee?.username);

    // The "Awaiting approval" view has work: proposals by Ana and by Bruno.
    const pending = details.filter((detail) => detail.status === 'pending_approval');
    expect(pending.length).toBeGreaterThanOrEqual(3);
    for (const awaiting of pending) {
      expect(awaiting.fourEyes.required).toBe(true);
      expect(awaiting.verdict).toMatchObject({ state: 'proposed', approvedBy: null });
      expect(awaiting.escrow.state).toBe('held');
    }
    expect(new Set(pending.map((detail) => detail.verdict!.proposedBy.username))).toEqual(new Set(['ana', 'bruno']));

    const resolved = details.filter((detail) => detail.status === 'resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(3);
    for (const detail of resolved) {
      expect(detail.verdict?.state).toBe('executed');
      expect(detail.escrow.state).toBe(detail.verdict!.outcome === 'release' ? 'released' : 'refunded');
      if (detail.fourEyes.required) expect(detail.verdict!.approvedBy?.username).toBe('sofia');
    }
    expect(new Set(resolved.map((detail) => detail.escrow.state))).toEqual(new Set(['released', 'refunded']));
    expect(resolved.some((detail) => detail.fourEyes.required)).toBe(true);
    for (const detail of details.filter((candidate) => candidate.status !== 'resolved')) expect(detail.escrow.state).toBe('held');
  });

  it('gives the verdict history weeks of decisions by Ana and Bruno, some four-eyes ones sent back once', () => {
    const decidedAt = (detail: CaseDetail) => Date.parse(detail.verdict!.approvedAt ?? detail.verdict!.proposedAt);
    const resolved = details.filter((detail) => detail.status === 'resolved');
    expect(resolved.length).toBeGreaterThanOrEqual(20);
    for (const agent of ['ana', 'bruno']) {
      const theirs = resolved.filter((detail) => detail.verdict!.proposedBy.username === agent);
      expect(theirs.length, agent).toBeGreaterThanOrEqual(8);
      expect(new Set(theirs.map((detail) => detail.verdict!.outcome)), agent).toEqual(new Set(['release', 'refund']));
    }
    const ages = resolved.map((detail) => (seededAt.getTime() - decidedAt(detail)) / 86_400_000);
    expect(Math.max(...ages)).toBeGreaterThan(21);
    expect(Math.min(...ages)).toBeLessThan(2);
    expect(resolved.filter((detail) => detail.fourEyes.required).length).toBeGreaterThanOrEqual(4);
    const rejected = server.ctx.db
      .prepare("SELECT case_id AS caseId, rejected_by AS by, rejected_at AS at FROM verdicts WHERE state = 'rejected'")
      .all() as { caseId: string; by: string; at: string }[];
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const { caseId, by, at } of rejected) {
      const detail = details.find((candidate) => candidate.id === caseId)!;
      expect(detail.status).toBe('resolved');
      expect(by).toBe(demoUserId('sofia'));
      // Sent back before the proposal that was approved.
      expect(Date.parse(at)).toBeLessThan(Date.parse(detail.verdict!.proposedAt));
    }
  });

  it('keeps the ledger balanced and the audit chain intact, with one entry for the seed itself', () => {
    expect(checkLedger(server.ctx.db)).toEqual({ balanced: true, problems: [] });
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true, firstBad: null });
    const seedEntries = server.ctx.db.prepare("SELECT * FROM audit_log WHERE action = 'seed.demo'").all() as {
      actor: string;
      data: string;
    }[];
    expect(seedEntries).toHaveLength(1);
    expect(seedEntries[0]!.actor).toBe('system');
    expect(JSON.parse(seedEntries[0]!.data)).toMatchObject({ cases: details.length });
    const actions = new Set((server.ctx.db.prepare('SELECT action FROM audit_log').all() as { action: string }[]).map((row) => row.action));
    for (const action of ['escrow.hold_placed', 'verdict.proposed', 'verdict.approved', 'verdict.executed', 'case.claimed']) {
      expect(actions).toContain(action);
    }
  });

  it('puts every case in the change feed once, complete', () => {
    const page = readFeedPage(server.ctx, 0, 500)!;
    expect(page.hasMore).toBe(false);
    expect(page.changes.map((change) => change.id)).toEqual(details.map((detail) => detail.id));
    page.changes.forEach((change, index) => expect(change.data).toEqual(details[index]));
  });

  it('prices trades realistically: amounts at their precision, amount × price = fiat, local methods', () => {
    const methodsByCurrency = new Map<string, Set<string>>();
    for (const market of MARKETS) {
      methodsByCurrency.set(market.currency, (methodsByCurrency.get(market.currency) ?? new Set()).add(market.method));
    }
    for (const detail of details) {
      const { trade } = detail;
      expect(['USDT', 'USDC', 'BTC', 'ETH']).toContain(trade.asset);
      expect(trade.amount.split('.')[1]).toHaveLength(assetDecimals(trade.asset));
      expect(trade.fiatAmount).toMatch(/^\d+\.\d{2}$/);
      expect(trade.price).toMatch(/^\d+\.\d{2}$/);
      const amountMinor = toMinorUnits(trade.amount, assetDecimals(trade.asset));
      expect(fiatFor(amountMinor, trade.asset as 'BTC', trade.price)).toBe(toMinorUnits(trade.fiatAmount, 2));
      expect(methodsByCurrency.get(trade.fiatCurrency)).toContain(trade.paymentMethod);
      const usdPerUnit = Number(trade.price) / Number(defaultConfig().usdRates[trade.fiatCurrency]);
      const expected = { USDT: 1, USDC: 1, BTC: 97_250, ETH: 3_480 }[trade.asset]!;
      expect(usdPerUnit / expected).toBeGreaterThan(0.98);
      expect(usdPerUnit / expected).toBeLessThan(1.06);
    }
    expect(new Set(details.map((detail) => detail.trade.fiatCurrency))).toEqual(new Set(['VES', 'COP', 'ARS', 'MXN', 'BRL', 'PEN', 'USD']));
    expect(new Set(details.map((detail) => detail.trade.paymentMethod))).toEqual(
      new Set(['Pago Móvil', 'Zelle', 'Nequi', 'Mercado Pago', 'PIX', 'Bank transfer']),
    );
  });

  it('tells each dispute in a chat in the parties’ language, with the platform events, in order', () => {
    for (const detail of details) {
      const system = detail.messages.filter((message) => message.sender === 'system').map((message) => message.body);
      const portuguese = detail.trade.fiatCurrency === 'BRL';
      expect(system[0]).toMatch(portuguese ? /^Pedido criado/ : /^Orden creada/);
      expect(system.some((body) => /marc(ó|ou) (la orden|o pedido) como (pagada|pago)/.test(body))).toBe(true);
      expect(system.some((body) => /abri(ó|u) u[nm]a disputa/.test(body))).toBe(true);
      expect(detail.messages.some((message) => message.sender === 'buyer' || message.sender === 'seller')).toBe(true);
      const times = detail.messages.map((message) => message.at);
      expect([...times].sort()).toEqual(times);
      expect(times.every((at) => at >= detail.trade.createdAt && Date.parse(at) <= seededAt.getTime())).toBe(true);
      expect(detail.trade.createdAt < detail.trade.paidAt!).toBe(true);
      expect(detail.trade.paidAt! < detail.openedAt).toBe(true);
      expect(detail.buyer.id).not.toBe(detail.seller.id);
    }
    const agentMessages = details.flatMap((detail) => detail.messages.filter((message) => message.sender === 'agent'));
    expect(agentMessages.length).toBeGreaterThan(0);
    for (const message of agentMessages) expect(['ana', 'bruno']).toContain(message.author?.username);
  });

  it('runs SLA clocks as in real life: some breached, some due soon, most later', () => {
    const live = details.filter((detail) => detail.status !== 'resolved');
    const hoursLeft = live.map((detail) => (Date.parse(detail.slaDueAt) - seededAt.getTime()) / 3_600_000);
    const breached = hoursLeft.filter((hours) => hours < 0).length;
    const soon = hoursLeft.filter((hours) => hours >= 0 && hours <= 2).length;
    const later = hoursLeft.filter((hours) => hours > 2).length;
    expect(breached).toBeGreaterThanOrEqual(3);
    expect(soon).toBeGreaterThanOrEqual(3);
    expect(later).toBeGreaterThan(breached + soon);
  });

  it('stores real PNG and JPEG receipts, a PDF statement, ID photos and selfie frames', () => {
    const evidence = details.flatMap((detail) => detail.evidence);
    const receipts = evidence.filter((item) => item.kind === 'receipt');
    expect(receipts.length).toBeGreaterThan(40);
    for (const item of evidence) {
      const file = readEvidenceFile(server.ctx.db, item.sha256)!;
      expect(sniffMime(file.bytes)).toBe(item.mime);
      expect(file.bytes.length).toBe(item.size);
      expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(item.sha256);
    }
    expect(new Set(receipts.map((item) => item.mime))).toEqual(new Set(['image/png', 'image/jpeg']));
    expect(evidence.some((item) => item.kind === 'statement' && item.mime === 'application/pdf')).toBe(true);
    const checks = details.flatMap((detail) => detail.liveness).filter((check) => check.status !== 'pending');
    for (const check of checks) {
      expect(sniffMime(readEvidenceFile(server.ctx.db, check.idPhoto!)!.bytes)).toBe('image/png');
      expect(check.frames.length).toBeGreaterThan(0);
      for (const frame of check.frames) expect(sniffMime(readEvidenceFile(server.ctx.db, frame)!.bytes)).toBe('image/jpeg');
    }
  });

  it('reuses one receipt file (same sha256) in two cases', () => {
    const reused = server.ctx.db
      .prepare(
        `SELECT sha256, COUNT(DISTINCT case_id) AS cases FROM case_evidence WHERE kind = 'receipt'
         GROUP BY sha256 HAVING COUNT(DISTINCT case_id) > 1`,
      )
      .all() as { sha256: string; cases: number }[];
    expect(reused).toHaveLength(1);
    expect(reused[0]!.cases).toBe(2);
    const cases = details.filter((detail) => detail.evidence.some((item) => item.sha256 === reused[0]!.sha256));
    expect(cases.some((detail) => /^Reused receipt/.test(detail.reason))).toBe(true);
    expect(cases[0]!.trade.fiatAmount).toBe(cases[1]!.trade.fiatAmount);
    expect(cases[0]!.buyer.id).toBe(cases[1]!.buyer.id);
  });

  it('makes edited and fake receipts show what does not match the trade', () => {
    const plan = buildDemoPlan(seededAt, server.ctx.config);
    const receiptOf = (caseId: string) => {
      const source = plan.files.get(`receipt:${caseId}`);
      if (source?.type !== 'receipt') throw new Error(`no receipt for ${caseId}`);
      return source;
    };
    const storedReceipt = (detail: CaseDetail) => detail.evidence.find((item) => item.kind === 'receipt')!;

    const editedAmount = details.find((detail) => /^Edited receipt: the receipt shows/.test(detail.reason))!;
    const amountSpec = receiptOf(editedAmount.id);
    expect(amountSpec.spec.amount).not.toBe(editedAmount.trade.fiatAmount);
    // The stored file is exactly that receipt: the seed is deterministic down to the bytes.
    const bytes = amountSpec.format === 'png' ? renderReceiptPng(amountSpec.spec) : renderReceiptJpeg(amountSpec.spec);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(storedReceipt(editedAmount).sha256);

    const editedPayer = details.find((detail) => /^Edited receipt: the payer/.test(detail.reason))!;
    const payerSpec = receiptOf(editedPayer.id).spec;
    expect(payerSpec.amount).toBe(editedPayer.trade.fiatAmount);
    expect(payerSpec.payerName).not.toContain(editedPayer.buyer.displayName.split(' ').at(-1)!);
    expect(editedPayer.reason).toContain(payerSpec.payerName);

    const fakes = details.filter((detail) => /^Fake receipt/.test(detail.reason));
    expect(fakes.length).toBeGreaterThanOrEqual(1);
    for (const fake of fakes) {
      const spec = receiptOf(fake.id).spec;
      const sellerDetails = fake.messages.find((message) => message.sender === 'seller')!.body;
      expect(sellerDetails).not.toContain(spec.payeeAccount);
      expect(fake.reason).toContain(spec.payeeAccount);
    }

    const thirdParty = details.find((detail) => /^Third-party payment/.test(detail.reason))!;
    expect(receiptOf(thirdParty.id).spec.payerName).not.toContain(thirdParty.buyer.displayName);
    const underpaid = details.find((detail) => /^Underpayment/.test(detail.reason))!;
    expect(toMinorUnits(receiptOf(underpaid.id).spec.amount, 2)).toBeLessThan(toMinorUnits(underpaid.trade.fiatAmount, 2));
  });

  it('records Proof of Life: onboarding checks for every party, a failed face match and a selfie fraud attempt', () => {
    const parties = server.ctx.db.prepare('SELECT id FROM parties').all() as { id: string }[];
    const onboarding = server.ctx.db
      .prepare("SELECT * FROM liveness_checks WHERE trigger = 'onboarding'")
      .all() as { party_id: string; case_id: string | null; provider: string; provider_verification_id: string; document_type: string }[];
    expect(new Set(onboarding.map((check) => check.party_id))).toEqual(new Set(parties.map((party) => party.id)));
    for (const check of onboarding) {
      expect(check.case_id).toBeNull();
      expect(check.provider).toBe('metamap');
      expect(check.provider_verification_id).toMatch(/^[0-9a-f]{24}$/);
      expect(['national-id', 'passport']).toContain(check.document_type);
    }

    const mismatch = details.find((detail) => detail.liveness.some((check) => check.errorCode === 'facematch.differentPerson'))!;
    const failed = mismatch.liveness.find((check) => check.errorCode === 'facematch.differentPerson')!;
    expect(failed).toMatchObject({ status: 'rejected', trigger: 'trade', caseId: mismatch.id, partyId: mismatch.buyer.id });
    expect(failed.faceMatchScore!).toBeLessThan(0.3);
    expect(new Set(failed.frames).size).toBe(3);
    const own = mismatch.liveness.find((check) => check.partyId === mismatch.buyer.id && check.trigger === 'onboarding')!;
    expect(failed.idPhoto).toBe(own.idPhoto);
    expect(failed.frames).not.toContain(own.frames[0]);
    expect(mismatch.flags.livenessFailed).toBe(true);

    const fraud = details
      .flatMap((detail) => detail.liveness)
      .find((check) => check.errorCode === 'selfieFraudDetection.fraudAttempt')!;
    expect(fraud.status).toBe('rejected');
    expect(fraud.livenessScore!).toBeLessThan(0.2);

    const requested = details.flatMap((detail) => detail.liveness).filter((check) => check.status === 'pending');
    expect(requested.length).toBeGreaterThanOrEqual(1);
    expect(requested[0]!.requestedBy?.username).toBe('ana');
  });

  it('gives parties a history: KYC status, account age, counts, and pairs with earlier disputes', () => {
    const parties = details.flatMap((detail) => [detail.buyer, detail.seller]);
    for (const party of parties) {
      expect(['VE', 'CO', 'AR', 'MX', 'BR', 'PE']).toContain(party.country);
      expect(party.tradeCount).toBeGreaterThanOrEqual(party.disputeCount);
      const inDemo = details.filter((detail) => detail.buyer.id === party.id || detail.seller.id === party.id).length;
      expect(party.disputeCount).toBeGreaterThanOrEqual(inDemo);
    }
    expect(new Set(parties.map((party) => party.kycStatus))).toEqual(new Set(['verified', 'reviewNeeded']));
    expect(parties.some((party) => party.accountAgeDays < 10)).toBe(true);
    expect(parties.some((party) => party.accountAgeDays > 700)).toBe(true);
    const pairs = new Map<string, CaseDetail[]>();
    for (const detail of details) {
      const key = `${detail.buyer.id}/${detail.seller.id}`;
      pairs.set(key, [...(pairs.get(key) ?? []), detail]);
    }
    const repeated = [...pairs.values()].filter((cases) => cases.length > 1);
    expect(repeated.length).toBeGreaterThanOrEqual(2);
    expect(repeated.some((cases) => cases.some((detail) => detail.status === 'resolved'))).toBe(true);
  });

  it('plans the same data set from the same moment', () => {
    const config = server.ctx.config;
    expect(buildDemoPlan(seededAt, config)).toEqual(buildDemoPlan(seededAt, config));
    expect(buildDemoPlan(seededAt, config).cases.map((planned) => planned.reason)).toEqual(details.map((detail) => detail.reason));
  });

  it('does nothing, and says so, on a store that already has the demo data', async () => {
    const before = tableCounts(server);
    const again = recordingLogger();
    server.clock.advance(60_000);
    await seedDatabase(server.ctx, 'demo', 0, again.log);
    expect(tableCounts(server)).toEqual(before);
    expect(again.lines.info).toContainEqual(expect.stringMatching(/already seeded/));
  });
});

describe('seeding safety', () => {
  it('never seeds on a non-loopback address', async () => {
    const dir = tempDir();
    await expect(startServer(defaultConfig({ dataDir: dir, host: '0.0.0.0', seed: 'demo', logLevel: 'silent' }))).rejects.toThrow(
      /non-loopback/,
    );
  });
});

describe('load seed', () => {
  let server: TestServer;
  const loadCases = 2000;

  beforeAll(async () => {
    server = await createTestServer();
    const started = performance.now();
    await seedDatabase(server.ctx, 'load', loadCases, recordingLogger().log);
    console.info(`demo + ${loadCases} load cases seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  afterAll(async () => server?.close());

  it('adds N generated open cases to the demo set, each in the feed', () => {
    expect(count(server, 'SELECT COUNT(*) AS n FROM cases')).toBe(DEMO_CASE_COUNT + loadCases);
    expect(count(server, "SELECT COUNT(*) AS n FROM cases WHERE id >= 'DSP-2' AND status = 'open' AND assignee_id IS NULL")).toBe(loadCases);
    expect(count(server, "SELECT COUNT(DISTINCT entity_id) AS n FROM changes WHERE type = 'case'")).toBe(DEMO_CASE_COUNT + loadCases);
    // The KYT monitor's run over the load adds one row for each case it flagged.
    const flagged = count(server, "SELECT COUNT(DISTINCT case_id) AS n FROM kyt_alerts WHERE case_id >= 'DSP-2'");
    expect(count(server, 'SELECT COUNT(*) AS n FROM changes')).toBe(DEMO_CASE_COUNT + loadCases + flagged);
    expect(checkLedger(server.ctx.db).balanced).toBe(true);
    expect(verifyAuditChain(server.ctx.db).ok).toBe(true);
    expect(count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'seed.load' AND actor = 'system'")).toBe(1);
  });

  it('writes feed rows that /v1/sync serves as what readCaseDetail produces', () => {
    const sample = Array.from({ length: 25 }, (_, index) => `DSP-${FIRST_LOAD_CASE + Math.floor((index * (loadCases - 1)) / 24)}`);
    for (const id of sample) {
      const detail = readCaseDetail(server.ctx.db, id, { now: server.clock.now, fourEyesThresholdUsd: server.ctx.config.fourEyesThresholdUsd });
      expect(latestFeedDetail(server.ctx, id)).toEqual(detail);
      expect(latestFeedVersion(server.ctx, id)).toBe(detail!.version);
    }
  });

  it('generates varied, consistent trades with shared receipts', () => {
    const rows = server.ctx.db
      .prepare(
        `SELECT t.asset, t.amount_minor, t.price, t.fiat_amount_minor, t.fiat_currency, t.payment_method, c.sla_due_at
         FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id >= 'DSP-2'`,
      )
      .safeIntegers(true)
      .all() as { asset: 'BTC'; amount_minor: bigint; price: string; fiat_amount_minor: bigint; fiat_currency: string; payment_method: string; sla_due_at: string }[];
    for (const row of rows) expect(fiatFor(row.amount_minor, row.asset, row.price)).toBe(row.fiat_amount_minor);
    expect(new Set(rows.map((row) => row.asset)).size).toBe(4);
    expect(new Set(rows.map((row) => row.fiat_currency)).size).toBe(7);
    expect(rows.some((row) => Date.parse(row.sla_due_at) < server.clock.now.getTime())).toBe(true);
    const files = count(server, "SELECT COUNT(DISTINCT sha256) AS n FROM case_evidence WHERE case_id >= 'DSP-2'");
    expect(files).toBeLessThan(20);
  });

  it('gives the KYT monitor trades to read: wallets and accounts on every trade, bursts it catches', () => {
    expect(count(server, 'SELECT COUNT(*) AS n FROM trades WHERE deposit_address IS NULL OR payout_address IS NULL OR payout_account IS NULL')).toBe(0);
    const loadAlerts = (rule: string) =>
      count(server, "SELECT COUNT(*) AS n FROM kyt_alerts WHERE rule_id = ? AND party_id >= 'PTY-2'", rule);
    expect(loadAlerts('structuring')).toBeGreaterThan(0);
    expect(loadAlerts('velocity')).toBeGreaterThan(0);
    // Ordinary load parties trade about twice in the period: the monitor flags few of the load cases.
    expect(count(server, "SELECT COUNT(DISTINCT case_id) AS n FROM kyt_alerts WHERE case_id >= 'DSP-2'")).toBeLessThan(loadCases / 50);
    expect(count(server, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'kyt.alert_raised'")).toBe(count(server, 'SELECT COUNT(*) AS n FROM kyt_alerts'));
  });

  it('does nothing on a second run', async () => {
    const before = tableCounts(server);
    await seedDatabase(server.ctx, 'load', loadCases, recordingLogger().log);
    expect(tableCounts(server)).toEqual(before);
  });
});

describe('interrupted load seed', () => {
  const servers: TestServer[] = [];
  afterAll(async () => Promise.all(servers.map((server) => server.close())));

  it('carries on where it stopped and ends with the same data as an uninterrupted run', async () => {
    const whole = await createTestServer();
    const interrupted = await createTestServer();
    servers.push(whole, interrupted);
    seedLoadCases(whole.ctx, 30, recordingLogger().log, 10);

    let batches = 0;
    const crashing = {
      ...interrupted.ctx,
      write<T>(work: () => T): T {
        if (++batches === 3) throw new Error('power cut');
        return interrupted.ctx.write(work);
      },
    };
    expect(() => seedLoadCases(crashing, 30, recordingLogger().log, 10)).toThrow('power cut');
    expect(count(interrupted, 'SELECT COUNT(*) AS n FROM cases')).toBe(20);
    interrupted.clock.advance(3_600_000);
    seedLoadCases(interrupted.ctx, 30, recordingLogger().log, 10);

    const feed = (server: TestServer) =>
      (server.ctx.db.prepare('SELECT entity_id, version FROM changes ORDER BY seq').all() as { entity_id: string; version: number }[]);
    expect(feed(interrupted)).toEqual(feed(whole));
    expect(checkLedger(interrupted.ctx.db).balanced).toBe(true);
  });
});
