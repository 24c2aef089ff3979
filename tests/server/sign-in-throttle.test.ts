// Sign-in throttling per username and address (DESIGN §2 "Sign-in", issue #11): a stranger's guesses from
// another address never lock the real user out; an unknown username answers exactly like a known one; a
// per-username ceiling across all addresses slows distributed guessing, is audited, and spares the
// addresses the user signs in from. A real server on a loopback port; each caller binds its own 127.0.0.x
// source address, so the server sees real, distinct peer addresses.
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CEILING_MAX_DELAY_MS,
  CEILING_RETRY_AFTER_SECONDS,
  ceilingDelayMs,
  KNOWN_ADDRESS_MS,
  pruneSignInThrottleRows,
  SIGN_IN_CEILING,
  SIGN_IN_CEILING_WINDOW_MS,
  SIGN_IN_LOCKOUT_MS,
  SIGN_IN_MAX_FAILURES,
} from '../../electron/server/auth/lockout';
import * as passwords from '../../electron/server/auth/passwords';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import { oathtoolCode, postFrom as postFromSocket } from './fixtures/auth-api';

// Every password check goes through this spy, so a test can see which hash (and so which cost) it used.
vi.mock('../../electron/server/auth/passwords', async (importOriginal) => {
  const actual = await importOriginal<typeof passwords>();
  return { ...actual, verifySecret: vi.fn(actual.verifySecret) };
});

let server: TestServer;
let agent: TestUser;
let port: number;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as { port: number }).port;
  vi.mocked(passwords.verifySecret).mockClear();
});
afterEach(async () => server.close());

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { error?: { code: string; message: string }; loginToken?: string; accessToken?: string };
}

/** A POST from the source address `from` (any of 127.0.0.0/8 reaches the server on 127.0.0.1), its body read. */
async function postFrom(from: string, path: string, body: unknown): Promise<Answer> {
  const answer = await postFromSocket(port, from, path, body);
  return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body) as Answer['body'] };
}

const loginFrom = (from: string, username: string, password: string) =>
  postFrom(from, '/v1/auth/login', { username, password });

/** Both steps from one address; the clock moves to the next 30 s step so the code is fresh. */
async function signInFrom(from: string, user: TestUser): Promise<Answer> {
  const started = await loginFrom(from, user.username, user.password);
  if (started.status !== 200) return started;
  server.clock.advance(30_000);
  const code = oathtoolCode(user.totpSecret, server.clock.now);
  return postFrom(from, '/v1/auth/totp', { loginToken: started.body.loginToken, code });
}

const STRANGER = '127.0.0.2';
const OFFICE = '127.0.0.1';

const auditRows = () =>
  server.ctx.db.prepare('SELECT actor, action, subject, data FROM audit_log ORDER BY seq').all() as {
    actor: string;
    action: string;
    subject: string;
    data: string;
  }[];

describe('the lockout is per username and address', () => {
  it("a stranger's five wrong passwords lock the username at the stranger's address only", async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect((await loginFrom(STRANGER, agent.username, 'guess')).status).toBe(401);
    }
    const locked = await loginFrom(STRANGER, agent.username, agent.password);
    expect(locked).toMatchObject({ status: 429, body: { error: { code: 'locked_out' } } });
    expect(Number(locked.headers['retry-after'])).toBe(SIGN_IN_LOCKOUT_MS / 1000);

    // The real user, at their own address, is not locked out by the stranger.
    expect((await signInFrom(OFFICE, agent)).status).toBe(200);
    expect((await loginFrom(STRANGER, agent.username, agent.password)).status).toBe(429);
  });

  it('wrong codes count at the address they come from', async () => {
    const started = await loginFrom(STRANGER, agent.username, agent.password);
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      const answer = await postFrom(STRANGER, '/v1/auth/totp', { loginToken: started.body.loginToken, code: '000000' });
      expect(answer.body.error?.code).toBe('invalid_totp');
    }
    expect((await loginFrom(STRANGER, agent.username, agent.password)).status).toBe(429);
    expect((await signInFrom(OFFICE, agent)).status).toBe(200);
  });
});

