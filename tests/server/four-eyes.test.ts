// The supervisor's side of four-eyes (issue #9): GET /v1/users (whom a case can be reassigned to), every
// bad reassignment as a clear error, and the optional Idempotency-Key of approve, reject and reassign (a
// repeat answers the stored response and nothing happens twice; a refused step-up stores nothing).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCase, addUser, createTestServer, freshCode, type TestServer, type TestUser } from './harness';
import {
  call,
  claim,
  escrowOf,
  expectConsistent,
  footprint,
  FOUR_EYES_TRADE,
  postVerdict,
  verdictInput,
} from './fixtures/case-api';

let server: TestServer;
let agent: TestUser;
let otherAgent: TestUser;
let compliance: TestUser;
let supervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
  otherAgent = addUser(server.ctx, 'agent');
  compliance = addUser(server.ctx, 'compliance');
  supervisor = addUser(server.ctx, 'supervisor');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const auditCount = (action: string) =>
  (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

/** A four-eyes case that `agent` claimed and proposed a release on: pending approval. */
async function proposal(): Promise<string> {
  const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
  await claim(server, agent, caseId);
  const proposed = await postVerdict(server, agent, caseId, verdictInput(server, agent));
  expect(proposed.body.case.status).toBe('pending_approval');
  return caseId;
}

const withKey = (key: string) => ({ 'idempotency-key': key });

describe('GET /v1/users', () => {
  it('lists the agents with the cases they hold that are not resolved, and never a service account', async () => {
    const held = addCase(server.ctx);
    await claim(server, agent, held);
    await proposal();
    const decided = addCase(server.ctx);
    await claim(server, otherAgent, decided);
    await postVerdict(server, otherAgent, decided, verdictInput(server, otherAgent));

    const answer = await call(server, supervisor, 'GET', '/v1/users?role=agent');

    expect(answer.status).toBe(200);
    const users = answer.body.users as Array<{ id: string; role: string; openCases: number }>;
    expect(users.every((user) => user.role === 'agent')).toBe(true);
    expect(users.find((user) => user.id === agent.id)).toEqual({
      id: agent.id,
      username: agent.username,
      displayName: `Test ${agent.username}`,
      role: 'agent',
      // The case in review and the proposal waiting for approval; not the other agent's decided one.
      openCases: 2,
    });
    expect(users.find((user) => user.id === otherAgent.id)?.openCases).toBe(0);
    const everyone = (await call(server, supervisor, 'GET', '/v1/users')).body.users as Array<{ id: string }>;
    expect(everyone.map((user) => user.id)).toEqual(expect.arrayContaining([agent.id, compliance.id, supervisor.id]));
    expect(everyone.map((user) => user.id)).not.toContain('USR-kyt-monitor');
  });

  it('is for supervisors only, and refuses an unknown role', async () => {
    for (const user of [agent, compliance]) {
      expect((await call(server, user, 'GET', '/v1/users?role=agent')).body.error.code).toBe('forbidden');
    }
    expect(await call(server, supervisor, 'GET', '/v1/users?role=boss')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request' } },
    });
  });
});

