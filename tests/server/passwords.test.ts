// Password hashing (issue #11): scrypt at OWASP's cost by default, hashes that carry their parameters, and
// hashes below the configured cost upgraded at the owner's next successful sign-in, never downgraded.
import { afterEach, describe, expect, it } from 'vitest';
import {
  hashPassword,
  hashPasswordSync,
  needsRehash,
  OWASP_SCRYPT_COST,
  verifySecret,
  type ScryptCost,
} from '../../electron/server/auth/passwords';
import { createUser } from '../../electron/server/auth/users';
import { defaultConfig } from '../../electron/server/config';
import { createTestServer, TEST_PASSWORD_COST, type TestServer } from './harness';
import { login } from './fixtures/auth-api';

let server: TestServer | undefined;
afterEach(async () => server?.close());

const costOf = (stored: string) => stored.split('$').slice(1, 4).map(Number);

describe('scrypt cost', () => {
  it("defaults to OWASP's minimum: N = 2^17, r = 8, p = 1", () => {
    expect(OWASP_SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 });
    expect(defaultConfig().passwordHashCost).toEqual(OWASP_SCRYPT_COST);
  });

  it('hashes at that cost (128 MiB, over Node’s default memory cap) and the hash names its parameters', async () => {
    const stored = await hashPassword('correct horse', OWASP_SCRYPT_COST);
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifySecret('correct horse', stored)).toBe(true);
    expect(await verifySecret('correct horse!', stored)).toBe(false);
  });

  it('checks a hash at the cost written in it, whatever the configured cost', async () => {
    const cheap = hashPasswordSync('pw', { N: 2 ** 10, r: 8, p: 1 });
    const dearer = hashPasswordSync('pw', { N: 2 ** 12, r: 8, p: 1 });
    expect(costOf(cheap)).toEqual([1024, 8, 1]);
    expect(await verifySecret('pw', cheap)).toBe(true);
    expect(await verifySecret('pw', dearer)).toBe(true);
  });

  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const stored of ['', 'scrypt$x$8$1$a$b', 'bcrypt$10$8$1$a$b', 'scrypt$1024$8$1$a$b$c', 'scrypt$-1$8$1$a$b']) {
      expect(await verifySecret('pw', stored)).toBe(false);
      expect(needsRehash(stored, TEST_PASSWORD_COST)).toBe(true);
    }
  });
});

describe('upgrading stored hashes at sign-in', () => {
  const STRONGER: ScryptCost = { N: 2 ** 11, r: 8, p: 1 };

  async function serverWithUser(storedCost: ScryptCost, configured: ScryptCost) {
    server = await createTestServer({ passwordHashCost: configured });
    const s = server;
    const id = s.ctx.write(() =>
      createUser(s.ctx, {
        username: 'lena',
        displayName: 'Lena',
        role: 'agent',
        password: 'lena-password',
        passwordHash: hashPasswordSync('lena-password', storedCost),
        totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      }),
    );
    const storedHash = () =>
      (s.ctx.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string })
        .password_hash;
    return { s, storedHash };
  }

  it('rehashes a weaker hash at the configured cost once the password is right, and it still works', async () => {
    const { s, storedHash } = await serverWithUser(TEST_PASSWORD_COST, STRONGER);
    const before = storedHash();
    expect((await login(s, 'lena', 'wrong')).status).toBe(401);
    expect(storedHash()).toBe(before);

    expect((await login(s, 'lena', 'lena-password')).status).toBe(200);
    expect(costOf(storedHash())).toEqual([STRONGER.N, STRONGER.r, STRONGER.p]);
    expect(await verifySecret('lena-password', storedHash())).toBe(true);

    const upgraded = storedHash();
    expect((await login(s, 'lena', 'lena-password')).status).toBe(200);
    expect(storedHash()).toBe(upgraded);
  });

  it('never writes a weaker hash over a stronger one (a test harness’s cheap cost cannot weaken it)', async () => {
    const { s, storedHash } = await serverWithUser(STRONGER, TEST_PASSWORD_COST);
    const before = storedHash();
    expect((await login(s, 'lena', 'lena-password')).status).toBe(200);
    expect(storedHash()).toBe(before);
  });
});
