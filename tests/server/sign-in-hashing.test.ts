// Password hashing under load and in races (issue #11 review). At most `running` hashes run and `waiting`
// more wait; a sign-in beyond that is refused at once `503 sign_in_busy` with Retry-After, the same for a
// real and an unknown username, and is not counted by the throttle. A sign-in whose account is disabled,
// or whose password changes, while its password is being hashed gets nothing. Real server on a loopback
// port for the concurrent requests; the hashing is real, held at its start until the test lets it go.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPasswordWorkLimits, SIGN_IN_BUSY_RETRY_AFTER_SECONDS } from '../../electron/server/auth/password-work';
import { hashPasswordSync } from '../../electron/server/auth/passwords';
import { setPasswordHash } from '../../electron/server/sql/users';
import { addUser, bearer, createTestServer, freshCode, TEST_PASSWORD_COST, type TestServer, type TestUser } from './harness';
import {
  addEnrollingUser,
  expectError,
  heldScrypt,
  login,
  postFrom,
  postJson,
  redeem,
  seenOf,
  SINGLE_LANE,
  type HeldScrypt,
  type SocketAnswer,
} from './fixtures/auth-api';

let server: TestServer;
let held: HeldScrypt;
afterEach(async () => {
  held.release();
  await server.close();
});

async function heldServer(running: number, waiting: number) {
  held = heldScrypt();
  const perAddress = { running: 1, waiting: 2 };
  server = await createTestServer({ passwordWork: { running, waiting, perAddress, ...SINGLE_LANE }, scrypt: held.scrypt });
}

const failureRows = () => (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM sign_in_failures').get() as { n: number }).n;

describe('the limit on password hashing', () => {
  it('admits running + waiting sign-ins, refuses the rest at once alike for real and unknown names, and finishes the admitted', async () => {
    await heldServer(2, 2);
    const agent = addUser(server.ctx, 'agent');
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as { port: number };

    // Ten sign-ins at once, each from its own address, a real username and an unknown one by turns.
    const attempts = Array.from({ length: 10 }, (_, i) =>
      i % 2 === 0
        ? { known: true, body: { username: agent.username, password: agent.password } }
        : { known: false, body: { username: `nobody-${i}`, password: 'some-password-here' } },
    );
    const settled: SocketAnswer[] = [];
    let sixSettled!: () => void;
    const firstSix = new Promise<void>((resolve) => (sixSettled = resolve));
    const answers = attempts.map((attempt, i) =>
      postFrom(port, `127.0.0.${10 + i}`, '/v1/auth/login', attempt.body).then((answer) => {
        if (settled.push(answer) === 6) sixSettled();
        return answer;
      }),
    );

    // Two hash, two wait; the six others are answered while every hash is still held: refused at once.
    await Promise.all([held.whenStarted(2), firstSix]);
    expect(settled.map((answer) => answer.status)).toEqual(Array(6).fill(503));
    expect(held.started).toBe(2);

    held.release();
    const all = await Promise.all(answers);
    const refused = all.flatMap((answer, i) => (answer.status === 503 ? [{ answer, known: attempts[i]!.known }] : []));
    const admitted = all.flatMap((answer, i) => (answer.status === 503 ? [] : [{ answer, known: attempts[i]!.known }]));
    expect(refused).toHaveLength(6);
    expect(admitted).toHaveLength(4);
    expect(held.started).toBe(4);

    // The admitted finish as their credentials say.
    for (const { answer, known } of admitted) {
      const body = JSON.parse(answer.body) as { status?: string; error?: { code: string } };
      if (known) expect(body).toEqual({ status: 'totp_required', loginToken: expect.any(String) });
      else expect(body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
    }

    // The refused are identical, whoever they named: status, body and headers.
    expect(new Set(refused.map(({ known }) => known))).toEqual(new Set([true, false]));
    const first = seenOf(refused[0]!.answer);
    expect(first).toMatchObject({ status: 503, retryAfter: String(SIGN_IN_BUSY_RETRY_AFTER_SECONDS) });
    expect(JSON.parse(first.body)).toEqual({ error: { code: 'sign_in_busy', message: expect.any(String) } });
    for (const { answer } of refused) expect(seenOf(answer)).toEqual(first);

    // Nothing of a refused attempt was recorded: only the admitted unknown names count as failures.
    expect(failureRows()).toBe(admitted.filter(({ known }) => !known).length);
    // And the gate is free again.
    expect((await login(server, agent.username, agent.password)).status).toBe(200);
  });

  it('applies to redeeming an invitation too', async () => {
    await heldServer(1, 0);
    const supervisor = addUser(server.ctx, 'supervisor');
    const first = addEnrollingUser(server, 'nora', supervisor.id);
    const second = addEnrollingUser(server, 'omar', supervisor.id);
    const redeeming = redeem(server, first.invitation, first.password);
    await held.whenStarted(1);
    const busy = await server.app.inject({
      method: 'POST',
      url: '/v1/auth/invitation',
      headers: { 'content-type': 'application/json' },
      payload: { token: second.invitation, password: second.password },
    });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe(String(SIGN_IN_BUSY_RETRY_AFTER_SECONDS));
    expect(JSON.parse(busy.body)).toEqual({ error: { code: 'sign_in_busy', message: expect.any(String) } });
    held.release();
    expect((await redeeming).status).toBe(200);
    // The refused redemption changed nothing: its invitation still works.
    expect((await redeem(server, second.invitation, second.password)).status).toBe(200);
  });

  it('lets two sign-ins per core run and four times as many wait, by default, one address one of them and two waiting', () => {
    expect(defaultPasswordWorkLimits(2)).toEqual({
      running: 4,
      waiting: 16,
      perAddress: { running: 1, waiting: 2 },
      perPrefix: { slash56: 6, slash48: 9 },
      reserved: { running: 1, waiting: 4 },
    });
  });
});

describe('a sign-in whose password is being checked', () => {
  let agent: TestUser;
  let supervisor: TestUser;

  /** A login whose password is being hashed (held), wrapped so that awaiting this does not await it. */
  async function startedLogin() {
    await heldServer(4, 4);
    supervisor = addUser(server.ctx, 'supervisor');
    agent = addUser(server.ctx, 'agent');
    const answer = login(server, agent.username, agent.password);
    await held.whenStarted(1);
    return { answer };
  }

  const loginTokens = () =>
    (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM login_tokens WHERE user_id = ?').get(agent.id) as { n: number }).n;

  it('gets nothing once a supervisor disabled the account meanwhile: 401 invalid_credentials, no login token', async () => {
    const { answer } = await startedLogin();
    const disabled = await postJson(server, `/v1/accounts/${agent.id}/disable`, { totp: freshCode(server, supervisor) }, bearer(supervisor));
    expect(disabled.status).toBe(200);
    held.release();
    expectError(await answer, 401, 'invalid_credentials');
    expect(loginTokens()).toBe(0);
  });

  it('gets nothing once the password changed meanwhile: the one checked is no longer the account’s', async () => {
    const { answer } = await startedLogin();
    server.ctx.write(() => setPasswordHash(server.ctx.db, agent.id, hashPasswordSync('a-new-password-chosen', TEST_PASSWORD_COST)));
    held.release();
    expectError(await answer, 401, 'invalid_credentials');
    expect(loginTokens()).toBe(0);
  });

  it('goes on as usual when nothing changed meanwhile', async () => {
    const { answer } = await startedLogin();
    held.release();
    expect((await answer).body).toEqual({ status: 'totp_required', loginToken: expect.any(String) });
    expect(loginTokens()).toBe(1);
  });
});
