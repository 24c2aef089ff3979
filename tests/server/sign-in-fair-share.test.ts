// A stranger cannot keep a real user from signing in (issue #11 review, MEDIUM): a few addresses sending
// random usernames below the per-address rate limit filled the password hashing gate and the real user
// got 503 sign_in_busy. Now each address has a fair share of the gate (one hash running, two waiting),
// turns go to the address that has gone longest without one, a newcomer takes a place from the longest
// line when the gate is full, the routes that hash a password take 30 calls a minute per address, and a
// locked or ceiling-held attempt is refused without being hashed, alike for real and unknown names.
// Real server on a loopback port; each caller binds its own 127.0.0.x source address, so the server sees
// real, distinct peer addresses. The hashing is real, held at its start until the test lets it go.
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_IN_CEILING, SIGN_IN_MAX_FAILURES } from '../../electron/server/auth/lockout';
import { FairGate, type PasswordWorkLimits, type Scrypt } from '../../electron/server/auth/password-work';
import { hashPassword, verifySecret } from '../../electron/server/auth/passwords';
import { callerNetwork } from '../../electron/server/http/caller-network';
import { addUser, createTestServer, type TestServer } from './harness';
import {
  addEnrollingUser,
  heldScrypt,
  postFrom,
  seenOf,
  SINGLE_LANE,
  type HeldScrypt,
  type SocketAnswer,
} from './fixtures/auth-api';

let server: TestServer;
let held: HeldScrypt | undefined;
let port: number;
afterEach(async () => {
  held?.release();
  held = undefined;
  await server.close();
});

async function listening(overrides: Parameters<typeof createTestServer>[0]) {
  server = await createTestServer(overrides);
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as { port: number }).port;
}

const loginFrom = (from: string, username: string, password: string) =>
  postFrom(port, from, '/v1/auth/login', { username, password });

const codeOf = (answer: SocketAnswer) => (JSON.parse(answer.body) as { error?: { code: string } }).error?.code;

/** Resolves once `count` of the answers are 503 sign_in_busy. */
function whenRefused(answers: Promise<SocketAnswer>[], count: number): Promise<void> {
  let refused = 0;
  return new Promise((resolve) => {
    for (const answer of answers) {
      void answer.then((settled) => {
        if (settled.status === 503 && ++refused === count) resolve();
      });
    }
  });
}

describe('the password hashing gate under a stranger’s load', () => {
  const limits: PasswordWorkLimits = { running: 2, waiting: 4, perAddress: { running: 1, waiting: 2 }, ...SINGLE_LANE };
  const ATTACKERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
  const REAL_USER = '127.0.0.9';

  it('lets the real user in from another address while attackers on several addresses keep it full', async () => {
    held = heldScrypt();
    await listening({ passwordWork: limits, scrypt: held.scrypt });
    const agent = addUser(server.ctx, 'agent');

    // Five random usernames from each attacker address at once: far more than the gate holds.
    const attack = ATTACKERS.flatMap((from) =>
      Array.from({ length: 5 }, (_, i) => loginFrom(from, `random-${from}-${i}`, 'some-guessed-password')),
    );
    // The gate is full: two hashes running, four waiting, the nine others refused at once.
    await Promise.all([held.whenStarted(2), whenRefused(attack, 9)]);

    // The real user is admitted, and an attacker's waiter is refused in its place.
    const real = loginFrom(REAL_USER, agent.username, agent.password);
    const first = await Promise.race([
      real.then(() => 'the real user answered first'),
      whenRefused(attack, 10).then(() => 'an attacker was refused'),
    ]);
    expect(first).toBe('an attacker was refused');

    held.release();
    const answer = await real;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'totp_required', loginToken: expect.any(String) });
    const attackAnswers = await Promise.all(attack);
    expect(attackAnswers.filter((a) => a.status === 503)).toHaveLength(10);
    expect(attackAnswers.filter((a) => a.status === 401)).toHaveLength(5);
  });

  it('refuses one address past its share at once, while another address still starts hashing', async () => {
    held = heldScrypt();
    await listening({ passwordWork: { ...limits, running: 4, waiting: 16 }, scrypt: held.scrypt });
    const agent = addUser(server.ctx, 'agent');

    const greedy = Array.from({ length: 5 }, (_, i) => loginFrom('127.0.0.2', `random-${i}`, 'some-guessed-password'));
    // One runs, two wait, two are refused: with three of four slots free.
    await Promise.all([held.whenStarted(1), whenRefused(greedy, 2)]);
    expect(held.started).toBe(1);

    const real = loginFrom(REAL_USER, agent.username, agent.password);
    await held.whenStarted(2);
    held.release();
    expect((await real).status).toBe(200);
    expect((await Promise.all(greedy)).map((a) => a.status).sort()).toEqual([401, 401, 401, 503, 503]);
  });
});

