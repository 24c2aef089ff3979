// Evidence files are kept encrypted: AES-256-GCM with the evidence key (storage/data-key.ts) and a random
// 96-bit nonce per file, laid out as nonce ‖ ciphertext ‖ tag. Their names on disk are an HMAC of their
// sha256 under the same key, so the folder does not tell which known file (a leaked ID photo, say) it holds.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function sealedName(key: Buffer, sha256: string): string {
  return createHmac('sha256', key).update(`evidence-name:${sha256}`).digest('hex');
}

export function seal(key: Buffer, plain: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** The plain bytes, or null when the file is too short or fails its tag (damaged, or another key's). */
export function unseal(key: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}
