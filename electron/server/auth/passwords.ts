// Passwords are stored as scrypt hashes that carry their own parameters: "scrypt$N$r$p$salt$hash" (base64url
// parts), so the cost can rise without invalidating what is stored: a hash below the configured cost is
// replaced on its owner's next successful sign-in (login.ts). Backup codes have their own, cheaper hash
// (backup-codes.ts explains why).
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP Password Storage Cheat Sheet: "scrypt with a minimum CPU/memory cost parameter of (2^17), a minimum
 * block size of 8 (1024 bytes), and a parallelization parameter of 1". That is 128 MiB and roughly 0.4 s of
 * one core per hash (bench/passwords.bench.ts measures it).
 */
export const OWASP_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };

const KEY_LENGTH = 32;

// scrypt needs 128·N·r bytes; Node refuses anything over 32 MiB unless told otherwise. Twice that leaves
// room for the small p-dependent buffers and refuses a stored hash whose parameters would ask for more.
const maxmemFor = (cost: ScryptCost) => 2 * 128 * cost.N * cost.r * cost.p;

interface StoredHash {
  salt: Buffer;
  hash: Buffer;
  cost: ScryptCost;
}

const formatHash = (cost: ScryptCost, salt: Buffer, hash: Buffer) =>
  ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');

function deriveKey(secret: string, salt: Buffer, length: number, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { ...cost, maxmem: maxmemFor(cost) }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Hashes a password on libuv's thread pool: at OWASP's cost a hash takes long enough to stall every
 *  other request (SSE streams, verdicts) if it ran on the event loop. */
export async function hashPassword(secret: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16);
  return formatHash(cost, salt, await deriveKey(secret, salt, KEY_LENGTH, cost));
}

/**
 * The blocking twin of hashPassword, for seeds and test fixtures that create users inside one synchronous
 * transaction, at the cheap cost they are configured with. A request never calls it.
 */
export function hashPasswordSync(secret: string, cost: ScryptCost): string {
  const salt = randomBytes(16);
  return formatHash(cost, salt, scryptSync(secret, salt, KEY_LENGTH, { ...cost, maxmem: maxmemFor(cost) }));
}

function parseStoredHash(stored: string): StoredHash | null {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || rest.length > 0) return null;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((value) => Number.isSafeInteger(value) && value > 0)) return null;
  return { salt: Buffer.from(salt, 'base64url'), hash: Buffer.from(hash, 'base64url'), cost };
}

/** Checks a secret against its stored hash, on the thread pool like hashPassword. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const actual = await deriveKey(secret, parsed.salt, parsed.hash.length, parsed.cost);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when `stored` is a password hash at all (an invited user's placeholder is not). */
export const isPasswordHash = (stored: string): boolean => parseStoredHash(stored) !== null;

/** True when the stored hash is weaker than `cost` in any parameter, so it should be replaced. */
export function needsRehash(stored: string, cost: ScryptCost): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return true;
  return parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

const decoys = new Map<string, Promise<string>>();

/**
 * A hash that no password matches, at `cost`: an unknown username's password is checked against it, so the
 * answer takes as long as a known user's. Made once per cost and kept; the auth routes warm it at start so
 * that the first unknown username does not pay for it (and stand out by the time taken).
 */
export function decoyHash(cost: ScryptCost): Promise<string> {
  const key = `${cost.N}$${cost.r}$${cost.p}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashPassword(randomBytes(16).toString('hex'), cost);
    decoys.set(key, decoy);
    // A failed attempt (out of memory, say) is not kept: the next sign-in tries again.
    decoy.catch(() => decoys.delete(key));
  }
  return decoy;
}