describe('an unknown username answers exactly like a known one', () => {
  // Each series comes from its own fresh address, so the per-address rate limit's headers match too.
  async function series(from: string, username: string) {
    const answers: Answer[] = [];
    for (let i = 0; i < SIGN_IN_MAX_FAILURES + 2; i++) answers.push(await loginFrom(from, username, 'guess'));
    return answers.map(({ status, headers, body }) => {
      const { date: _date, ...stable } = headers;
      return { status, headers: stable, body };
    });
  }

  it('status, body and headers, through the lockout', async () => {
    const known = await series('127.0.0.3', agent.username);
    const unknown = await series('127.0.0.4', 'nobody-by-this-name');
    expect(unknown).toEqual(known);
    expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(known[5]!.headers['retry-after']).toBeDefined();
  });

  it('the same password work: one check against a hash at the configured cost', async () => {
    const costOfCheck = () => {
      const calls = vi.mocked(passwords.verifySecret).mock.calls;
      expect(calls).toHaveLength(1);
      vi.mocked(passwords.verifySecret).mockClear();
      return calls[0]![1].split('$').slice(0, 4);
    };
    const configured = server.ctx.config.passwordHashCost;
    const expected = ['scrypt', String(configured.N), String(configured.r), String(configured.p)];
    await loginFrom(STRANGER, agent.username, 'guess');
    expect(costOfCheck()).toEqual(expected);
    await loginFrom(STRANGER, 'nobody-by-this-name', 'guess');
    expect(costOfCheck()).toEqual(expected);
  });
});

