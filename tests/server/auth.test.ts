// Sign-in, enrolment, backup codes, lockout, sessions and bad input on the auth routes (DESIGN §2 "auth"
// rows and the TOTP paragraph). Codes come from oathtool, an implementation independent of the server's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SIGN_IN_LOCKOUT_MS,
  SIGN_IN_MAX_FAILURES,
  SIGN_IN_WINDOW_MS,
} from '../../electron/server/auth/lockout';
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
let agent: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
});
afterEach(async () => server.close());

const nextStep = () => server.clock.advance(30_000);

const logout = async (accessToken: string) =>
  (
    await server.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      headers: { authorization: `Bearer ${accessToken}` },
    })
  ).statusCode;

const auditActions = () =>
  (server.ctx.db.prepare('SELECT action FROM audit_log ORDER BY seq').all() as { action: string }[]).map(
    (row) => row.action,
  );

describe('sign-in of a user with confirmed 2FA', () => {
  it('password → totp_required with a login token; code → a session that works on /v1/me until logout', async () => {
    const started = await login(server, agent.username, agent.password);
    expect(started.status).toBe(200);
    expect(Object.keys(started.body).sort()).toEqual(['loginToken', 'status']);
    expect(started.body.status).toBe('totp_required');

    const finished = await submitCode(
      server,
      started.body.loginToken as string,
      currentCode(server, agent.totpSecret),
    );
    expect(finished.status).toBe(200);
    const expectedUser = {
      id: agent.id,
      username: agent.username,
      displayName: `Test ${agent.username}`,
      role: 'agent',
    };
    expect(finished.body).toEqual({
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
      expiresAt: new Date(server.clock.now.getTime() + server.ctx.config.sessionTtlMs).toISOString(),
      user: expectedUser,
    });
    const accessToken = finished.body.accessToken as string;

    expect(await me(server, accessToken)).toEqual({ status: 200, body: expectedUser });
    expect(await logout(accessToken)).toBe(204);
    expectError(await me(server, accessToken), 401, 'unauthenticated');
    expect(await logout(accessToken)).toBe(401);
    expect(auditActions()).toEqual(['auth.signed_in', 'auth.signed_out']);
  });

  it('reads the Bearer scheme in any letter case, and nothing but Bearer', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `${scheme} ${agent.token}` },
      });
      expect(response.statusCode, scheme).toBe(200);
    }
    for (const header of [`Basic ${agent.token}`, `Bearer${agent.token}`, agent.token]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: header },
      });
      expect(response.statusCode, header).toBe(401);
    }
  });

  it('matches the username case-insensitively', async () => {
    expect((await login(server, agent.username.toUpperCase(), agent.password)).status).toBe(200);
  });

  it('answers an unknown user exactly like a wrong password: 401 invalid_credentials', async () => {
    const wrongPassword = await login(server, agent.username, 'not-the-password');
    const unknownUser = await login(server, 'nobody-here', 'not-the-password');
    expectError(wrongPassword, 401, 'invalid_credentials');
    expect(unknownUser).toEqual(wrongPassword);
  });

  it('stores tokens only as hashes', async () => {
    const started = await login(server, agent.username, agent.password);
    const { accessToken } = (
      await submitCode(server, started.body.loginToken as string, currentCode(server, agent.totpSecret))
    ).body as {
      accessToken: string;
    };
    const dump = JSON.stringify([
      server.ctx.db.prepare('SELECT * FROM login_tokens').all(),
      server.ctx.db.prepare('SELECT * FROM sessions').all(),
    ]);
    expect(dump).not.toContain(started.body.loginToken);
    expect(dump).not.toContain(accessToken);
  });
});

// Enrolment itself (by invitation, a fresh secret per attempt) is tested in enrolment.test.ts.

