// Passwords are stored as scrypt hashes: "scrypt$N$r$p$salt$hash" (base64url parts). Backup codes have their
// own, cheaper hash (backup-codes.ts explains why).
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface StoredHash {
  salt: Buffer;
  hash: Buffer;
  options: ScryptOptions;
}

function parseStoredHash(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return null;
  return {
    salt: Buffer.from(salt, 'base64url'),
    hash: Buffer.from(hash, 'base64url'),
    options: { N: Number(n), r: Number(r), p: Number(p) },
  };
}

/** Checks a secret against its stored hash. Asynchronous on purpose: scrypt runs on libuv's thread pool,
 *  so a sign-in's ~50 ms of hashing never stalls other requests (SSE streams, verdicts) meanwhile. */
export function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(secret, parsed.salt, parsed.hash.length, parsed.options, (error, actual) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(actual, parsed.hash));
    });
  });
}

/** A hash that no password matches, for spending the same time on an unknown username. */
export const DECOY_HASH = hashSecret(randomBytes(16).toString('hex'));