describe('POST /v1/cases/{id}/reassign refuses every bad input clearly, and changes nothing', () => {
  it('names what is wrong: no reason, an unknown user, a service account, a non-agent, the same holder, a decided case', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const url = `/v1/cases/${caseId}/reassign`;
    const before = footprint(server);
    const refusals: Array<[unknown, number, string, string]> = [
      [{ assigneeId: otherAgent.id }, 400, 'invalid_request', 'reason: Give the reason for the reassignment.'],
      [{ assigneeId: otherAgent.id, reason: '   ' }, 400, 'invalid_request', 'reason: Give the reason for the reassignment.'],
      [{ reason: 'Shift change.' }, 400, 'invalid_request', 'assigneeId: Give the id of the agent who is to hold the case.'],
      [{ assigneeId: 'USR-nobody', reason: 'x' }, 400, 'invalid_request', 'assigneeId: there is no agent with the id USR-nobody.'],
      [{ assigneeId: 'USR-kyt-monitor', reason: 'x' }, 400, 'invalid_request', 'assigneeId: there is no agent with the id USR-kyt-monitor.'],
      [
        { assigneeId: supervisor.id, reason: 'x' },
        400,
        'invalid_request',
        `assigneeId: Test ${supervisor.username} is a supervisor; only agents hold cases.`,
      ],
      [
        { assigneeId: compliance.id, reason: 'x' },
        400,
        'invalid_request',
        `assigneeId: Test ${compliance.username} is a compliance reviewer; only agents hold cases.`,
      ],
      [{ assigneeId: agent.id, reason: 'x' }, 409, 'already_assigned', `Test ${agent.username} already holds this case: choose another agent.`],
    ];
    for (const [body, status, code, message] of refusals) {
      expect(await call(server, supervisor, 'POST', url, body), JSON.stringify(body)).toMatchObject({
        status,
        body: { error: { code, message } },
      });
    }
    expect(footprint(server)).toEqual(before);

    await postVerdict(server, agent, caseId, verdictInput(server, agent));
    expect(await call(server, supervisor, 'POST', url, { assigneeId: otherAgent.id, reason: 'x' })).toMatchObject({
      status: 409,
      body: { error: { code: 'case_already_resolved' } },
    });
  });

  it('a case pending approval can change hands: a send-back then goes to the new holder', async () => {
    const caseId = await proposal();
    const moved = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, {
      assigneeId: otherAgent.id,
      reason: 'Ana is on leave.',
    });
    expect(moved.body).toMatchObject({ status: 'pending_approval', assignee: { id: otherAgent.id } });
    const sentBack = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/reject`, {
      reason: 'Ask for the statement.',
      totp: freshCode(server, supervisor),
    });
    expect(sentBack.body.case).toMatchObject({ status: 'in_review', assignee: { id: otherAgent.id } });
  });
});

describe('the optional Idempotency-Key of approve, reject and reassign', () => {
  it('an approval repeated under its key answers the stored response and moves the escrow once', async () => {
    const caseId = await proposal();
    const body = { totp: freshCode(server, supervisor) };
    const first = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/approve`, body, withKey('approve-1'));
    expect(first.status).toBe(200);
    expect(first.body.verdict).toMatchObject({ state: 'executed', approvedBy: { id: supervisor.id } });
    const before = footprint(server);

    const again = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/approve`, body, withKey('approve-1'));

    expect(again).toEqual(first);
    expect(footprint(server)).toEqual(before);
    expect(escrowOf(server, caseId).state).toBe('released');
    expect(auditCount('verdict.approved')).toBe(1);
    // The same key for another request is refused; a new key on the decided case is 409.
    const other = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/approve`, { totp: '000000' }, withKey('approve-1'));
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
    const fresh = await call(
      server,
      supervisor,
      'POST',
      `/v1/cases/${caseId}/verdict/approve`,
      { totp: freshCode(server, supervisor) },
      withKey('approve-2'),
    );
    expect(fresh).toMatchObject({ status: 409, body: { error: { code: 'case_already_resolved' } } });
  });

  it('an approval with a used code stores nothing: the same key goes again with a fresh code', async () => {
    const first = await proposal();
    const second = await proposal();
    const code = freshCode(server, supervisor);
    expect((await call(server, supervisor, 'POST', `/v1/cases/${first}/verdict/approve`, { totp: code })).status).toBe(200);
    const before = footprint(server);

    const replayed = await call(server, supervisor, 'POST', `/v1/cases/${second}/verdict/approve`, { totp: code }, withKey('approve-k'));

    expect(replayed).toMatchObject({ status: 403, body: { error: { code: 'totp_replayed' } } });
    expect(footprint(server)).toEqual(before);
    const retried = await call(
      server,
      supervisor,
      'POST',
      `/v1/cases/${second}/verdict/approve`,
      { totp: freshCode(server, supervisor) },
      withKey('approve-k'),
    );
    expect(retried.status).toBe(200);
    expect(escrowOf(server, second).state).toBe('released');
  });

  it('a send-back repeated under its key is answered again and recorded once; a blank reason is refused by name', async () => {
    const caseId = await proposal();
    const body = { reason: 'The receipt is cropped: ask for the full statement.', totp: freshCode(server, supervisor) };
    const first = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/reject`, body, withKey('reject-1'));
    expect(first.body.verdict).toMatchObject({
      state: 'rejected',
      rejectedBy: { id: supervisor.id },
      rejectReason: 'The receipt is cropped: ask for the full statement.',
    });
    expect(first.body.case).toMatchObject({ status: 'in_review', assignee: { id: agent.id } });
    const again = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/reject`, body, withKey('reject-1'));
    expect(again).toEqual(first);
    expect(auditCount('verdict.rejected')).toBe(1);
    expect(escrowOf(server, caseId).state).toBe('held');
    const blank = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/verdict/reject`, {
      reason: ' ',
      totp: freshCode(server, supervisor),
    });
    expect(blank).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'reason: Give the reason for sending it back.' } },
    });
  });

  it('a reassignment repeated under its key answers the stored case; a refused one stores nothing', async () => {
    const caseId = addCase(server.ctx);
    const url = `/v1/cases/${caseId}/reassign`;
    const refused = await call(server, supervisor, 'POST', url, { assigneeId: supervisor.id, reason: 'x' }, withKey('re-0'));
    expect(refused.status).toBe(400);
    const body = { assigneeId: agent.id, reason: 'Shift change.' };
    const first = await call(server, supervisor, 'POST', url, body, withKey('re-1'));
    expect(first.body).toMatchObject({ assignee: { id: agent.id } });
    const before = footprint(server);
    expect(await call(server, supervisor, 'POST', url, body, withKey('re-1'))).toEqual(first);
    expect(footprint(server)).toEqual(before);
    expect(auditCount('case.reassigned')).toBe(1);
    // Without a key the same request says what it would change: nothing, the agent holds it already.
    expect((await call(server, supervisor, 'POST', url, body)).body.error.code).toBe('already_assigned');
  });
});
