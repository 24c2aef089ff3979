// TOTP seeds sealed at rest (issue #11). A copy of the database (a backup, a stolen disk image, a support
// dump) must not be enough to mint anyone's second factor, so each seed is stored encrypted with AES-256-GCM
// under a key that lives in a file beside the database, never in it (like the audit signing key): `totp-seal.key`,
// created on first start with mode 0600 and refused when others can read it. The user id is the associated
// data, so a sealed seed copied onto another user's row does not open.
//
// The SQL functions (sql/users.ts) seal and open through the box bound to their connection, so no caller
// handles a sealed value or threads the key through.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRETS_KEY_FILE = 'totp-seal.key';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Lower case and a colon: never part of a base32 seed, so a sealed value cannot be mistaken for a plain one. */
const SEALED_PREFIX = 'sealed:v1:';
const PURPOSE = 'dispute-desk totp seed\0';

export class SecretsKeyError extends Error {
  readonly code = 'secrets_key_unusable';
}

export interface SecretBox {
  /** Names the key without revealing it: kept in the database to tell a wrong key from the right one. */
  keyId: string;
  seal(plaintext: string, userId: string): string;
  /** Throws SecretsKeyError when the value was not sealed with this key for this user. */
  open(sealed: string, userId: string): string;
}

export const isSealed = (value: string) => value.startsWith(SEALED_PREFIX);

const associatedData = (userId: string) => Buffer.from(PURPOSE + userId, 'utf8');

export function keyIdOf(key: Buffer): string {
  return createHash('sha256')
    .update('dispute-desk totp-seal key id\0')
    .update(key)
    .digest('hex')
    .slice(0, 16);
}

/** A box over a raw 32-byte key. */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new SecretsKeyError(`A sealing key is ${KEY_BYTES} bytes.`);
  return {
    keyId: keyIdOf(key),
    seal(plaintext, userId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(userId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed, userId) {
      if (!isSealed(sealed)) throw new SecretsKeyError(`The TOTP seed of ${userId} is not sealed.`);
      const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES)
        throw new SecretsKeyError(`The sealed TOTP seed of ${userId} is truncated.`);
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(userId));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      try {
        return Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretsKeyError(`The TOTP seed of ${userId} does not open with the key ${keyIdOf(key)}.`);
      }
    },
  };
}

/** Compares two seeds in constant time (for the same length; seeds have one length per kind). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Creates a new random key file (mode 0600); of two processes starting at once, one creates it. */
export function createSecretsKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Reads the key file, refusing one that others can read or that does not hold a key. */
export function readSecretsKeyFile(file: string): SecretBox {
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new SecretsKeyError(
        `The TOTP sealing key ${file} can be read by other users (mode ${mode.toString(8)}). Run: chmod 600 "${file}"`,
      );
    }
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new SecretsKeyError(
      `The TOTP sealing key ${file} does not hold a key (${KEY_BYTES} bytes in base64).`,
    );
  }
  return secretBox(key);
}

// The box of each open connection. A WeakMap rather than a parameter of every users.ts function: the key
// belongs to the store that was opened with it, and the connection is what every SQL function already gets.
const boxes = new WeakMap<object, SecretBox>();

export function bindSecretBox(db: object, box: SecretBox): void {
  boxes.set(db, box);
}

export function secretBoxOf(db: object): SecretBox {
  const box = boxes.get(db);
  if (!box)
    throw new SecretsKeyError('No TOTP sealing key is loaded for this database (see auth/seal-seeds.ts).');
  return box;
}
