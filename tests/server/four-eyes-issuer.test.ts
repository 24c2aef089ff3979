// Four-eyes against an insider (issue #11): a supervisor who issued the proposer's credentials (created the
// account or reset its 2FA, so the invitation came back to them) may not approve the proposal, nor may a
// supervisor whose own credentials came from that same supervisor. Otherwise one person enrols as the agent,
// proposes, and approves: four eyes become two. The longer chains (a supervisor enrolled as a second one who
// enrolled the agent) are in four-eyes-chain.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveVerdict } from '../../electron/server/cases/approval';
import { ApiError } from '../../electron/server/errors';
import { addUser, createTestServer, freshCode, type TestServer, type TestUser } from './harness';
import { approve, escrowOf, expectConsistent } from './fixtures/case-api';
import { createdBy, expectIssuerRefusal, proposalBy, takenOverBy } from './fixtures/issuers';

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

const agentCreatedBy = (actor: TestUser, username: string) => createdBy(server, actor, username);
const takenOver = (actor: TestUser, target: TestUser) => takenOverBy(server, actor, target);
const proposal = (agent: TestUser) => proposalBy(server, agent);
const expectRefused = expectIssuerRefusal;

describe('approving a proposal by an agent whose credentials the approver issued', () => {
  it('is refused for the supervisor who created the account: the escrow stays held; another supervisor approves', async () => {
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposal(agent);

    const refused = await approve(server, supervisor, caseId);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/You issued the sign-in of the person who proposed this verdict/);
    expect(escrowOf(server, caseId)).toMatchObject({ state: 'held' });

    const approved = await approve(server, otherSupervisor, caseId);
    expect(approved.status).toBe(200);
    expect(approved.body.case.status).toBe('resolved');
  });

  it('is refused for the supervisor who reset the agent’s 2FA, and the refusal leaves their code unspent', async () => {
    const agent = await takenOver(supervisor, addUser(server.ctx, 'agent'));
    const caseId = await proposal(agent);

    const code = freshCode(server, supervisor);
    expectRefused(await approve(server, supervisor, caseId, code));
    // The code was not spent: the refusal came before the step-up, so it still works elsewhere.
    const other = await proposal(addUser(server.ctx, 'agent'));
    expect((await approve(server, supervisor, other, code)).status).toBe(200);
  });

  it('is refused inside the write too (the conditional UPDATE), not only by the route’s check', async () => {
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposal(agent);

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
    const secondSelf = await takenOver(supervisor, otherSupervisor);
    const agent = await agentCreatedBy(supervisor, 'mallory');
    const caseId = await proposal(agent);

    const refused = await approve(server, secondSelf, caseId);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/Someone issued both your sign-in and that of the person who proposed this verdict/);

    const independent = addUser(server.ctx, 'supervisor');
    expect((await approve(server, independent, caseId)).status).toBe(200);
  });

  it('an agent nobody issued (or another supervisor issued) is approved as before', async () => {
    const agent = await agentCreatedBy(otherSupervisor, 'nadia');
    const caseId = await proposal(agent);
    expect((await approve(server, supervisor, caseId)).status).toBe(200);
  });
});
