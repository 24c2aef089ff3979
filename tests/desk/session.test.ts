// The desk's session against the real server (DESIGN §5): the two sign-in steps and enrolment, sign-out,
// a session the server revoked, and the rule that no secret ever reaches the log or the renderer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { DEMO_INVITATION_TOKEN } from '../../electron/seed/accounts';
import { hashToken } from '../../electron/server/http/session';
import {
  addDeskUser,
  caughtUp,
  nextEvent,
  openDesk,
  signIn,
  startLiveServer,
  unwrap,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

let server: LiveServer;
const desks: TestDesk[] = [];
/** Everything each desk answered, to search for secrets that must never cross to the renderer. */
const answers: unknown[] = [];
/** Every secret the tests typed or the server handed out, to search the logs and answers for. */
const secrets: string[] = [];

beforeAll(async () => {
  server = await startLiveServer({ seed: 'demo' });
}, 120_000);

afterAll(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  await server?.close();
});

async function newDesk() {
  const desk = await openDesk(server.url);
  desks.push(desk);
  const handle = desk.desk.handle.bind(desk.desk);
  desk.desk.handle = (async (channel: string, input?: unknown) => {
    const answer = await handle(channel, input);
    answers.push(answer);
    return answer;
  }) as typeof desk.desk.handle;
  return desk;
}

/** A run of exactly 43 base64url characters: the shape of the server's access and login tokens. */
const TOKEN_LIKE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

describe('signing in', () => {
  it('refuses a wrong password and a wrong code with readable errors, then accepts the right code', async () => {
    const { desk } = await newDesk();
    const user = addDeskUser(server);
    secrets.push(user.password);

    const wrongPassword = await desk.handle('session.signIn', {
      username: user.username,
      password: 'not-the-password',
    });
    expect(wrongPassword).toEqual({
      ok: false,
      error: { code: 'invalid_credentials', message: expect.stringMatching(/username or password/i) },
    });

    expect(await desk.handle('session.signIn', { username: user.username, password: user.password })).toEqual(
      { ok: true, value: { next: 'totp' } },
    );
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({
      user: null,
      awaiting: 'totp',
      serverUrl: server.url,
    });

    const right = totpCodeAt(user.secret, new Date());
    const wrong = right === '000000' ? '111111' : '000000';
    const refused = await desk.handle('session.verify', { code: wrong });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid_totp', message: expect.stringMatching(/authentication code/i) },
    });
    // Still waiting for the code: the same login token takes the right one.
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({ awaiting: 'totp' });
    secrets.push(right);
    const verified = await unwrap(desk.handle('session.verify', { code: right }));
    expect(verified).toEqual({
      user: { id: user.id, username: user.username, displayName: expect.any(String), role: 'agent' },
      backupCodes: null,
    });
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({
      user: { id: user.id },
      awaiting: null,
    });
  });

  it('asks for the password first when a code comes without one', async () => {
    const { desk } = await newDesk();
    expect(await desk.handle('session.verify', { code: '123456' })).toEqual({
      ok: false,
      error: { code: 'sign_in_first', message: expect.any(String) },
    });
  });

  it('does not enrol diego by a password: he has none until he redeems his invitation', async () => {
    const { desk } = await newDesk();
    expect(await desk.handle('session.signIn', { username: 'diego', password: 'diego-demo-pass' })).toEqual({
      ok: false,
      error: { code: 'invalid_credentials', message: expect.any(String) },
    });
  });

  it('enrols diego with the demo invitation: the otpauth URL and its base32 secret, then backup codes', async () => {
    const { desk } = await newDesk();
    const password = 'diego-chosen-password';
    secrets.push(DEMO_INVITATION_TOKEN, password);
    const step = await unwrap(desk.handle('session.redeemInvitation', { token: DEMO_INVITATION_TOKEN, password }));
    if (step.next !== 'enrollment') throw new Error(`expected enrolment, got ${step.next}`);
    expect(step.username).toBe('diego');
    expect(step.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(step.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(new URL(step.otpauthUrl).searchParams.get('secret')).toBe(step.secret);
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({ awaiting: 'enrollment' });

    const code = totpCodeAt(step.secret, new Date());
    secrets.push(code);
    const verified = await unwrap(desk.handle('session.verify', { code }));
    expect(verified.user.username).toBe('diego');
    expect(verified.backupCodes).toHaveLength(10);
  });
});

