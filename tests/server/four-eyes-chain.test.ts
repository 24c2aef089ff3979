// Four-eyes against an insider who builds a chain (issue #11, security review): whoever holds an invitation
// can enrol as its account, so a supervisor may approve a proposal only if no one could act as both them
// and the proposer (cases/approval.ts). Each attack is played through the real API: a supervisor creates
// or resets a second supervisor, enrols as them, creates or resets an agent as that supervisor, enrols as
// the agent, proposes, and tries to approve as themselves. Refused with 403 issuer_may_not_approve, the
// escrow unmoved; someone outside the chain approves. Accounts invited by the platform's set-up
// (`npm run server -- invite`) start independent chains.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_INVITATION_TOKEN, demoUserId } from '../../electron/seed/accounts';
import { seedDatabase, type SeedLogger } from '../../electron/seed/index';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import { signIn } from './fixtures/auth-api';
import { approve, escrowOf, expectConsistent } from './fixtures/case-api';
import { createdBy, enrolAs, expectIssuerRefusal, invitedBySetUp, proposalBy, takenOverBy } from './fixtures/issuers';

let server: TestServer;
let mallory: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  mallory = addUser(server.ctx, 'supervisor', 'mallory');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

/** Refused, and nothing moved: the escrow is held and the verdict still a proposal. */
async function expectRefusedFor(supervisor: TestUser, caseId: string): Promise<void> {
  expectIssuerRefusal(await approve(server, supervisor, caseId));
  expect(escrowOf(server, caseId)).toMatchObject({ state: 'held' });
  const verdict = server.ctx.db.prepare("SELECT state FROM verdicts WHERE case_id = ? AND state <> 'rejected'").get(caseId);
  expect(verdict).toEqual({ state: 'proposed' });
}

async function expectApprovedBy(supervisor: TestUser, caseId: string): Promise<void> {
  const approved = await approve(server, supervisor, caseId);
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  expect(approved.body.case.status).toBe('resolved');
  expect(escrowOf(server, caseId).state).not.toBe('held');
}

