// The server's audit signing key (issue #9): an ed25519 key that lives in a file beside the database, never
// in it, so whoever can write the database cannot sign a history of their own. The file is created on first
// start with mode 0600 and refused when others can read it.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const AUDIT_KEY_FILE = 'audit-signing.key';

export interface AuditSigner {
  /** Hex of the first 8 bytes of sha256(raw public key): names the key in checkpoints. */
  keyId: string;
  /** The raw 32-byte ed25519 public key, base64. */
  publicKey: string;
  /** The base64 ed25519 signature of the UTF-8 text. */
  sign(text: string): string;
}

export class SigningKeyError extends Error {
  readonly code = 'signing_key_unusable';
}

/** The raw 32-byte public key: the last 32 bytes of its SPKI DER encoding. */
export function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(-32);
}

export function keyIdOf(rawKey: Buffer): string {
  return createHash('sha256').update(rawKey).digest('hex').slice(0, 16);
}

/** A public key object from the raw 32 bytes in base64, as checkpoints publish it. */
export function publicKeyFromRaw(base64: string): KeyObject {
  const raw = Buffer.from(base64, 'base64');
  if (raw.length !== 32) throw new SigningKeyError('An ed25519 public key is 32 bytes.');
  // SPKI prefix for ed25519 (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }.
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** Checks a base64 ed25519 signature of `text` against a raw base64 public key. */
export function verifySignature(publicKey: string, text: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

function createKeyFile(file: string): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: of two processes starting at once, one creates the key and the other reads it.
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

function readPrivateKey(file: string): KeyObject {
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new SigningKeyError(
        `The audit signing key ${file} can be read by other users (mode ${mode.toString(8)}). Run: chmod 600 "${file}"`,
      );
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(fs.readFileSync(file));
  } catch {
    throw new SigningKeyError(`The audit signing key ${file} is not a readable private key.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`The audit signing key ${file} is not an ed25519 key.`);
  }
  return key;
}

/** Loads the key from `file`, creating it (mode 0600) when there is none. */
export function loadSigningKey(file: string): AuditSigner {
  if (!fs.existsSync(file)) createKeyFile(file);
  const privateKey = readPrivateKey(file);
  const raw = rawPublicKey(createPublicKey(privateKey));
  return {
    keyId: keyIdOf(raw),
    publicKey: raw.toString('base64'),
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
  };
}
