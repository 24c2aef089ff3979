// Four-eyes against an insider (issue #11): a supervisor who issued the proposer's credentials (created the
// account or reset its 2FA, so the invitation came back to them) may not approve the proposal, nor may a
// supervisor whose own credentials came from that same supervisor. Otherwise one person enrols as the agent,
// proposes, and approves: four eyes become two.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveVerdict } from '../../electron/server/cases/approval';
import { ApiError } from '../../electron/server/errors';
import { addCase, addUser, bearer, createTestServer, freshCode, type TestServer, type TestUser } from './harness';
import { enrol, postJson } from './fixtures/auth-api';
import { approve, claim, escrowOf, expectConsistent, FOUR_EYES_TRADE, postVerdict, verdictInput } from './fixtures/case-api';

let server: TestServer;
let supervisor: TestUser;
let otherSupervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  supervisor = addUser(server.ctx, 'supervisor');
  otherSupervisor = addUser(server.ctx, 'supervisor');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const asUser = (user: TestUser) => bearer(user) as Record<string, string>;

/** Redeems an invitation as whoever holds it (here: the supervisor it came back to) and signs in. */
async function enrolAs(account: { id: string; username: string; role: TestUser['role'] }, invitation: string) {
  const password = `${account.username}-taken-over-password`;
  const enrolled = await enrol(server, { id: account.id, username: account.username, password, invitation });
  const user: TestUser = { ...account, password, totpSecret: enrolled.secret, token: enrolled.accessToken };
  return user;
}

/** `actor` creates an agent through the API and enrols as them with the invitation they got back. */
async function agentCreatedBy(actor: TestUser, username: string): Promise<TestUser> {
  const created = await postJson(
    server,
    '/v1/accounts',
    { username, displayName: `Agent ${username}`, role: 'agent', totp: freshCode(server, actor) },
    asUser(actor),
  );
  expect(created.status).toBe(201);
  const { account, invitation } = created.body as { account: { id: string }; invitation: { token: string } };
  return enrolAs({ id: account.id, username, role: 'agent' }, invitation.token);
}

/** `actor` resets `target`'s 2FA through the API and enrols as them with the new invitation. */
async function takenOverBy(actor: TestUser, target: TestUser): Promise<TestUser> {
  const reset = await postJson(server, `/v1/accounts/${target.id}/totp-reset`, { totp: freshCode(server, actor) }, asUser(actor));
  expect(reset.status).toBe(200);
  const { invitation } = reset.body as { invitation: { token: string } };
  return enrolAs(target, invitation.token);
}

async function proposalBy(agent: TestUser): Promise<string> {
  const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
  expect((await claim(server, agent, caseId)).status).toBe(200);
  const proposed = await postVerdict(server, agent, caseId, verdictInput(server, agent));
  expect(proposed.body.case.status).toBe('pending_approval');
  return caseId;
}

const expectRefused = (answer: { status: number; body: { error?: { code: string; message: string } } }) =>
  expect(answer).toMatchObject({ status: 403, body: { error: { code: 'issuer_may_not_approve', message: expect.any(String) } } });

describe('approving a proposal by an agent whose credentials the approver issued', () => {
  it('is refused for the supervisor who created the account: the escrow stays held; another supervisor approves', async () => {
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposalBy(agent);

    const refused = await approve(server, supervisor, caseId);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/you created their account or reset their two-step sign-in/);
    expect(escrowOf(server, caseId)).toMatchObject({ state: 'held' });

    const approved = await approve(server, otherSupervisor, caseId);
    expect(approved.status).toBe(200);
    expect(approved.body.case.status).toBe('resolved');
  });

  it('is refused for the supervisor who reset the agent’s 2FA, and the refusal leaves their code unspent', async () => {
    const agent = await takenOverBy(supervisor, addUser(server.ctx, 'agent'));
    const caseId = await proposalBy(agent);

    const code = freshCode(server, supervisor);
    expectRefused(await approve(server, supervisor, caseId, code));
    // The code was not spent: the refusal came before the step-up, so it still works elsewhere.
    const other = await proposalBy(addUser(server.ctx, 'agent'));
    expect((await approve(server, supervisor, other, code)).status).toBe(200);
  });

  it('is refused inside the write too (the conditional UPDATE), not only by the route’s check', async () => {
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposalBy(agent);

    let thrown: unknown;
    try {
      server.ctx.write(() => approveVerdict(server.ctx, supervisor, caseId));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).code).toBe('issuer_may_not_approve');
    expect(escrowOf(server, caseId)).toMatchObject({ state: 'held' });
    const verdict = server.ctx.db.prepare('SELECT state FROM verdicts WHERE case_id = ?').get(caseId);
    expect(verdict).toEqual({ state: 'proposed' });
  });

  it('a supervisor who took over a second supervisor cannot approve as them a proposal of an agent they issued', async () => {
    const secondSelf = await takenOverBy(supervisor, otherSupervisor);
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposalBy(agent);

    const refused = await approve(server, secondSelf, caseId);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/The supervisor who issued your sign-in also issued/);

    const independent = addUser(server.ctx, 'supervisor');
    expect((await approve(server, independent, caseId)).status).toBe(200);
  });

  it('an agent nobody issued (or another supervisor issued) is approved as before', async () => {
    const agent = await agentCreatedBy(otherSupervisor, 'nadia');
    const caseId = await proposalBy(agent);
    expect((await approve(server, supervisor, caseId)).status).toBe(200);
  });
});