describe('signing out', () => {
  it('wipes the token: later calls fail as signed out, the sync stops, and the server forgets the session', async () => {
    const { desk } = await newDesk();
    const user = addDeskUser(server);
    const synced = caughtUp(desks.at(-1)!, server);
    await signIn(desk, user);
    await synced;
    const sessions = () =>
      server.ctx.db
        .prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL')
        .get(user.id) as { n: number };
    expect(sessions().n).toBe(1);

    const stopped = nextEvent(desk, 'sync.status', (status) => status.state === 'signed_out');
    expect(await desk.handle('session.signOut')).toEqual({ ok: true, value: null });
    await stopped;
    expect(sessions().n).toBe(0);
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({ user: null, awaiting: null });
    for (const [channel, input] of [
      ['queue.query', {}],
      ['sync.now', undefined],
      ['case.get', { caseId: 'DSP-100001' }],
    ] as const) {
      expect(await desk.handle(channel, input)).toEqual({
        ok: false,
        error: { code: 'signed_out', message: expect.any(String) },
      });
    }
  });
});

describe('a session the server revoked', () => {
  it('emits session.expired on the next call, and the desk is signed out', async () => {
    const { desk } = await newDesk();
    const user = addDeskUser(server);
    const synced = caughtUp(desks.at(-1)!, server);
    await signIn(desk, user);
    await synced;

    server.ctx.write(() =>
      server.ctx.db
        .prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ?')
        .run(new Date().toISOString(), user.id),
    );
    const expired = nextEvent(desk, 'session.expired');
    const stopped = nextEvent(desk, 'sync.status', (status) => status.state === 'signed_out');
    await desk.handle('sync.now');
    expect(await expired).toEqual({ reason: expect.stringMatching(/sign in again/i) });
    await stopped;
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({ user: null });
    expect(await desk.handle('queue.query', {})).toMatchObject({ ok: false, error: { code: 'signed_out' } });
  });
});

describe('a session the server ended for inactivity', () => {
  it('says so in session.expired, with the minutes, for the sign-in screen to show', async () => {
    const { desk } = await newDesk();
    const user = addDeskUser(server);
    const synced = caughtUp(desks.at(-1)!, server);
    await signIn(desk, user);
    await synced;

    // Last used longer ago than the server's idle timeout (30 minutes by default).
    const longAgo = new Date(Date.now() - 31 * 60_000).toISOString();
    server.ctx.write(() =>
      server.ctx.db.prepare('UPDATE sessions SET last_used_at = ? WHERE user_id = ?').run(longAgo, user.id),
    );
    const expired = nextEvent(desk, 'session.expired');
    await desk.handle('sync.now');
    expect(await expired).toEqual({ reason: expect.stringMatching(/30 minutes without activity/), idleMinutes: 30 });
    expect(await unwrap(desk.handle('session.state'))).toMatchObject({ user: null });
  });
});

describe('secrets', () => {
  it('never appear in the log or in what the desk answers', () => {
    const logged = JSON.stringify(desks.flatMap((desk) => desk.logs));
    const answered = JSON.stringify(answers);
    expect(logged.length).toBeGreaterThan(100);
    for (const secret of secrets) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/otpauth|loginToken|accessToken|authorization|bearer/i);
    expect(answered).not.toMatch(/loginToken|accessToken/);
    // Access and login tokens are 43 base64url characters; the server keeps only their sha256. No run of
    // exactly that shape in the log or the answers hashes to a token the server issued.
    const issued = new Set(
      (
        server.ctx.db
          .prepare('SELECT token_hash FROM sessions UNION ALL SELECT token_hash FROM login_tokens')
          .all() as { token_hash: string }[]
      ).map((row) => row.token_hash),
    );
    expect(issued.size).toBeGreaterThan(desks.length);
    const tokenShaped = [...`${logged}\n${answered}`.matchAll(TOKEN_LIKE)].map((match) => match[0]);
    expect(tokenShaped.filter((candidate) => issued.has(hashToken(candidate)))).toEqual([]);
  });
});