describe('the per-username ceiling across addresses', () => {
  /** Spreads SIGN_IN_CEILING wrong passwords over fresh addresses, 4 each (under the pair lockout). */
  async function distributedGuesses(username: string) {
    for (let i = 0; i < SIGN_IN_CEILING; i++) {
      const from = `127.0.1.${Math.floor(i / 4) + 1}`;
      expect((await loginFrom(from, username, `guess-${i}`)).status).toBe(401);
    }
  }

  it('makes a new address wait, spares the addresses the user signs in from, and is audited', async () => {
    expect((await signInFrom(OFFICE, agent)).status).toBe(200);
    await distributedGuesses(agent.username);
    const NEW = '127.0.2.1';

    // Past the ceiling, a new address waits 1 s after the last failure; the early attempt is not evaluated,
    // even with the right password. It is told to come back in a minute, not when the wait really ends.
    const early = await loginFrom(NEW, agent.username, agent.password);
    expect(early).toMatchObject({ status: 429, body: { error: { code: 'locked_out' } } });
    expect(early.headers['retry-after']).toBe(String(CEILING_RETRY_AFTER_SECONDS));

    // The office, where the user signed in before, is not slowed.
    expect((await loginFrom(OFFICE, agent.username, agent.password)).status).toBe(200);

    // The real user at the new address gets in once the wait is over.
    server.clock.advance(1_000);
    expect((await signInFrom(NEW, agent)).status).toBe(200);

    const ceiling = auditRows().filter((row) => row.action === 'auth.sign_in_ceiling_reached');
    expect(ceiling).toEqual([expect.objectContaining({ actor: 'system', subject: agent.id })]);
    expect(JSON.parse(ceiling[0]!.data)).toMatchObject({ failures: SIGN_IN_CEILING });
  });

  it('doubles the wait with each failure past the ceiling, up to 15 minutes, without telling the wait', async () => {
    await distributedGuesses(agent.username);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const from = `127.0.3.${i + 1}`;
      const wait = ceilingDelayMs(SIGN_IN_CEILING + i);
      waits.push(wait / 1000);
      // A millisecond early is held back, with the same answer whatever the wait left.
      server.clock.advance(wait - 1);
      const refused = await loginFrom(from, agent.username, 'guess');
      expect(refused).toMatchObject({ status: 429, body: { error: { code: 'locked_out' } } });
      expect(refused.headers['retry-after']).toBe(String(CEILING_RETRY_AFTER_SECONDS));
      server.clock.advance(1);
      expect((await loginFrom(from, agent.username, 'guess')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    expect(CEILING_MAX_DELAY_MS).toBe(900_000);
  });

  it('answers a held attempt exactly alike for a real and an unknown username, whatever the wait left', async () => {
    await distributedGuesses(agent.username);
    await distributedGuesses('nobody-by-this-name');
    // Drive both names well past the ceiling, so their waits are long and differ from the first ones.
    for (let i = 0; i < 6; i++) {
      server.clock.advance(ceilingDelayMs(SIGN_IN_CEILING + i));
      await loginFrom(`127.0.4.${i + 1}`, agent.username, 'guess');
      await loginFrom(`127.0.4.${i + 1}`, 'nobody-by-this-name', 'guess');
    }
    const answers = [];
    for (const username of [agent.username, 'nobody-by-this-name']) {
      for (const from of ['127.0.5.1', '127.0.5.2']) {
        const { status, body, headers } = await loginFrom(from, username, 'guess');
        answers.push({ status, body, retryAfter: headers['retry-after'] });
        server.clock.advance(7_000);
      }
    }
    expect(answers[0]).toMatchObject({ status: 429, retryAfter: String(CEILING_RETRY_AFTER_SECONDS) });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  it('treats an unknown username the same way, audited without naming it', async () => {
    await distributedGuesses('nobody-by-this-name');
    const early = await loginFrom('127.0.2.1', 'nobody-by-this-name', 'guess');
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe(String(CEILING_RETRY_AFTER_SECONDS));
    const ceiling = auditRows().filter((row) => row.action === 'auth.sign_in_ceiling_reached');
    expect(ceiling).toHaveLength(1);
    expect(ceiling[0]!.subject).toMatch(/^unknown-username:[0-9a-f]{16}$/);
    expect(JSON.stringify(auditRows())).not.toContain('nobody-by-this-name');
  });
});

describe('the throttle tables', () => {
  const counts = () =>
    ['sign_in_failures', 'sign_in_locks', 'sign_in_addresses', 'sign_in_networks'].map(
      (table) => (server.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n,
    );
  const prune = () => server.ctx.write(() => pruneSignInThrottleRows(server.ctx, server.clock.now));

  it('are pruned of what can no longer decide anything, and only that', async () => {
    expect((await signInFrom(OFFICE, agent)).status).toBe(200);
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) await loginFrom(STRANGER, agent.username, 'guess');
    expect(counts()).toEqual([5, 1, 1, 1]);
    expect(prune()).toBe(0);

    server.clock.advance(SIGN_IN_CEILING_WINDOW_MS);
    expect(prune()).toBe(6); // the failures, which have left every window, and the ended lock
    expect(counts()).toEqual([0, 0, 1, 1]);

    server.clock.advance(KNOWN_ADDRESS_MS);
    expect(prune()).toBe(2); // the address and the known pair, 30 days on
    expect(counts()).toEqual([0, 0, 0, 0]);
  });

  it('answer every sign-in query from an index', () => {
    const statements = [
      "SELECT COUNT(*) FROM sign_in_failures WHERE username_key = 'k' AND address = 'a' AND at > 't'",
      "SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE username_key = 'k' AND at > 't'",
      "SELECT until FROM sign_in_locks WHERE username_key = 'k' AND address = 'a' AND until > 't'",
      "SELECT 1 FROM sign_in_addresses WHERE username_key = 'k' AND address = 'a' AND last_at > 't'",
      "SELECT 1 FROM sign_in_networks WHERE username_key = 'k' AND network = 'n' AND last_at > 't'",
      "DELETE FROM sign_in_failures WHERE at <= 't'",
      "DELETE FROM sign_in_networks WHERE last_at <= 't'",
    ];
    for (const sql of statements) {
      const plan = (server.ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map(
        (row) => row.detail,
      );
      expect(plan.filter((detail) => detail.startsWith('SCAN')), `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });
});
