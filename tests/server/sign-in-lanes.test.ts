// A stranger holding many IPv6 networks cannot keep a real user from signing in (issue #11 review, MEDIUM):
// 20 /64s of one /56, each with its fair share of the password hashing gate, filled it (2 cores: 4 running
// and 16 waiting) and a real user got 503 sign_in_busy. Now a /56 and a /48 as a whole hold only a few
// places, a known pair (a username that signed in from that network lately) has a reserved lane, a /48 as a
// whole has a sign-in rate limit, and an X-Forwarded-For the server does not believe is warned of once.
// Real server on a loopback port, real sockets; the callers' IPv6 and public IPv4 addresses come in
// X-Forwarded-For from the test's socket, a proxy the server trusts (loopback has no IPv6 networks to bind).
// The hashing is real, held at its start until the test lets it go.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultPasswordWorkLimits, FairGate, type Scrypt } from '../../electron/server/auth/password-work';
import { hashPassword, verifySecret } from '../../electron/server/auth/passwords';
import type { ServerConfig } from '../../electron/server/config';
import { MIGRATIONS } from '../../electron/server/db/migrations';
import { callerPrefixes, callerSite } from '../../electron/server/http/caller-network';
import { runMigrations } from '../../shared/db/migrations';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import {
  heldScrypt,
  oathtoolCode,
  postFrom,
  seenOf,
  type HeldScrypt,
  type SocketAnswer,
} from './fixtures/auth-api';

let server: TestServer;
let port: number;
let held: HeldScrypt | null = null;
/** Requests that have reached their handler, where the gate admits, queues or refuses them at once. */
let handled = 0;
afterEach(async () => {
  held?.release();
  held = null;
  await server.close();
});

/** Real hashing, held from the moment the test calls `holdHashes` on. */
const switchableScrypt: Scrypt = {
  hash: (secret, cost) => (held ? held.scrypt.hash(secret, cost) : hashPassword(secret, cost)),
  verify: (secret, stored) => (held ? held.scrypt.verify(secret, stored) : verifySecret(secret, stored)),
};

function holdHashes(): HeldScrypt {
  held = heldScrypt();
  return held;
}

const PROXY = '127.0.0.1';

async function listening(overrides: Partial<ServerConfig> = {}) {
  server = await createTestServer({
    // The review's machine: 2 cores.
    passwordWork: defaultPasswordWorkLimits(2),
    scrypt: switchableScrypt,
    trustedProxies: [PROXY],
    ...overrides,
  });
  handled = 0;
  server.app.addHook('preHandler', async () => {
    handled += 1;
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as { port: number }).port;
}

/** POST through the trusted proxy on behalf of `caller`. */
const postAs = (caller: string, path: string, body: unknown) =>
  postFrom(port, PROXY, path, body, { 'x-forwarded-for': caller });

const loginAs = (caller: string, username: string, password: string) =>
  postAs(caller, '/v1/auth/login', { username, password });

/** Both steps of a sign-in from `caller`; the clock moves to the next 30 s step so the code is fresh. */
async function signInAs(caller: string, user: TestUser): Promise<void> {
  const started = await loginAs(caller, user.username, user.password);
  expect(started.status).toBe(200);
  server.clock.advance(30_000);
  const { loginToken } = JSON.parse(started.body) as { loginToken: string };
  const finished = await postAs(caller, '/v1/auth/totp', {
    loginToken,
    code: oathtoolCode(user.totpSecret, server.clock.now),
  });
  expect(finished.status).toBe(200);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Sends each attempt once the one before has been admitted, queued or refused by the gate (which it does
 * as its handler starts), so the gate fills in a known order. Returns the answers, still pending.
 */
async function attackOneByOne(callers: string[]): Promise<Promise<SocketAnswer>[]> {
  const answers: Promise<SocketAnswer>[] = [];
  for (const [i, caller] of callers.entries()) {
    const before = handled;
    const answer = loginAs(caller, `random-${i}`, 'some-guessed-password');
    answers.push(answer);
    // Reached the handler (then admitted or queued) or answered (refused before it, by a rate limit).
    await Promise.race([answer, until(() => handled > before)]);
    await settle();
  }
  return answers;
}

/** Resolves once `condition` holds, looking again after each turn of the event loop. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await settle();
}

const codeOf = (answer: SocketAnswer) =>
  (JSON.parse(answer.body) as { error?: { code: string } }).error?.code;
const statuses = (answers: SocketAnswer[]) => answers.map((answer) => answer.status);

/** 20 /64s of one /56, as in the review. */
const ONE_SLASH56 = Array.from(
  { length: 20 },
  (_, i) => `2001:db8:aa:ff${i.toString(16).padStart(2, '0')}::1`,
);
/** One /64 in each of 24 /48s: more places than the shared lane has, one each. */
const MANY_SLASH48S = Array.from({ length: 24 }, (_, i) => `2001:db8:${(0x100 + i).toString(16)}::1`);
const REAL_USER_HOME = '198.51.100.7';

describe('the review’s attack: 20 /64s of one /56 sending random usernames', () => {
  it('holds only a few places, so a real user who signed in before, and a newcomer, still get in', async () => {
    await listening();
    const agent = addUser(server.ctx, 'agent');
    const newcomer = addUser(server.ctx, 'agent');
    await signInAs(REAL_USER_HOME, agent);

    const hold = holdHashes();
    const attack = await attackOneByOne(ONE_SLASH56);
    const before = handled;
    const real = loginAs(REAL_USER_HOME, agent.username, agent.password);
    const fresh = loginAs('2001:db8:77::1', newcomer.username, newcomer.password);
    // Both are answered 200 once the hashes go: neither is refused while the attack holds its places.
    await until(() => handled === before + 2);
    await settle();
    hold.release();
    expect((await real).status).toBe(200);
    expect((await fresh).status).toBe(200);
    // The /56 held six places (three running, three waiting) and was refused the rest at once.
    const answers = await Promise.all(attack);
    expect(answers.filter((a) => a.status === 401)).toHaveLength(6);
    expect(answers.filter((a) => a.status === 503).map(codeOf)).toEqual(Array(14).fill('sign_in_busy'));
  });
});

describe('the reserved lane of known pairs', () => {
  it('lets a real user in from where they signed in before while strangers on many /48s fill the gate; a stranger typing their username is refused like anyone', async () => {
    await listening();
    const agent = addUser(server.ctx, 'agent');
    await signInAs(REAL_USER_HOME, agent);

    const hold = holdHashes();
    const attack = await attackOneByOne(MANY_SLASH48S);
    // The stranger lane is full: a real username from a network it never signed in from (the same ISP's
    // next address) is refused exactly like an unknown username from another new network.
    const stranger = await loginAs('198.51.100.8', agent.username, agent.password);
    const unknownName = await loginAs('2001:db8:999::1', 'nobody-by-this-name', 'some-guessed-password');
    expect(codeOf(stranger)).toBe('sign_in_busy');
    expect(seenOf(unknownName)).toEqual(seenOf(stranger));

    // From home the user takes the reserved slot: admitted while the attack still holds every other place.
    const before = handled;
    const real = loginAs(REAL_USER_HOME, agent.username, agent.password);
    await until(() => handled > before);
    await settle();
    expect(hold.started).toBe(4); // three shared slots, and the reserved one
    hold.release();
    const answer = await real;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ status: 'totp_required', loginToken: expect.any(String) });
    // The shared lane was full: 3 running and 16 waiting, the five others refused.
    expect(statuses(await Promise.all(attack)).filter((status) => status === 503)).toHaveLength(5);
  });
});