describe('backup codes', () => {
  async function enrolledWithBackupCodes() {
    const user = addEnrollingUser(server, 'fabi', agent.id);
    const { secret, backupCodes } = await enrol(server, user);
    return { ...user, secret, backupCodes };
  }

  it('each works once in place of a TOTP code; a second use fails', async () => {
    const user = await enrolledWithBackupCodes();
    const [code] = user.backupCodes;
    const first = await login(server, 'fabi', user.password);
    const used = await submitCode(server, first.body.loginToken as string, code!);
    expect(used.status).toBe(200);
    expect(await me(server, used.body.accessToken as string)).toMatchObject({ status: 200 });

    const second = await login(server, 'fabi', user.password);
    expectError(await submitCode(server, second.body.loginToken as string, code!), 401, 'invalid_totp');
    expect(auditActions().filter((action) => action === 'auth.backup_code_used')).toHaveLength(1);
  });

  it('are read loosely (case, dashes, spaces) and stored only as salted hashes', async () => {
    const user = await enrolledWithBackupCodes();
    const typed = ` ${user.backupCodes[3]!.toUpperCase().replace(/-/g, ' ')} `;
    const started = await login(server, 'fabi', user.password);
    expect((await submitCode(server, started.body.loginToken as string, typed)).status).toBe(200);
    const rows = server.ctx.db
      .prepare('SELECT code_hash, used_at FROM backup_codes WHERE user_id = ?')
      .all(user.id) as {
      code_hash: string;
      used_at: string | null;
    }[];
    expect(rows).toHaveLength(10);
    expect(rows.filter((row) => row.used_at !== null)).toHaveLength(1);
    const stored = JSON.stringify(rows);
    for (const code of user.backupCodes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ''));
    }
    expect(new Set(rows.map((row) => row.code_hash.split('$')[1])).size).toBe(10); // one salt per code
  });

  it('does not let two sign-ins racing with one backup code both through', async () => {
    const user = await enrolledWithBackupCodes();
    const tokens = [
      await login(server, 'fabi', user.password),
      await login(server, 'fabi', user.password),
    ].map((answer) => answer.body.loginToken as string);
    const answers = await Promise.all(tokens.map((token) => submitCode(server, token, user.backupCodes[0]!)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });
});

describe('lockout after 5 failed attempts in 15 minutes', () => {
  const wrongPassword = () => login(server, agent.username, 'wrong-password');

  it('locks sign-in for 15 minutes after a mix of bad passwords and bad codes, the right password included', async () => {
    for (let i = 0; i < 3; i++) expectError(await wrongPassword(), 401, 'invalid_credentials');
    const started = await login(server, agent.username, agent.password);
    expect(started.status).toBe(200);
    const token = started.body.loginToken as string;
    expectError(await submitCode(server, token, '000000'), 401, 'invalid_totp');
    expectError(await submitCode(server, token, 'zzzz-zzzz-zzzz-zzzz'), 401, 'invalid_totp');

    expectError(await login(server, agent.username, agent.password), 429, 'locked_out');
    // A login token from before the lock does not get around it, even with the right code.
    expectError(await submitCode(server, token, currentCode(server, agent.totpSecret)), 429, 'locked_out');
    expect(auditActions()).toEqual(['auth.locked_out']);

    server.clock.advance(SIGN_IN_LOCKOUT_MS - 1_000);
    expectError(await login(server, agent.username, agent.password), 429, 'locked_out');
    server.clock.advance(1_000);
    const session = await signIn(server, agent);
    expect((await me(server, session.accessToken)).status).toBe(200);
  });

  it('does not count attempts made while locked, and gives a fresh count once the lock ends', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) await wrongPassword();
    for (let i = 0; i < 10; i++) expectError(await wrongPassword(), 429, 'locked_out');
    server.clock.advance(SIGN_IN_LOCKOUT_MS);
    for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++)
      expectError(await wrongPassword(), 401, 'invalid_credentials');
    expect((await login(server, agent.username, agent.password)).status).toBe(200);
    expectError(await wrongPassword(), 401, 'invalid_credentials');
    expectError(await login(server, agent.username, agent.password), 429, 'locked_out');
  });

  it('is not reset by a successful sign-in', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++) await wrongPassword();
    await signIn(server, agent);
    expectError(await wrongPassword(), 401, 'invalid_credentials');
    expectError(await login(server, agent.username, agent.password), 429, 'locked_out');
  });

  it('forgets failures older than 15 minutes', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES - 1; i++) await wrongPassword();
    server.clock.advance(SIGN_IN_WINDOW_MS);
    expectError(await wrongPassword(), 401, 'invalid_credentials');
    expect((await login(server, agent.username, agent.password)).status).toBe(200);
  });

  it('locks one user, not the others', async () => {
    const other = addUser(server.ctx, 'agent');
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) await wrongPassword();
    expectError(await login(server, agent.username, agent.password), 429, 'locked_out');
    expect((await login(server, other.username, other.password)).status).toBe(200);
  });
});

