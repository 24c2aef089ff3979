// TOTP (DESIGN §2 "TOTP"): RFC 6238 checked against its own test vectors and against an independent
// implementation (oathtool); the current and previous step only; each code once per user, at sign-in
// (401) and at step-up (403, throttled without counting replays).
import { generateSync, verifySync } from 'otplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requireStepUp, STEP_UP_MAX_FAILURES, STEP_UP_WINDOW_MS } from '../../electron/server/auth/stepup';
import { matchTotpStep, newTotpSecret, totpCodeAt } from '../../electron/server/auth/totp';
import { ApiError } from '../../electron/server/errors';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import { login, oathtoolCode, submitCode } from './fixtures/auth-api';

const STEP_MS = 30_000;
const DAY_MS = 86_400_000;

// RFC 6238 appendix B, SHA-1 column: the seed is the ASCII string "12345678901234567890".
const RFC_SEED_ASCII = '12345678901234567890';
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_SHA1_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('the TOTP algorithm', () => {
  it('reproduces the RFC 6238 SHA-1 test vectors (8 digits), and oathtool agrees', () => {
    const seed = new TextEncoder().encode(RFC_SEED_ASCII);
    for (const [seconds, expected] of RFC_SHA1_VECTORS) {
      expect(generateSync({ secret: seed, epoch: seconds, digits: 8 }), `t=${seconds}`).toBe(expected);
      expect(oathtoolCode(RFC_SEED_BASE32, new Date(seconds * 1000), 8), `t=${seconds}`).toBe(expected);
    }
  });

  it('makes the 6-digit codes the server uses (the vectors truncated to 6 digits, mod 10^6)', () => {
    for (const [seconds, expected] of RFC_SHA1_VECTORS) {
      const at = new Date(seconds * 1000);
      expect(totpCodeAt(RFC_SEED_BASE32, at), `t=${seconds}`).toBe(expected.slice(-6));
      expect(matchTotpStep(RFC_SEED_BASE32, expected.slice(-6), at)).toBe(Math.floor(seconds / 30));
    }
  });

  it('accepts what oathtool computes for fresh random secrets at many moments', () => {
    const start = Date.parse('2026-11-24T12:00:10.000Z');
    for (let i = 0; i < 20; i++) {
      const secret = newTotpSecret();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes in base32
      const at = new Date(start + i * 7_919_000);
      const code = oathtoolCode(secret, at);
      expect(matchTotpStep(secret, code, at)).toBe(Math.floor(at.getTime() / STEP_MS));
    }
  });

  it("agrees with otplib's own verifySync (the library the check stood on before issue #13) at random moments", () => {
    let accepted = 0;
    for (let i = 0; i < 200; i++) {
      const secret = newTotpSecret();
      const at = new Date(Date.parse('2026-11-24T00:00:00.000Z') + Math.floor(Math.random() * 365 * DAY_MS));
      const epoch = Math.floor(at.getTime() / 1000);
      const code = generateSync({ secret, epoch: epoch + (Math.floor(Math.random() * 4) - 2) * 30 });
      const library = verifySync({ secret, token: code, epoch, epochTolerance: [30, 0] });
      const expected = library.valid && 'timeStep' in library ? library.timeStep : null;
      expect(matchTotpStep(secret, code, at), `${secret} at ${at.toISOString()}`).toBe(expected);
      if (expected !== null) accepted += 1;
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(200);
  });

  it('takes the current and the previous step only: not two steps back, not one ahead', () => {
    const secret = newTotpSecret();
    const at = new Date('2026-11-24T12:00:10.000Z');
    const step = Math.floor(at.getTime() / STEP_MS);
    const codeAt = (offsetSteps: number) =>
      oathtoolCode(secret, new Date(at.getTime() + offsetSteps * STEP_MS));
    expect(matchTotpStep(secret, codeAt(0), at)).toBe(step);
    expect(matchTotpStep(secret, codeAt(-1), at)).toBe(step - 1);
    expect(matchTotpStep(secret, codeAt(-2), at)).toBeNull();
    expect(matchTotpStep(secret, codeAt(1), at)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', at)).toBeNull();
    expect(matchTotpStep(secret, '1234567', at)).toBeNull();
  });

  it('refuses to check a code against a secret shorter than 128 bits, as otplib does', () => {
    const at = new Date('2026-11-24T12:00:10.000Z');
    const short = 'GEZDGNBVGY3TQOJQGEZDGNBV'; // 15 bytes
    expect(() => matchTotpStep(short, '123456', at)).toThrow(/at least 16 bytes/);
    expect(() => verifySync({ secret: short, token: '123456', epoch: 0 })).toThrow();
  });
});

let server: TestServer;
let user: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  user = addUser(server.ctx, 'agent');
});
afterEach(async () => server.close());

async function loginToken(): Promise<string> {
  const answer = await login(server, user.username, user.password);
  expect(answer).toMatchObject({ status: 200, body: { status: 'totp_required' } });
  return answer.body.loginToken as string;
}

