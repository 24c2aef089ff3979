// Enrolment by invitation (issue #11): a password alone never reveals a TOTP secret; an invitation token
// (single use, 72 hours, stored hashed) opens enrolment attempts, each with a fresh secret, and only the
// code of the latest attempt's secret confirms it. Codes come from oathtool, not from the code under test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../electron/server/auth/users';
import { findUserById } from '../../electron/server/sql/users';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import {
  addEnrollingUser,
  currentCode,
  enrol,
  expectError,
  login,
  me,
  postJson,
  redeem,
  secretOf,
  signIn,
  submitCode,
} from './fixtures/auth-api';

let server: TestServer;
let supervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  supervisor = addUser(server.ctx, 'supervisor');
});
afterEach(async () => server.close());

// Through the store's own reader: the column holds the secret sealed.
const storedSecret = (userId: string) => findUserById(server.ctx.db, userId)?.totpSecret ?? null;

describe('the hole: a password alone', () => {
  it('never reveals a secret: a user without confirmed 2FA gets 403 enrolment_required and nothing to enrol with', async () => {
    // A user with a password and no 2FA, as every new user was before invitations (and as diego was).
    const userId = server.ctx.write(() =>
      createUser(server.ctx, { username: 'diego', displayName: 'Diego', role: 'agent', password: 'diego-demo-pass', totpSecret: null }),
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await login(server, 'diego', 'diego-demo-pass');
      expectError(answer, 403, 'enrolment_required');
      expect(JSON.stringify(answer.body)).not.toMatch(/otpauth|secret|loginToken/i);
    }
    expect(storedSecret(userId)).toBeNull();
    expect(server.ctx.db.prepare('SELECT COUNT(*) AS n FROM login_tokens').get()).toEqual({ n: 0 });
  });

  it('a wrong password for such a user is the usual 401 invalid_credentials: the 403 needs the password', async () => {
    server.ctx.write(() =>
      createUser(server.ctx, { username: 'erin', displayName: 'Erin', role: 'agent', password: 'erin-the-password', totpSecret: null }),
    );
    expectError(await login(server, 'erin', 'not-the-password'), 401, 'invalid_credentials');
  });
});

describe('redeeming an invitation', () => {
  it('sets the chosen password and shows a fresh secret on each attempt; only the latest attempt confirms', async () => {
    const user = addEnrollingUser(server, 'fabi', supervisor.id);
    const first = await redeem(server, user.invitation, user.password);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['loginToken', 'otpauthUrl', 'status', 'username']);
    expect(first.body).toMatchObject({ status: 'totp_enrollment_required', username: 'fabi' });
    const url = new URL(first.body.otpauthUrl as string);
    expect(url.searchParams.get('issuer')).toBe('Dispute Desk');
    expect(decodeURIComponent(url.pathname)).toBe('/Dispute Desk:fabi');
    const firstSecret = secretOf(first.body.otpauthUrl as string);
    expect(firstSecret).toMatch(/^[A-Z2-7]{32}$/);

    const second = await redeem(server, user.invitation, user.password);
    expect(second.status).toBe(200);
    const secondSecret = secretOf(second.body.otpauthUrl as string);
    expect(secondSecret).not.toBe(firstSecret);
    expect(storedSecret(user.id)).toBe(secondSecret);

    // The first attempt is dead: its login token is gone, and its secret's code does not confirm the second.
    expectError(await submitCode(server, first.body.loginToken as string, currentCode(server, firstSecret)), 401, 'invalid_login_token');
    expectError(await submitCode(server, second.body.loginToken as string, currentCode(server, firstSecret)), 401, 'invalid_totp');
    // Backup codes do not stand in for the first code of an enrolment.
    expectError(await submitCode(server, second.body.loginToken as string, 'abcd-efgh-jkmn-pqrs'), 401, 'invalid_totp');

    const confirmed = await submitCode(server, second.body.loginToken as string, currentCode(server, secondSecret));
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.backupCodes as string[]).toHaveLength(10);
    expect(await me(server, confirmed.body.accessToken as string)).toMatchObject({ status: 200, body: { username: 'fabi' } });

    // From now on an ordinary user: the chosen password and the confirmed secret sign in, no backup codes again.
    const again = await login(server, 'fabi', user.password);
    expect(again.body).toEqual({ status: 'totp_required', loginToken: expect.any(String) });
    server.clock.advance(30_000);
    const later = await submitCode(server, again.body.loginToken as string, currentCode(server, secondSecret));
    expect(later.status).toBe(200);
    expect(later.body).not.toHaveProperty('backupCodes');
  });

  it('is single use: once the enrolment is confirmed the invitation answers 401 invalid_invitation', async () => {
    const user = addEnrollingUser(server, 'gabo', supervisor.id);
    await enrol(server, user);
    const secretBefore = storedSecret(user.id);
    expectError(await redeem(server, user.invitation, 'another-password-1'), 401, 'invalid_invitation');
    expect(storedSecret(user.id)).toBe(secretBefore);
  });

  it('expires after 72 hours', async () => {
    const user = addEnrollingUser(server, 'hugo', supervisor.id);
    server.clock.advance(72 * 60 * 60 * 1000);
    expectError(await redeem(server, user.invitation, user.password), 401, 'invalid_invitation');
  });

  it('answers an unknown token exactly like a spent or expired one', async () => {
    const answer = await redeem(server, 'a'.repeat(43), 'some-long-password');
    expectError(answer, 401, 'invalid_invitation');
    const user = addEnrollingUser(server, 'ines', supervisor.id);
    await enrol(server, user);
    const spent = await redeem(server, user.invitation, 'some-long-password');
    expect(spent).toEqual(answer);
  });

  it('stores only the token’s hash, and at least 128 random bits of it', async () => {
    const user = addEnrollingUser(server, 'juan', supervisor.id);
    expect(Buffer.from(user.invitation, 'base64url').length).toBeGreaterThanOrEqual(16);
    await redeem(server, user.invitation, user.password);
    const dump = JSON.stringify([
      server.ctx.db.prepare('SELECT * FROM invitations').all(),
      server.ctx.db.prepare('SELECT * FROM audit_log').all(),
      server.ctx.db.prepare('SELECT * FROM users').all(),
    ]);
    expect(dump).not.toContain(user.invitation);
    expect(dump).not.toContain(user.password);
  });

  it('lets the invited user sign in with the password they chose, and only that one', async () => {
    const user = addEnrollingUser(server, 'kim', supervisor.id);
    const { secret } = await enrol(server, user);
    expectError(await login(server, 'kim', 'kim-password'), 401, 'invalid_credentials');
    expect(await signIn(server, { username: 'kim', password: user.password, totpSecret: secret })).toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it('refuses bad input with the error envelope, never a 5xx', async () => {
    const user = addEnrollingUser(server, 'lia', supervisor.id);
    const bodies: unknown[] = [
      {},
      { token: user.invitation },
      { password: user.password },
      { token: user.invitation, password: 'short' },
      { token: user.invitation, password: 'x'.repeat(257) },
      { token: 'not a token!', password: user.password },
      { token: 'abc', password: user.password },
      { token: user.invitation, password: user.password, extra: 1 },
      { token: 42, password: user.password },
      [],
      'null',
      '{"token":',
    ];
    for (const body of bodies) expectError(await postJson(server, '/v1/auth/invitation', body), 400, 'invalid_request');
    // Nothing was applied: the invitation still works.
    expect((await redeem(server, user.invitation, user.password)).status).toBe(200);
  });
});