describe('expiry', () => {
  it('a session stops working when it expires: 401 unauthenticated', async () => {
    const { accessToken, expiresAt } = await signIn(server, agent);
    expect(expiresAt).toBe(new Date(server.clock.now.getTime() + server.ctx.config.sessionTtlMs).toISOString());
    // Used every 20 minutes, so the idle timeout (session-idle.test.ts) never ends it first.
    const endsAt = Date.parse(expiresAt);
    while (server.clock.now.getTime() + 20 * 60_000 < endsAt) {
      server.clock.advance(20 * 60_000);
      expect((await me(server, accessToken)).status).toBe(200);
    }
    server.clock.set(new Date(endsAt - 1_000));
    expect((await me(server, accessToken)).status).toBe(200);
    server.clock.advance(1_000);
    expectError(await me(server, accessToken), 401, 'unauthenticated');
  });

  it('a login token expires, and is spent by the sign-in: 401 invalid_login_token', async () => {
    const started = await login(server, agent.username, agent.password);
    server.clock.advance(server.ctx.config.loginTokenTtlMs);
    expectError(
      await submitCode(server, started.body.loginToken as string, currentCode(server, agent.totpSecret)),
      401,
      'invalid_login_token',
    );

    const again = await login(server, agent.username, agent.password);
    expect(
      (await submitCode(server, again.body.loginToken as string, currentCode(server, agent.totpSecret))).status,
    ).toBe(200);
    nextStep();
    expectError(
      await submitCode(server, again.body.loginToken as string, currentCode(server, agent.totpSecret)),
      401,
      'invalid_login_token',
    );
    expectError(
      await submitCode(server, 'made-up-login-token-000000000000', currentCode(server, agent.totpSecret)),
      401,
      'invalid_login_token',
    );
  });
});

describe('bad input: 400 invalid_request with the envelope, never 5xx', () => {
  const huge = 'x'.repeat(200_000);
  const badLogins: unknown[] = [
    {},
    { username: 'ana' },
    { password: 'ana-demo-pass' },
    { username: 42, password: 'x' },
    { username: 'ana', password: ['x'] },
    { username: null, password: null },
    { username: '', password: 'x' },
    { username: 'ana', password: '' },
    { username: huge, password: 'x' },
    { username: 'ana', password: huge },
    { username: 'ana', password: 'x', role: 'supervisor' },
    [],
    'just a string',
    42,
    null,
  ];
  const badCodes = (loginToken: string): unknown[] => [
    {},
    { loginToken },
    { code: '123456' },
    { loginToken, code: 123456 },
    { loginToken: 7, code: '123456' },
    { loginToken, code: '' },
    { loginToken, code: huge },
    { loginToken: huge, code: '123456' },
    { loginToken, code: '123456', extra: true },
    [],
    null,
  ];

  it('on /v1/auth/login', async () => {
    for (const body of badLogins) {
      expectError(await postJson(server, '/v1/auth/login', JSON.stringify(body)), 400, 'invalid_request');
    }
  });

  it('on /v1/auth/totp, and the bad calls do not count towards the lockout', async () => {
    const token = (await login(server, agent.username, agent.password)).body.loginToken as string;
    for (const body of badCodes(token)) {
      expectError(await postJson(server, '/v1/auth/totp', JSON.stringify(body)), 400, 'invalid_request');
    }
    expect((await submitCode(server, token, currentCode(server, agent.totpSecret))).status).toBe(200);
  });

  it('malformed JSON and an empty body', async () => {
    for (const url of ['/v1/auth/login', '/v1/auth/totp']) {
      for (const payload of ['{"username": "ana", ', '{username: ana}', 'nul', '']) {
        expectError(await postJson(server, url, payload), 400, 'invalid_request');
      }
    }
  });

  it('a body over 1 MiB: 413 payload_too_large', async () => {
    const answer = await postJson(server, '/v1/auth/login', {
      username: 'ana',
      password: 'x'.repeat(1024 * 1024 + 1),
    });
    expectError(answer, 413, 'payload_too_large');
  });
});