const codeSteps = (offsetSteps: number) =>
  oathtoolCode(user.totpSecret, new Date(server.clock.now.getTime() + offsetSteps * STEP_MS));

describe('codes at sign-in', () => {
  it('accepts the code oathtool computes at the pinned clock', async () => {
    const answer = await submitCode(
      server,
      await loginToken(),
      oathtoolCode(user.totpSecret, server.clock.now),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user: { id: user.id, username: user.username, role: 'agent' } });
  });

  it('accepts the code of the previous step', async () => {
    const answer = await submitCode(server, await loginToken(), codeSteps(-1));
    expect(answer.status).toBe(200);
  });

  it('refuses codes two steps back and one step ahead: 401 invalid_totp', async () => {
    const token = await loginToken();
    expect(await submitCode(server, token, codeSteps(-2))).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_totp' } },
    });
    expect(await submitCode(server, token, codeSteps(1))).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_totp' } },
    });
    // The login token survives wrong codes: the right one still works.
    expect((await submitCode(server, token, codeSteps(0))).status).toBe(200);
  });

  it('refuses a code used once already: 401 totp_replayed, also from a new login and for an older step', async () => {
    const code = codeSteps(0);
    expect((await submitCode(server, await loginToken(), code)).status).toBe(200);
    expect(await submitCode(server, await loginToken(), code)).toMatchObject({
      status: 401,
      body: { error: { code: 'totp_replayed' } },
    });
    // The previous step is older than the one used: a replay too, not a second chance.
    expect(await submitCode(server, await loginToken(), codeSteps(-1))).toMatchObject({
      status: 401,
      body: { error: { code: 'totp_replayed' } },
    });
    server.clock.advance(STEP_MS);
    expect((await submitCode(server, await loginToken(), codeSteps(0))).status).toBe(200);
  });

  it('lets only one of two sign-ins racing with the same code through', async () => {
    const [first, second] = [await loginToken(), await loginToken()];
    const code = codeSteps(0);
    const answers = await Promise.all([submitCode(server, first, code), submitCode(server, second, code)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.status === 401)!.body).toMatchObject({
      error: { code: 'totp_replayed' },
    });
  });

  it('does not count a replayed code as a failed attempt', async () => {
    const code = codeSteps(0);
    expect((await submitCode(server, await loginToken(), code)).status).toBe(200);
    for (let i = 0; i < 8; i++) {
      expect((await submitCode(server, await loginToken(), code)).body).toMatchObject({
        error: { code: 'totp_replayed' },
      });
    }
    server.clock.advance(STEP_MS);
    expect((await submitCode(server, await loginToken(), codeSteps(0))).status).toBe(200);
  });
});

describe('step-up codes (auth/stepup.ts)', () => {
  const stepUpError = (code: string): string | null => {
    try {
      requireStepUp(server.ctx, { ...user, displayName: `Test ${user.username}` }, code);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      return `${(error as ApiError).status} ${(error as ApiError).code}`;
    }
  };
  const wrongCode = () => (Number(codeSteps(0)) + 1).toString().padStart(6, '0').slice(-6);

  it('accepts a fresh code once; a replay is 403 totp_replayed, a wrong one 403 invalid_totp', () => {
    const code = codeSteps(0);
    expect(stepUpError(code)).toBeNull();
    expect(stepUpError(code)).toBe('403 totp_replayed');
    expect(stepUpError(wrongCode())).toBe('403 invalid_totp');
  });

  it(`throttles after ${STEP_UP_MAX_FAILURES} wrong codes in 15 minutes, even the right code: 429 too_many_attempts`, () => {
    for (let i = 0; i < STEP_UP_MAX_FAILURES; i++) expect(stepUpError(wrongCode())).toBe('403 invalid_totp');
    server.clock.advance(STEP_MS);
    expect(stepUpError(codeSteps(0))).toBe('429 too_many_attempts');
    server.clock.advance(STEP_UP_WINDOW_MS);
    expect(stepUpError(codeSteps(0))).toBeNull();
  });

  it('does not count replayed codes as guesses', () => {
    for (let i = 0; i < STEP_UP_MAX_FAILURES - 1; i++)
      expect(stepUpError(wrongCode())).toBe('403 invalid_totp');
    const code = codeSteps(0);
    expect(stepUpError(code)).toBeNull();
    for (let i = 0; i < 10; i++) expect(stepUpError(code)).toBe('403 totp_replayed');
    server.clock.advance(STEP_MS);
    expect(stepUpError(codeSteps(0))).toBeNull();
  });

  it('is separate from the sign-in lockout: wrong step-up codes do not lock sign-in', async () => {
    for (let i = 0; i < STEP_UP_MAX_FAILURES; i++) expect(stepUpError(wrongCode())).toBe('403 invalid_totp');
    expect((await login(server, user.username, user.password)).status).toBe(200);
  });
});
