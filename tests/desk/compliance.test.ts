// The compliance reviewer's side of the desk against the real platform server on a loopback port: holds,
// hold lifts and KYT alert decisions are outbox commands, on disk before they are sent and retried under
// the same Idempotency-Key (the server applies each once); a lift whose code went stale asks for a fresh
// one and goes again under its key; the alert views read the server live; other roles are refused in the
// desk with a readable message, before anything reaches the outbox.
//
// The tests marked "(routes of the KYT review)" need GET /v1/kyt/alerts/:id, POST /v1/kyt/alerts/:id/assign,
// report decisions and GET /v1/reports/:id on the server: they skip, saying so, where it lacks them.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { kytHandlers } from '../../electron/desk/kyt/handlers';
import { findCommand, insertCommand } from '../../electron/desk/outbox/store';
import type { OutboxEntry } from '../../shared/desk-api/schemas';
import { addAlert, addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { call, escrowOf, expectConsistent } from '../server/fixtures/case-api';
import { outboxDesks, startPlatform, type Platform } from './outbox-harness';

let platform: Platform;
let dataDir: string;
let carla: TestUser;
let ana: TestUser;
let caseId: string;
const desks = outboxDesks((desk, outbox) =>
  kytHandlers({
    api: desk.api,
    session: desk.session,
    outboxOfAlert: (alertId) => outbox.entriesOfAlert(alertId),
    outboxOfCase: (id) => outbox.entriesOfCase(id),
  }),
);

/** A desk with its outbox and the KYT review handlers, signed in as `user`. */
const deskFor = (user: TestUser, dir = dataDir) => desks.open(platform, user, dir);

const auditCount = (action: string, subject?: string) =>
  (
    platform.server.ctx.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = ? ${subject ? 'AND subject = ?' : ''}`)
      .get(...(subject ? [action, subject] : [action])) as { n: number }
  ).n;

const requestsTo = (method: string, path: string) =>
  platform.proxy.requests.filter((r) => r.method === method && r.path === path);

/** A code of carla's that the server refuses: the current one with its last digit changed. */
function wrongCode(): string {
  const code = freshCode(platform.server, carla);
  return code.slice(0, 5) + String((Number(code[5]) + 5) % 10);
}

/** The KYT review routes (alert detail, assignment, reports): skipped, with the reason, where missing. */
function needsReviewRoutes(context: TestContext): void {
  const app = platform.server.app;
  const present =
    app.hasRoute({ method: 'GET', url: '/v1/kyt/alerts/:id' }) &&
    app.hasRoute({ method: 'POST', url: '/v1/kyt/alerts/:id/assign' }) &&
    app.hasRoute({ method: 'GET', url: '/v1/reports/:id' });
  if (!present) context.skip('the server lacks the KYT review routes (alert detail, assign, reports)');
}

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-compliance-');
  carla = addUser(platform.server.ctx, 'compliance');
  ana = addUser(platform.server.ctx, 'agent');
  caseId = addCase(platform.server.ctx);
});

afterEach(async () => {
  await desks.closeAll();
  expectConsistent(platform.server);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('holds', () => {
  it('writes a hold to disk before sending it with its key, then confirms it and caches the held case', async () => {
    const { desk, handlers } = await deskFor(carla);
    const onDiskWhenSent: unknown[] = [];
    platform.proxy.onRequest = (request) => {
      const key = request.headers['idempotency-key'];
      if (request.path.endsWith('/hold'))
        onDiskWhenSent.push(desk.ctx.own.prepare('SELECT kind, state FROM outbox WHERE idempotency_key = ?').get(key));
    };

    const entry = await handlers['case.placeHold']!({ caseId, reason: 'KYT alert under review' });

    expect(entry).toMatchObject({ kind: 'hold', caseId, alertId: null, state: 'confirmed', attempts: 1 });
    expect(onDiskWhenSent).toEqual([{ kind: 'hold', state: 'pending' }]);
    expect(escrowOf(platform.server, caseId)).toMatchObject({ state: 'held', hold_reason: 'KYT alert under review' });
    const cached = desk.ctx.db
      .prepare('SELECT d.detail FROM case_details d JOIN cases c ON c.row_id = d.row_id WHERE c.id = ?')
      .get(caseId) as { detail: string };
    expect(JSON.parse(cached.detail).escrow.hold).toMatchObject({ reason: 'KYT alert under review' });
    expect(desk.events).toContainEqual({ event: 'cases.changed', payload: { caseIds: [caseId] } });
  });

  it('a hold whose answer was lost goes again under the same key and the server holds the escrow once', async () => {
    const { desk, handlers } = await deskFor(carla);
    platform.proxy.loseAnswers(1);

    const entry = await handlers['case.placeHold']!({ caseId, reason: 'Structuring pattern' });
    expect(entry).toMatchObject({ state: 'pending', error: { code: 'offline' } });
    const confirmed = await desk.nextEvent('outbox.changed', (e) => e.id === entry.id && e.state === 'confirmed');

    expect(confirmed.attempts).toBe(2);
    const sent = requestsTo('POST', `/v1/cases/${caseId}/hold`);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.headers['idempotency-key']).toBeDefined();
    expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
    expect(auditCount('escrow.hold_placed')).toBe(1);
  });

  it('a hold command written before a crash is sent after the restart, once', async () => {
    const first = await deskFor(carla);
    insertCommand(first.desk.ctx.own, {
      id: 'cmd-hold',
      userId: carla.id,
      kind: 'hold',
      caseId,
      idempotencyKey: 'key-hold-0001',
      payload: { reason: 'Sanctions screening hit' },
      at: new Date().toISOString(),
    });
    first.desk.close();

    const second = await deskFor(carla);
    await second.outbox.resume();

    expect(findCommand(second.desk.ctx.own, 'cmd-hold')).toMatchObject({ state: 'confirmed', attempts: 1 });
    expect(requestsTo('POST', `/v1/cases/${caseId}/hold`).map((r) => r.headers['idempotency-key'])).toEqual([
      'key-hold-0001',
    ]);
    expect(escrowOf(platform.server, caseId).hold_reason).toBe('Sanctions screening hit');
  });

  it('a lift whose code was refused waits for a fresh code, then goes again under the same key', async () => {
    const { desk, handlers } = await deskFor(carla);
    await handlers['case.placeHold']!({ caseId, reason: 'KYT alert under review' });

    const lift = await handlers['case.liftHold']!({ caseId, reason: 'Source of funds documented', totp: wrongCode() });
    expect(lift).toMatchObject({ kind: 'lift_hold', state: 'needs_code', error: { code: 'invalid_totp' } });
    expect(lift.error?.message).toMatch(/fresh code/);
    // The refused code is wiped from disk; the hold stands.
    expect(JSON.parse(findCommand(desk.ctx.own, lift.id)!.payload)).toMatchObject({ totp: null });
    expect(escrowOf(platform.server, caseId).hold_reason).toBe('KYT alert under review');
    // While it waits, another hold command on the case is refused rather than raced.
    await expect(handlers['case.placeHold']!({ caseId, reason: 'again' })).rejects.toMatchObject({
      code: 'hold_in_outbox',
    });

    const again = await handlers['case.liftHoldCode']!({ commandId: lift.id, totp: freshCode(platform.server, carla) });

    expect(again).toMatchObject({ id: lift.id, state: 'confirmed' });
    const lifts = requestsTo('DELETE', `/v1/cases/${caseId}/hold`);
    expect(lifts).toHaveLength(2);
    expect(lifts[1]?.headers['idempotency-key']).toBe(lifts[0]?.headers['idempotency-key']);
    expect(escrowOf(platform.server, caseId)).toMatchObject({ state: 'held', hold_reason: null });
    expect(auditCount('escrow.hold_lifted')).toBe(1);
    await expect(handlers['case.liftHoldCode']!({ commandId: lift.id, totp: '123456' })).rejects.toMatchObject({
      code: 'not_waiting_for_code',
    });
  });

  it('lifting a hold that is not there fails for good with the reason', async () => {
    const { handlers } = await deskFor(carla);
    const lift = await handlers['case.liftHold']!({ caseId, reason: 'Cleared', totp: freshCode(platform.server, carla) });
    expect(lift).toMatchObject({ state: 'failed', error: { code: 'escrow_not_on_hold' } });
    expect(lift.error?.message).toBe('Lifting the hold was not applied: the escrow is not on hold (someone lifted the hold already).');
  });

  it('a held case refuses the agent’s release end to end: the verdict fails as escrow_on_hold and nothing moves', async () => {
    const reviewer = await deskFor(carla);
    await reviewer.handlers['case.placeHold']!({ caseId, reason: 'KYT alert under review' });
    // A second desk (the agent's machine) on its own cache file, inside this test's folder.
    const agentDir = path.join(dataDir, 'agent');
    fs.mkdirSync(agentDir);
    const agent = await deskFor(ana, agentDir);
    await agent.handlers['case.claim']!({ caseId });

    const verdict = await agent.handlers['case.verdict']!({
      caseId,
      outcome: 'release',
      reasonCode: 'payment_confirmed',
      rationale: 'The statement shows the payment.',
      totp: freshCode(platform.server, ana),
    });

    expect(verdict).toMatchObject({ state: 'failed', error: { code: 'escrow_on_hold' } });
    expect(verdict.error?.message).toMatch(/compliance has put this escrow on hold/);
    expect(escrowOf(platform.server, caseId).state).toBe('held');
  });
});

describe('roles', () => {
  it('refuses KYT alerts, holds and alert decisions to an agent in the desk, before the outbox', async () => {
    const { desk, handlers } = await deskFor(ana);
    const refusals = [
      handlers['kyt.alerts']!({ view: 'open' }),
      handlers['kyt.alert']!({ alertId: 'KYT-1' }),
      handlers['kyt.assign']!({ alertId: 'KYT-1' }),
      handlers['kyt.decide']!({ alertId: 'KYT-1', decision: 'dismiss', reason: 'false positive' }),
      handlers['case.placeHold']!({ caseId, reason: 'no' }),
      handlers['case.liftHold']!({ caseId, reason: 'no', totp: '123456' }),
    ];
    for (const refusal of refusals) {
      await expect(refusal).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Only compliance reviewers can /) });
    }
    expect(desk.ctx.own.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(platform.proxy.requests.filter((r) => r.path.startsWith('/v1/kyt') || r.path.endsWith('/hold'))).toEqual([]);
  });

  it('refuses claims and verdicts to a compliance reviewer in the desk', async () => {
    const { desk, handlers } = await deskFor(carla);
    await expect(handlers['case.claim']!({ caseId })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Only dispute agents can claim cases.',
    });
    await expect(
      handlers['case.verdict']!({
        caseId,
        outcome: 'release',
        reasonCode: 'payment_confirmed',
        rationale: 'x',
        totp: '123456',
      }),
    ).rejects.toMatchObject({ code: 'forbidden', message: 'Only dispute agents can decide verdicts.' });
    expect(desk.ctx.own.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
  });

  it('words bad input readably', async () => {
    const { handlers } = await deskFor(carla);
    await expect(handlers['kyt.decide']!({ alertId: 'KYT-1', decision: 'report', reason: 'Layering' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'narrative: A report needs the narrative for the authorities.',
    });
    await expect(
      handlers['kyt.decide']!({ alertId: 'KYT-1', decision: 'dismiss', reason: 'ok', narrative: 'story' }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: 'narrative: Only a report takes a narrative.' });
    await expect(handlers['kyt.assign']!({ alertId: '../audit' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'alertId: Not an alert id',
    });
    await expect(handlers['case.liftHold']!({ caseId, reason: 'ok', totp: '12' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'totp: The authentication code is 6 digits.',
    });
    await expect(handlers['case.placeHold']!({ caseId, reason: '   ' })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('KYT alerts', () => {
  it('lists the views live from the server, filtered by level', async () => {
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-1');
    const { handlers } = await deskFor(carla);

    const open = await handlers['kyt.alerts']!({ view: 'open' });
    expect(open.items.map((a) => a.id)).toContain(alertId);
    expect(open.truncated).toBe(false);
    expect((await handlers['kyt.alerts']!({ view: 'open', level: 'HIGH' })).items.map((a) => a.id)).toContain(alertId);
    expect((await handlers['kyt.alerts']!({ view: 'open', level: 'LOW' })).items.map((a) => a.id)).not.toContain(alertId);
    expect((await handlers['kyt.alerts']!({ view: 'mine' })).items).toEqual([]);
    expect((await handlers['kyt.alerts']!({ view: 'escalated' })).items.map((a) => a.id)).not.toContain(alertId);
  });

  it('an escalation goes through the outbox with its key and moves the alert to the Escalated view', async () => {
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-2');
    const { desk, handlers } = await deskFor(carla);

    const entry = await handlers['kyt.decide']!({ alertId, decision: 'escalate', reason: 'Needs the MLRO' });

    expect(entry).toMatchObject({ kind: 'alert_decision', alertId, caseId: null, state: 'confirmed' });
    const sent = requestsTo('POST', `/v1/kyt/alerts/${alertId}/decision`);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['idempotency-key']).toBeDefined();
    expect(desk.events).toContainEqual({ event: 'alerts.changed', payload: { alertIds: [alertId] } });
    expect((await handlers['kyt.alerts']!({ view: 'escalated' })).items.map((a) => a.id)).toContain(alertId);
    expect((await handlers['kyt.alerts']!({ view: 'open' })).items.map((a) => a.id)).not.toContain(alertId);
  });

  it('a decision on an alert already decided fails for good with the reason', async () => {
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-3');
    const other = addUser(platform.server.ctx, 'compliance');
    expect(
      (await call(platform.server, other, 'POST', `/v1/kyt/alerts/${alertId}/decision`, { decision: 'dismiss', reason: 'fine' }))
        .status,
    ).toBe(200);
    const { handlers } = await deskFor(carla);

    const entry = await handlers['kyt.decide']!({ alertId, decision: 'escalate', reason: 'Needs the MLRO' });

    expect(entry).toMatchObject({ state: 'failed', error: { code: 'alert_already_decided' } });
    expect(entry.error?.message).toBe(
      'The decision on the alert was not applied: the alert was already decided (by another reviewer or another desk).',
    );
  });

  it('a dismissal whose answer was lost goes again under the same key and is applied once (routes of the KYT review)', async (context) => {
    needsReviewRoutes(context);
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-4');
    const { desk, handlers } = await deskFor(carla);
    platform.proxy.loseAnswers(1);

    const entry = await handlers['kyt.decide']!({ alertId, decision: 'dismiss', reason: 'Known counterparty' });
    const confirmed = await desk.nextEvent('outbox.changed', (e: OutboxEntry) => e.id === entry.id && e.state !== 'pending');

    expect(confirmed).toMatchObject({ state: 'confirmed', attempts: 2 });
    const sent = requestsTo('POST', `/v1/kyt/alerts/${alertId}/decision`);
    expect(sent.map((r) => r.headers['idempotency-key'])).toEqual([sent[0]?.headers['idempotency-key'], sent[0]?.headers['idempotency-key']]);
    expect(auditCount('kyt_alert.dismissed', alertId)).toBe(1);
  });

  it('assigns an alert to the reviewer, who then finds it in Mine with its detail (routes of the KYT review)', async (context) => {
    needsReviewRoutes(context);
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-5');
    const { handlers } = await deskFor(carla);

    const entry = await handlers['kyt.assign']!({ alertId });

    expect(entry).toMatchObject({ kind: 'alert_assign', alertId, state: 'confirmed' });
    expect(requestsTo('POST', `/v1/kyt/alerts/${alertId}/assign`)[0]?.headers['idempotency-key']).toBeDefined();
    expect((await handlers['kyt.alerts']!({ view: 'mine' })).items.map((a) => a.id)).toEqual([alertId]);
    const view = await handlers['kyt.alert']!({ alertId });
    expect(view.alert).toMatchObject({ id: alertId, caseId, assignee: { id: carla.id } });
    expect(view.alert.case?.id).toBe(caseId);
    expect(view.outbox.map((e) => e.kind)).toEqual(['alert_assign']);
  });

  it('reads the rule set for a reviewer and refuses it to an agent (routes of the KYT review)', async (context) => {
    needsReviewRoutes(context);
    const reviewer = await deskFor(carla);
    const { rules } = await reviewer.handlers['kyt.rules']!(undefined);
    expect(rules.length).toBeGreaterThan(0);
    expect(rules[0]).toMatchObject({ id: expect.any(String), version: expect.any(Number), bands: expect.any(Array) });
    const agent = await deskFor(ana, path.join(dataDir, 'agent'));
    await expect(agent.handlers['kyt.rules']!(undefined)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Only compliance reviewers and supervisors can read the KYT rules.',
    });
  });

  it('a report carries its narrative and its PDF and JSON download (routes of the KYT review)', async (context) => {
    needsReviewRoutes(context);
    const alertId = addAlert(platform.server.ctx, caseId, 'KYT-T-6');
    const { handlers } = await deskFor(carla);

    const entry = await handlers['kyt.decide']!({
      alertId,
      decision: 'report',
      reason: 'Funds from a darknet market',
      narrative: 'The seller received funds two hops from a darknet market and sold them within the hour.',
    });
    expect(entry.state).toBe('confirmed');
    const { alert } = await handlers['kyt.alert']!({ alertId });
    expect(alert.status).toBe('reported');
    const reportId = alert.reportId!;

    const pdf = await handlers['kyt.report']!({ reportId, format: 'pdf' });
    expect(pdf).toMatchObject({ fileName: `${reportId}.pdf`, mime: 'application/pdf' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const json = await handlers['kyt.report']!({ reportId, format: 'json' });
    expect(JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8'))).toMatchObject({
      id: reportId,
      alertId,
      narrative: expect.stringMatching(/^The seller received funds/),
    });
  });
});
