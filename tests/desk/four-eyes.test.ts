// The supervisor's side of the desk against the real platform server on a loopback port (issue #9):
// approvals, send-backs and reassignments are outbox commands, on disk before they are sent and retried
// under the same Idempotency-Key (the server applies each once); an approval or a send-back whose code went
// stale waits for a fresh one and goes again under its key; the list of agents is read live; other roles
// are refused in the desk with a readable message, before anything reaches the outbox.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../electron/desk/outbox/store';
import { userHandlers } from '../../electron/desk/users/handlers';
import { addCase, addUser, advanceSignedIn, freshCode, tempDir, type TestUser } from '../server/harness';
import { call, claim, escrowOf, expectConsistent, FOUR_EYES_TRADE, postVerdict, verdictInput } from '../server/fixtures/case-api';
import { outboxDesks, startPlatform, type Platform, type TestDesk } from './outbox-harness';

let platform: Platform;
let dataDir: string;
let sofia: TestUser;
let otherSupervisor: TestUser;
let ana: TestUser;
let bruno: TestUser;
// As the desk service does: every input is checked against its channel's schema before a handler runs.
const desks = outboxDesks((desk) => userHandlers({ api: desk.api, session: desk.session }));
const deskFor = (user: TestUser, dir = dataDir) => desks.open(platform, user, dir);

const requestsTo = (method: string, urlPath: string) =>
  platform.proxy.requests.filter((r) => r.method === method && r.path === urlPath);

const auditCount = (action: string) =>
  (platform.server.ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

/** A code of `user`'s that the server refuses: the current one with its last digit changed. */
function wrongCode(user: TestUser): string {
  const code = freshCode(platform.server, user);
  return code.slice(0, 5) + String((Number(code[5]) + 5) % 10);
}

/** A four-eyes case that ana claimed and proposed a release on, straight on the server: pending approval. */
async function proposal(): Promise<string> {
  const caseId = addCase(platform.server.ctx, FOUR_EYES_TRADE);
  await claim(platform.server, ana, caseId);
  const proposed = await postVerdict(platform.server, ana, caseId, verdictInput(platform.server, ana));
  expect(proposed.body.case.status).toBe('pending_approval');
  return caseId;
}

/** The case as the desk's cache holds it. */
function cachedCase(desk: TestDesk, caseId: string) {
  const row = desk.ctx.db
    .prepare('SELECT d.detail FROM case_details d JOIN cases c ON c.row_id = d.row_id WHERE c.id = ?')
    .get(caseId) as { detail: string } | undefined;
  return row ? (JSON.parse(row.detail) as { status: string; assignee: { id: string } | null; verdict: unknown }) : null;
}

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-four-eyes-');
  sofia = addUser(platform.server.ctx, 'supervisor');
  otherSupervisor = addUser(platform.server.ctx, 'supervisor');
  ana = addUser(platform.server.ctx, 'agent');
  bruno = addUser(platform.server.ctx, 'agent');
});