describe('a chain of issuers', () => {
  it('attack A: created a second supervisor, enrolled as them, created an agent as them: refused', async () => {
    const secondSelf = await createdBy(server, mallory, 'bob', 'supervisor');
    const agent = await createdBy(server, secondSelf, 'xavier');
    const caseId = await proposalBy(server, agent);

    await expectRefusedFor(mallory, caseId);
    await expectRefusedFor(secondSelf, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('attack B: reset a second supervisor’s 2FA, then as them an agent’s: refused', async () => {
    const secondSelf = await takenOverBy(server, mallory, addUser(server.ctx, 'supervisor', 'carol'));
    const agent = await takenOverBy(server, secondSelf, addUser(server.ctx, 'agent', 'xavier'));
    const caseId = await proposalBy(server, agent);

    await expectRefusedFor(mallory, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('three supervisors deep: refused for each of them', async () => {
    const second = await createdBy(server, mallory, 'bob', 'supervisor');
    const third = await createdBy(server, second, 'carol', 'supervisor');
    const agent = await createdBy(server, third, 'xavier');
    const caseId = await proposalBy(server, agent);

    for (const supervisor of [mallory, second, third]) await expectRefusedFor(supervisor, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('a chain longer than any fixed cap (40 supervisors between them) is walked to its end', async () => {
    // Built in the table rather than through 40 enrolments: what is under test is the walk over it.
    const socks = Array.from({ length: 40 }, (_, index) => addUser(server.ctx, 'supervisor', `sock${index}`));
    const agent = addUser(server.ctx, 'agent', 'puppet');
    const setIssuer = server.ctx.db.prepare('UPDATE users SET credentials_issued_by = ? WHERE id = ?');
    [...socks, agent].forEach((user, index) => setIssuer.run(index === 0 ? mallory.id : socks[index - 1]!.id, user.id));
    const caseId = await proposalBy(server, agent);

    await expectRefusedFor(mallory, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('two supervisors one person enrolled share that person: neither approves the other’s agent', async () => {
    const bob = await createdBy(server, mallory, 'bob', 'supervisor');
    const dave = await createdBy(server, mallory, 'dave', 'supervisor');
    const caseId = await proposalBy(server, await createdBy(server, bob, 'xavier'));

    await expectRefusedFor(dave, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('a cycle of issuers (each reset the other’s 2FA) ends the walk and is refused', async () => {
    const bob = await createdBy(server, mallory, 'bob', 'supervisor');
    const malloryAgain = await takenOverBy(server, bob, mallory);
    const caseId = await proposalBy(server, await createdBy(server, malloryAgain, 'xavier'));

    await expectRefusedFor(bob, caseId);
    await expectRefusedFor(malloryAgain, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });
});

describe('credentials re-issued after the proposal', () => {
  it('do not open the approval to the former issuer, nor to the new one', async () => {
    const agent = await createdBy(server, mallory, 'xavier');
    const caseId = await proposalBy(server, agent);
    const colleague = addUser(server.ctx, 'supervisor', 'colleague');
    await takenOverBy(server, colleague, agent);

    await expectRefusedFor(mallory, caseId);
    await expectRefusedFor(colleague, caseId);
    await expectApprovedBy(addUser(server.ctx, 'supervisor'), caseId);
  });

  it('a supervisor re-issued by the former issuer after the proposal is refused too', async () => {
    const caseId = await proposalBy(server, await createdBy(server, mallory, 'xavier'));
    const colleague = await takenOverBy(server, mallory, addUser(server.ctx, 'supervisor', 'colleague'));

    await expectRefusedFor(colleague, caseId);
  });
});

describe('supervisors invited by the platform’s set-up', () => {
  it('approve each other’s agents’ proposals, never their own agents’', async () => {
    const nadia = await invitedBySetUp(server, 'nadia', 'supervisor');
    const omar = await invitedBySetUp(server, 'omar', 'supervisor');
    const nadiasCase = await proposalBy(server, await createdBy(server, nadia, 'xavier'));
    const omarsCase = await proposalBy(server, await createdBy(server, omar, 'yusuf'));

    await expectRefusedFor(nadia, nadiasCase);
    await expectApprovedBy(omar, nadiasCase);
    await expectApprovedBy(nadia, omarsCase);
  });

  it('an agent the set-up invited is approved by any supervisor', async () => {
    const caseId = await proposalBy(server, await invitedBySetUp(server, 'xavier', 'agent'));
    await expectApprovedBy(mallory, caseId);
  });
});

describe('the demo', () => {
  const demoUser = (username: 'ana' | 'bruno' | 'sofia', password: string, totpSecret: string) => ({
    id: demoUserId(username),
    username,
    role: username === 'sofia' ? ('supervisor' as const) : ('agent' as const),
    password,
    totpSecret,
  });

  async function signedIn(user: ReturnType<typeof demoUser>): Promise<TestUser> {
    return { ...user, token: (await signIn(server, user)).accessToken };
  }

  it('sofia approves proposals by ana, bruno and diego (diego enrols by his set-up invitation)', async () => {
    await seedDatabase(server.ctx, 'demo', 0, { info: () => {}, warn: () => {} } as unknown as SeedLogger);
    const sofia = await signedIn(demoUser('sofia', 'sofia-demo-pass', 'SOFIASUPERVISORSOFIASUPERVISORSO'));
    const ana = await signedIn(demoUser('ana', 'ana-demo-pass', 'ANAAGENTANAAGENTANAAGENTANAAGENT'));
    const bruno = await signedIn(demoUser('bruno', 'bruno-demo-pass', 'BRUNOAGENTBRUNOAGENTBRUNOAGENTBR'));
    const diego = await enrolAs(server, { id: demoUserId('diego'), username: 'diego', role: 'agent' }, DEMO_INVITATION_TOKEN);
    const seeded = server.ctx.db.prepare("SELECT case_id AS caseId FROM verdicts WHERE state = 'proposed'").all() as {
      caseId: string;
    }[];
    expect(seeded.length).toBeGreaterThan(0);

    for (const { caseId } of seeded) await expectApprovedBy(sofia, caseId);
    for (const agent of [ana, bruno, diego]) await expectApprovedBy(sofia, await proposalBy(server, agent));
  });
});