describe('turns at the gate', () => {
  /** Tasks the test finishes one by one; `started` lists them in the order the gate started them. */
  function tasks() {
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const task = (name: string) => () => {
      started.push(name);
      return new Promise<void>((resolve) => finishers.set(name, resolve));
    };
    return { started, task, finish: (name: string) => finishers.get(name)!() };
  }
  // No timer: each await lets the promise callbacks already queued run, so a freed slot's next task starts.
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('go to the address that has gone longest without one, however fast another refills its line', async () => {
    const gate = new FairGate({ running: 1, waiting: 8, perAddress: { running: 1, waiting: 3 }, ...SINGLE_LANE });
    const { started, task, finish } = tasks();
    const runs = [
      gate.run('10.0.0.1', task('a1')),
      gate.run('10.0.0.1', task('a2')),
      gate.run('10.0.0.1', task('a3')),
      gate.run('10.0.0.2', task('b1')),
    ];
    await settle();
    expect(started).toEqual(['a1']);

    finish('a1');
    await settle();
    expect(started).toEqual(['a1', 'b1']); // b never had a turn; a2 arrived first but a just had one
    runs.push(gate.run('10.0.0.1', task('a4'))); // a refills its line
    runs.push(gate.run('10.0.0.3', task('c1'))); // a newcomer

    finish('b1');
    await settle();
    expect(started).toEqual(['a1', 'b1', 'c1']);
    for (const name of ['c1', 'a2', 'a3']) {
      finish(name);
      await settle();
    }
    expect(started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
    finish('a4');
    await Promise.all(runs);
  });

  it('give a newcomer the place of the longest line’s newest waiter when the line is full', async () => {
    const gate = new FairGate({ running: 1, waiting: 2, perAddress: { running: 1, waiting: 2 }, ...SINGLE_LANE });
    const { started, task, finish } = tasks();
    const a1 = gate.run('10.0.0.1', task('a1'));
    const a2 = gate.run('10.0.0.1', task('a2'));
    const a3 = gate.run('10.0.0.1', task('a3'));
    const b1 = gate.run('10.0.0.2', task('b1'));
    await expect(a3).rejects.toMatchObject({ status: 503, code: 'sign_in_busy' });
    // The line is now a2 and b1, one each: a further newcomer finds no longer line to take from.
    await expect(gate.run('10.0.0.3', task('c1'))).rejects.toMatchObject({ code: 'sign_in_busy' });
    for (const name of ['a1', 'b1', 'a2']) {
      await settle();
      finish(name);
    }
    await Promise.all([a1, a2, b1]);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });

  it('count an IPv6 caller by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(callerNetwork('2001:db8:1:2:aaaa::1')).toBe(callerNetwork('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(callerNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(callerNetwork('2001:db8:1:3::1')).not.toBe(callerNetwork('2001:db8:1:2::1'));
    expect(callerNetwork('::1')).toBe('0:0:0:0::/64');
    expect(callerNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(callerNetwork('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(callerNetwork('192.0.2.7')).toBe('192.0.2.7');
  });
});

describe('an attempt the throttle refuses', () => {
  /** Real hashing that counts the password checks. */
  function countingScrypt() {
    const counter = { checks: 0 };
    const scrypt: Scrypt = {
      hash: hashPassword,
      verify: (secret, stored) => {
        counter.checks += 1;
        return verifySecret(secret, stored);
      },
    };
    return { counter, scrypt };
  }

  it('is not hashed, and answers alike for a real and an unknown username (locked pair and ceiling)', async () => {
    const { counter, scrypt } = countingScrypt();
    await listening({ scrypt });
    const agent = addUser(server.ctx, 'agent');
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect((await loginFrom('127.0.0.2', agent.username, 'guess')).status).toBe(401);
      expect((await loginFrom('127.0.0.3', 'nobody-by-this-name', 'guess')).status).toBe(401);
    }
    const checked = counter.checks;
    const lockedKnown = await loginFrom('127.0.0.2', agent.username, agent.password);
    const lockedUnknown = await loginFrom('127.0.0.3', 'nobody-by-this-name', 'guess');
    expect(counter.checks).toBe(checked);
    expect(codeOf(lockedKnown)).toBe('locked_out');
    // Status, body, Retry-After (the same time left: the clock is pinned) and length; not the rate limit's
    // own headers, which count per address.
    expect(seenOf(lockedUnknown)).toEqual(seenOf(lockedKnown));

    // Past the per-username ceiling, from an address the user never signed in from.
    for (const username of [agent.username, 'another-nobody']) {
      for (let i = 0; i < SIGN_IN_CEILING; i++) {
        await loginFrom(`127.0.1.${Math.floor(i / 4) + 1}`, username, `guess-${i}`);
      }
    }
    const beforeHeld = counter.checks;
    const heldKnown = await loginFrom('127.0.2.1', agent.username, agent.password);
    const heldUnknown = await loginFrom('127.0.2.2', 'another-nobody', 'guess');
    expect(counter.checks).toBe(beforeHeld);
    expect(codeOf(heldKnown)).toBe('locked_out');
    expect(seenOf(heldUnknown)).toEqual(seenOf(heldKnown));
  });
});

describe('the per-address rate limit on the routes that hash a password', () => {
  it('takes 30 a minute from an address, then 429 rate_limited alike for real and unknown names; others go on', async () => {
    await listening({});
    const agent = addUser(server.ctx, 'agent');
    const series = async (from: string, username: string) => {
      const answers: SocketAnswer[] = [];
      for (let i = 0; i < 31; i++) answers.push(await loginFrom(from, username, 'a-wrong-password'));
      return answers;
    };
    // Each series from its own fresh address: five 401s, then the lockout's 429s, alike for both names.
    const known = await series('127.0.0.2', agent.username);
    const unknown = await series('127.0.0.3', 'nobody-by-this-name');
    for (const answers of [known, unknown]) {
      expect(answers.slice(0, 30).map(codeOf)).not.toContain('rate_limited');
      expect(answers[30]!.status).toBe(429);
      expect(JSON.parse(answers[30]!.body)).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
      expect(answers[30]!.headers['retry-after']).toBeDefined();
    }
    expect(unknown[30]!.body).toBe(known[30]!.body);

    // Another address is not affected, and the real user signs in there.
    expect((await loginFrom('127.0.0.4', agent.username, agent.password)).status).toBe(200);
  });

  it('applies to redeeming an invitation too', async () => {
    await listening({});
    const supervisor = addUser(server.ctx, 'supervisor');
    const invited = addEnrollingUser(server, 'nora', supervisor.id);
    const redeemFrom = (from: string, token: string) =>
      postFrom(port, from, '/v1/auth/invitation', { token, password: invited.password });
    for (let i = 0; i < 30; i++) {
      expect((await redeemFrom('127.0.0.2', `not-an-invitation-${String(i).padStart(8, '0')}`)).status).not.toBe(429);
    }
    const limited = await redeemFrom('127.0.0.2', invited.invitation);
    expect(limited.status).toBe(429);
    expect(codeOf(limited)).toBe('rate_limited');
    expect((await redeemFrom('127.0.0.3', invited.invitation)).status).toBe(200);
  });
});