describe('per-address rate limit on the auth routes', () => {
  it('answers 429 rate_limited past the configured number of calls a minute', async () => {
    const limited = await createTestServer({ signInRateLimitPerMinute: 3 });
    try {
      const user = addUser(limited.ctx, 'agent');
      for (let i = 0; i < 3; i++) {
        expect(
          (await postJson(limited, '/v1/auth/login', { username: user.username, password: 'wrong' })).status,
        ).toBe(401);
      }
      expectError(
        await postJson(limited, '/v1/auth/login', { username: user.username, password: user.password }),
        429,
        'rate_limited',
      );
    } finally {
      await limited.close();
    }
  });

  it('is generous by default (hundreds a minute)', () => {
    expect(server.ctx.config.authRateLimitPerMinute).toBeGreaterThanOrEqual(200);
  });
});

describe('audit', () => {
  it('records sign-in, enrolment, backup code use, lockout and sign-out, with no secret in the data', async () => {
    const user = addEnrollingUser(server, 'gabo', agent.id);
    const started = await redeem(server, user.invitation, user.password);
    const secret = secretOf(started.body.otpauthUrl as string);
    const code = currentCode(server, secret);
    const confirmed = await submitCode(server, started.body.loginToken as string, code);
    const backupCodes = confirmed.body.backupCodes as string[];
    const again = await login(server, 'gabo', user.password);
    const viaBackup = await submitCode(server, again.body.loginToken as string, backupCodes[0]!);
    expect(await logout(viaBackup.body.accessToken as string)).toBe(204);
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) await login(server, 'gabo', 'wrong-password');

    const entries = server.ctx.db
      .prepare('SELECT actor, action, subject, data FROM audit_log ORDER BY seq')
      .all() as {
      actor: string;
      action: string;
      subject: string;
      data: string;
    }[];
    expect(entries.map((entry) => [entry.actor, entry.action, entry.subject])).toEqual([
      [user.id, 'auth.invitation_redeemed', user.id],
      [user.id, 'auth.totp_enrolled', user.id],
      [user.id, 'auth.signed_in', user.id],
      [user.id, 'auth.backup_code_used', user.id],
      [user.id, 'auth.signed_in', user.id],
      [user.id, 'auth.signed_out', user.id],
      ['system', 'auth.locked_out', user.id],
    ]);
    const secrets = [
      user.password,
      user.invitation,
      secret,
      code,
      started.body.loginToken as string,
      again.body.loginToken as string,
      confirmed.body.accessToken as string,
      viaBackup.body.accessToken as string,
      ...backupCodes,
      ...backupCodes.map((backup) => backup.replace(/-/g, '')),
    ];
    const dump = JSON.stringify(server.ctx.db.prepare('SELECT * FROM audit_log').all());
    for (const value of secrets) expect(dump).not.toContain(value);
  });
});