afterEach(async () => {
  await desks.closeAll();
  expectConsistent(platform.server);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('approving a proposal', () => {
  it('writes the approval to disk before sending it with its key, confirms it and caches the released case', async () => {
    const caseId = await proposal();
    const { desk, handlers } = await deskFor(sofia);
    const onDiskWhenSent: unknown[] = [];
    platform.proxy.onRequest = (request) => {
      if (request.path.endsWith('/verdict/approve'))
        onDiskWhenSent.push(
          desk.ctx.own.prepare('SELECT kind, state FROM outbox WHERE idempotency_key = ?').get(request.headers['idempotency-key']),
        );
    };

    const entry = await handlers['case.approve']!({ caseId, totp: freshCode(platform.server, sofia) });

    expect(entry).toMatchObject({ kind: 'approve', caseId, state: 'confirmed', attempts: 1 });
    expect(onDiskWhenSent).toEqual([{ kind: 'approve', state: 'pending' }]);
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    expect(cachedCase(desk, caseId)).toMatchObject({ status: 'resolved', verdict: { state: 'executed', approvedBy: { id: sofia.id } } });
    // The code does not outlive its command on disk.
    expect(JSON.parse(findCommand(desk.ctx.own, entry.id)!.payload)).toEqual({ totp: null });
  });

  it('an approval whose answer was lost goes again under the same key; the escrow moves once', async () => {
    const caseId = await proposal();
    const { desk, handlers } = await deskFor(sofia);
    platform.proxy.loseAnswers(1);

    const entry = await handlers['case.approve']!({ caseId, totp: freshCode(platform.server, sofia) });
    expect(entry).toMatchObject({ state: 'pending', error: { code: 'offline' } });
    const settled = await desk.nextEvent('outbox.changed', (e) => e.id === entry.id && e.state !== 'pending');

    expect(settled).toMatchObject({ state: 'confirmed', attempts: 2 });
    const sent = requestsTo('POST', `/v1/cases/${caseId}/verdict/approve`);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
    expect(auditCount('verdict.approved')).toBe(1);
  });

  it('an approval whose answer was lost and that goes again days later, after the server dropped the answer, is confirmed', async () => {
    const caseId = await proposal();
    const { desk, handlers } = await deskFor(sofia);
    platform.proxy.loseAnswers(1);
    // The retry reaches the server after a long weekend, when the retention job has dropped the stored answer.
    let retries = 0;
    platform.proxy.onRequest = (request) => {
      if (request.path !== `/v1/cases/${caseId}/verdict/approve` || retries++ !== 1) return;
      advanceSignedIn(platform.server, 3 * 24 * 60 * 60 * 1000);
      platform.server.retention.runNow();
    };

    const entry = await handlers['case.approve']!({ caseId, totp: freshCode(platform.server, sofia) });
    expect(entry).toMatchObject({ state: 'pending', error: { code: 'offline' } });
    const settled = await desk.nextEvent('outbox.changed', (e) => e.id === entry.id && e.state !== 'pending');

    expect(settled).toMatchObject({ state: 'confirmed', attempts: 2, error: null });
    expect(requestsTo('POST', `/v1/cases/${caseId}/verdict/approve`)).toHaveLength(2);
    expect(auditCount('verdict.approved')).toBe(1);
  });

  it('an approval whose code was refused waits for a fresh code, then goes again under the same key', async () => {
    const caseId = await proposal();
    const { desk, handlers } = await deskFor(sofia);

    const entry = await handlers['case.approve']!({ caseId, totp: wrongCode(sofia) });
    expect(entry).toMatchObject({ kind: 'approve', state: 'needs_code', error: { code: 'invalid_totp' } });
    expect(JSON.parse(findCommand(desk.ctx.own, entry.id)!.payload)).toEqual({ totp: null });
    expect(escrowOf(platform.server, caseId).state).toBe('held');
    // While it waits, a send-back on the same proposal is refused rather than raced.
    await expect(
      handlers['case.sendBack']!({ caseId, reason: 'again', totp: freshCode(platform.server, sofia) }),
    ).rejects.toMatchObject({ code: 'verdict_in_outbox', message: 'Your decision on this proposal is waiting for a fresh authentication code.' });

    const again = await handlers['case.approvalCode']!({ commandId: entry.id, totp: freshCode(platform.server, sofia) });

    expect(again).toMatchObject({ id: entry.id, state: 'confirmed' });
    const sent = requestsTo('POST', `/v1/cases/${caseId}/verdict/approve`);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers['idempotency-key']).toBe(sent[0]?.headers['idempotency-key']);
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    await expect(handlers['case.approvalCode']!({ commandId: entry.id, totp: '123456' })).rejects.toMatchObject({
      code: 'not_waiting_for_code',
    });
  });

  it('a proposal another supervisor decided first fails for good with the reason', async () => {
    const caseId = await proposal();
    const approved = await call(platform.server, otherSupervisor, 'POST', `/v1/cases/${caseId}/verdict/approve`, {
      totp: freshCode(platform.server, otherSupervisor),
    });
    expect(approved.status).toBe(200);
    const { handlers } = await deskFor(sofia);

    const entry = await handlers['case.approve']!({ caseId, totp: freshCode(platform.server, sofia) });

    expect(entry).toMatchObject({ state: 'failed', error: { code: 'case_already_resolved' } });
    expect(entry.error?.message).toBe(
      'The approval was not applied: the case was already decided (by another agent or another desk) and its escrow has moved.',
    );
  });
});

describe('sending a proposal back', () => {
  it('goes with the reason and a fresh code; the case returns to its agent in review, nothing moves', async () => {
    const caseId = await proposal();
    const { desk, handlers } = await deskFor(sofia);

    const entry = await handlers['case.sendBack']!({
      caseId,
      reason: 'The receipt is cropped: ask for the full statement.',
      totp: freshCode(platform.server, sofia),
    });

    expect(entry).toMatchObject({ kind: 'send_back', state: 'confirmed' });
    expect(requestsTo('POST', `/v1/cases/${caseId}/verdict/reject`)[0]?.headers['idempotency-key']).toBeDefined();
    expect(escrowOf(platform.server, caseId).state).toBe('held');
    expect(cachedCase(desk, caseId)).toMatchObject({
      status: 'in_review',
      assignee: { id: ana.id },
      verdict: { state: 'rejected', rejectedBy: { id: sofia.id }, rejectReason: 'The receipt is cropped: ask for the full statement.' },
    });
    // The agent may decide again.
    expect((await postVerdict(platform.server, ana, caseId, verdictInput(platform.server, ana))).body.case.status).toBe(
      'pending_approval',
    );
  });

  it('a send-back whose code was already used waits for a fresh code (the stale-code path of verdicts)', async () => {
    const caseId = await proposal();
    const { handlers } = await deskFor(sofia);
    const code = freshCode(platform.server, sofia);
    const other = await proposal();
    expect((await call(platform.server, sofia, 'POST', `/v1/cases/${other}/verdict/approve`, { totp: code })).status).toBe(200);

    const entry = await handlers['case.sendBack']!({ caseId, reason: 'Ask for the statement.', totp: code });
    expect(entry).toMatchObject({ state: 'needs_code' });
    expect(['invalid_totp', 'totp_replayed']).toContain(entry.error?.code);

    const again = await handlers['case.approvalCode']!({ commandId: entry.id, totp: freshCode(platform.server, sofia) });
    expect(again).toMatchObject({ state: 'confirmed' });
    expect(auditCount('verdict.rejected')).toBe(1);
  });
});

describe('reassigning', () => {
  it('lists the agents live with their open cases, then hands a case over through the outbox', async () => {
    const caseId = addCase(platform.server.ctx);
    await claim(platform.server, ana, caseId);
    const { desk, handlers } = await deskFor(sofia);

    const agents = await handlers['users.agents']!(undefined);
    expect(agents.map((agent) => agent.id)).toEqual(expect.arrayContaining([ana.id, bruno.id]));
    expect(agents.every((agent) => agent.role === 'agent')).toBe(true);
    expect(agents.find((agent) => agent.id === ana.id)?.openCases).toBe(1);

    const entry = await handlers['case.reassign']!({ caseId, assigneeId: bruno.id, reason: 'Ana is on leave.' });

    expect(entry).toMatchObject({ kind: 'reassign', state: 'confirmed' });
    expect(requestsTo('POST', `/v1/cases/${caseId}/reassign`)[0]?.headers['idempotency-key']).toBeDefined();
    expect(cachedCase(desk, caseId)).toMatchObject({ assignee: { id: bruno.id } });
    expect((await handlers['users.agents']!(undefined)).find((agent) => agent.id === bruno.id)?.openCases).toBe(1);
  });

  it('a reassignment to the agent who holds the case fails for good with the reason', async () => {
    const caseId = addCase(platform.server.ctx);
    await claim(platform.server, ana, caseId);
    const { handlers } = await deskFor(sofia);

    const entry = await handlers['case.reassign']!({ caseId, assigneeId: ana.id, reason: 'Shift change.' });

    expect(entry).toMatchObject({ state: 'failed', error: { code: 'already_assigned' } });
    expect(entry.error?.message).toBe('The reassignment was not applied: that agent already holds this case.');
  });
});

describe('roles and input', () => {
  it('refuses approvals, send-backs, reassignments and the agent list to an agent in the desk, before the outbox', async () => {
    const caseId = await proposal();
    const agentDir = path.join(dataDir, 'agent');
    fs.mkdirSync(agentDir);
    const { desk, handlers } = await deskFor(bruno, agentDir);
    const refusals = [
      handlers['case.approve']!({ caseId, totp: '123456' }),
      handlers['case.sendBack']!({ caseId, reason: 'no', totp: '123456' }),
      handlers['case.reassign']!({ caseId, assigneeId: bruno.id, reason: 'mine' }),
      handlers['users.agents']!(undefined),
    ];
    for (const refusal of refusals) {
      await expect(refusal).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Only supervisors can /) });
    }
    expect(desk.ctx.own.prepare('SELECT COUNT(*) AS n FROM outbox').get()).toEqual({ n: 0 });
    expect(platform.proxy.requests.filter((r) => r.path.includes('/verdict/') || r.path.endsWith('/reassign') || r.path.startsWith('/v1/users'))).toEqual([]);
  });

  it('words bad input readably', async () => {
    const { handlers } = await deskFor(sofia);
    await expect(handlers['case.approve']!({ caseId: 'DSP-1', totp: '12' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'totp: The authentication code is 6 digits.',
    });
    await expect(handlers['case.sendBack']!({ caseId: 'DSP-1', reason: '  ', totp: '123456' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(handlers['case.reassign']!({ caseId: 'DSP-1', assigneeId: '../me', reason: 'x' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'assigneeId: Not a user id',
    });
  });

  it('the proposer is refused for good, in words that say why', async () => {
    // Odd data: a supervisor who proposed (the server refuses the proposer whatever their role).
    const caseId = await proposal();
    platform.server.ctx.db.prepare('UPDATE verdicts SET proposed_by = ? WHERE case_id = ?').run(sofia.id, caseId);
    const { handlers } = await deskFor(sofia);

    const entry = await handlers['case.approve']!({ caseId, totp: freshCode(platform.server, sofia) });

    expect(entry).toMatchObject({ state: 'failed', error: { code: 'forbidden' } });
    expect(entry.error?.message).toBe('The approval was not applied: you proposed this verdict; another supervisor must approve it.');
    expect(escrowOf(platform.server, caseId).state).toBe('held');
  });
});