describe('the sign-in rate limit of an IPv6 /48', () => {
  it('counts the /48 as a whole across its /64s, and leaves other /48s and IPv4 callers alone', async () => {
    await listening({ signInSiteRateLimitPerMinute: 5 });
    const fromSite = (i: number) => loginAs(`2001:db8:5:${i}::1`, `random-${i}`, 'some-guessed-password');
    for (let i = 0; i < 5; i++) expect((await fromSite(i)).status).toBe(401);
    const limited = await fromSite(5);
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toEqual({
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    expect((await loginAs('2001:db8:6::1', 'random', 'some-guessed-password')).status).toBe(401);
    for (let i = 0; i < 6; i++)
      expect((await loginAs('198.51.100.9', `random-${i}`, 'guess')).status).toBe(401);
  });
});

describe('an X-Forwarded-For the server does not believe', () => {
  it('is warned of once, naming DISPUTE_DESK_TRUSTED_PROXIES, when no proxy is trusted', async () => {
    await listening({ trustedProxies: [] });
    const warn = vi.spyOn(server.app.log, 'warn');
    await loginAs('2001:db8::1', 'random', 'guess'); // the header, from a peer nobody listed
    await loginAs('2001:db8::2', 'random', 'guess');
    await postFrom(
      port,
      '127.0.0.3',
      '/v1/auth/login',
      { username: 'random', password: 'guess' },
      { 'x-forwarded-for': '192.0.2.1' },
    );
    const warnings = warn.mock.calls.filter((call) =>
      JSON.stringify(call).includes('DISPUTE_DESK_TRUSTED_PROXIES'),
    );
    expect(warnings).toHaveLength(1);
    warn.mockRestore();
  });

  it('is warned of when it comes from a peer that is not the trusted proxy, and not from the proxy', async () => {
    await listening({ trustedProxies: ['127.0.0.2'] });
    const warn = vi.spyOn(server.app.log, 'warn');
    const warnings = () =>
      warn.mock.calls.filter((call) => JSON.stringify(call).includes('DISPUTE_DESK_TRUSTED_PROXIES'));
    await postFrom(
      port,
      '127.0.0.2',
      '/v1/auth/login',
      { username: 'random', password: 'guess' },
      { 'x-forwarded-for': '192.0.2.1' },
    );
    await postFrom(port, '127.0.0.3', '/v1/auth/login', { username: 'random', password: 'guess' });
    expect(warnings()).toHaveLength(0);
    await postFrom(
      port,
      '127.0.0.3',
      '/v1/auth/login',
      { username: 'random', password: 'guess' },
      { 'x-forwarded-for': '192.0.2.1' },
    );
    expect(warnings()).toHaveLength(1);
    warn.mockRestore();
  });
});

describe('the wider networks of a caller', () => {
  it('are the /56 and the /48 of an IPv6 caller, and none of an IPv4 one', () => {
    expect(callerPrefixes('2001:db8:aa:ff13::1')).toEqual(['2001:db8:aa:ff00::/56', '2001:db8:aa::/48']);
    expect(callerPrefixes('2001:0db8:00aa:ff00:1:2:3:4')).toEqual(callerPrefixes('2001:db8:aa:ffff::9'));
    expect(callerPrefixes('2001:db8:aa:fe00::1')[0]).not.toBe(callerPrefixes('2001:db8:aa:ff00::1')[0]);
    expect(callerPrefixes('198.51.100.7')).toEqual([]);
    expect(callerPrefixes('::ffff:198.51.100.7')).toEqual([]);
    expect(callerSite('2001:db8:aa:ff13::1')).toBe('2001:db8:aa::/48');
    expect(callerSite('198.51.100.7')).toBe('198.51.100.7');
  });
});

describe('the known pairs of a database from before them', () => {
  it('carry over the IPv4 sign-ins, a mapped address as its IPv4 one; IPv6 users are known again at their next', () => {
    const db = new Database(':memory:');
    const tooNew = () => new Error('too new');
    const before = MIGRATIONS.filter((migration) => migration.name !== 'sign-in-networks');
    runMigrations(db, before, tooNew);
    const remember = db.prepare(
      'INSERT INTO sign_in_addresses (username_key, address, last_at) VALUES (?, ?, ?)',
    );
    remember.run('k1', '198.51.100.7', '2026-11-01T00:00:00.000Z');
    remember.run('k1', '::ffff:198.51.100.7', '2026-11-02T00:00:00.000Z');
    remember.run('k2', '2001:db8:1:2::5', '2026-11-03T00:00:00.000Z');
    runMigrations(db, MIGRATIONS, tooNew);
    expect(db.prepare('SELECT username_key, network, last_at FROM sign_in_networks').all()).toEqual([
      { username_key: 'k1', network: '198.51.100.7', last_at: '2026-11-02T00:00:00.000Z' },
    ]);
    db.close();
  });
});

describe('the lanes of the gate', () => {
  it('keep the reserved slot from the shared line, give the reserved line the next free slot, and queue a known pair in the shared line when its own is full', async () => {
    const gate = new FairGate({
      running: 2,
      waiting: 4,
      perAddress: { running: 1, waiting: 2 },
      perPrefix: { slash56: 10, slash48: 10 },
      reserved: { running: 1, waiting: 1 },
    });
    const started: string[] = [];
    const finishers = new Map<string, () => void>();
    const task = (name: string) => () => {
      started.push(name);
      return new Promise<void>((resolve) => finishers.set(name, resolve));
    };
    const finish = async (name: string) => {
      finishers.get(name)!();
      await settle();
      await settle();
    };
    const runs = [
      gate.run('10.0.0.1', task('a1')),
      gate.run('10.0.0.2', task('b1')), // the shared lane's one slot is a1's: b1 waits beside a free slot
      gate.run('10.0.1.1', task('k1'), 'reserved'),
      gate.run('10.0.1.2', task('k2'), 'reserved'), // waits in the reserved line
      gate.run('10.0.1.3', task('k3'), 'reserved'), // that line is full: waits in the shared one
    ];
    await settle();
    expect(started).toEqual(['a1', 'k1']);
    await finish('a1'); // the reserved line goes first, into any slot
    expect(started).toEqual(['a1', 'k1', 'k2']);
    await finish('k1');
    expect(started).toEqual(['a1', 'k1', 'k2', 'b1']);
    await finish('k2');
    expect(started).toEqual(['a1', 'k1', 'k2', 'b1']); // k3 is in the shared line, behind b1's slot
    await finish('b1');
    expect(started).toEqual(['a1', 'k1', 'k2', 'b1', 'k3']);
    await finish('k3');
    await Promise.all(runs);
  });

  it('hold a /56 to its cap across its /64s, whatever room the gate has', async () => {
    const gate = new FairGate({
      running: 8,
      waiting: 32,
      perAddress: { running: 1, waiting: 2 },
      perPrefix: { slash56: 2, slash48: 3 },
      reserved: { running: 0, waiting: 0 },
    });
    const never = () => new Promise<void>(() => {});
    void gate.run('2001:db8:1:100::1', never);
    void gate.run('2001:db8:1:101::1', never);
    await expect(gate.run('2001:db8:1:102::1', never)).rejects.toMatchObject({ code: 'sign_in_busy' });
    void gate.run('2001:db8:1:200::1', never); // another /56 of the /48: its third place
    await expect(gate.run('2001:db8:1:300::1', never)).rejects.toMatchObject({ code: 'sign_in_busy' });
    void gate.run('2001:db8:2::1', never); // another /48
  });
});
