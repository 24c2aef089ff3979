// Backup codes (DESIGN §2): 10 per user, handed out once when the user confirms TOTP enrolment, each good
// for one sign-in in place of a TOTP code.
//
// A code is 16 random characters of Crockford's base32 (80 bits), shown as xxxx-xxxx-xxxx-xxxx. They are
// stored as HMAC-SHA256 keyed with a random per-code salt, not with scrypt like passwords: scrypt exists to
// make guessing a low-entropy, human-chosen secret slow, whereas 80 random bits cannot be brute-forced
// offline even with a fast hash (2^80 tries per code). scrypt would instead cost ~50 ms per code: half a
// second to enrol, and as much again on every use, because a salted code must be tried against each of
// the user's stored hashes. Online guessing is bounded by the sign-in lockout, like TOTP codes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/open';
import { replaceBackupCodeHashes, spendBackupCode, unusedBackupCodeHashes } from '../sql/users';

export const BACKUP_CODE_COUNT = 10;
const CODE_LENGTH = 16;
const GROUP_LENGTH = 4;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const SCHEME = 'hmac-sha256';

function newBackupCode(): string {
  // 256 is a multiple of 32, so taking each byte modulo 32 keeps every character equally likely.
  return [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

const formatBackupCode = (code: string) => code.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-');

/**
 * The canonical form of what a user typed, or null if it cannot be a backup code. Case, dashes and spaces
 * do not matter, and the letters people confuse with digits read as those digits (Crockford's rules).
 */
export function normaliseBackupCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null;
}

function digest(code: string, salt: Buffer): Buffer {
  return createHmac('sha256', salt).update(code).digest();
}

function hashBackupCode(code: string): string {
  const salt = randomBytes(16);
  return [SCHEME, salt.toString('base64url'), digest(code, salt).toString('base64url')].join('$');
}

function matchesHash(code: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== SCHEME || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = digest(code, Buffer.from(salt, 'base64url'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Replaces the user's backup codes with 10 new ones and returns them, formatted, for showing once.
 *  Call inside ctx.write(). */
export function issueBackupCodes(db: Db, userId: string): string[] {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
  replaceBackupCodeHashes(db, userId, codes.map(hashBackupCode));
  return codes.map(formatBackupCode);
}

/**
 * Spends an unused backup code of the user. The conditional UPDATE is the decision, so two requests with
 * the same code cannot both pass. Returns how many unused codes remain, or null if `input` is not one of
 * the user's unused codes. Call inside ctx.write().
 */
export function consumeBackupCode(
  db: Db,
  userId: string,
  input: string,
  at: Date,
): { remaining: number } | null {
  const code = normaliseBackupCode(input);
  if (!code) return null;
  const unused = unusedBackupCodeHashes(db, userId);
  const match = unused.find((hash) => matchesHash(code, hash));
  if (!match) return null;
  return spendBackupCode(db, userId, match, at.toISOString()) ? { remaining: unused.length - 1 } : null;
}
