// Checking a checkpoint's signature on the desk, with Node's crypto and the raw key the checkpoint names
// (the desk may not import the server's signing-key.ts): ed25519 over the checkpoint's text (shared/domain/
// audit.ts). The fingerprint the user compares is SHA-256 of the raw 32-byte key.
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Checkpoint } from '../../../shared/api/types';
import { checkpointText } from '../../../shared/domain/audit';

/** True when `signature` is `publicKey`'s ed25519 signature of the checkpoint's text. */
export function checkpointSignedBy(checkpoint: Checkpoint, publicKey: string): boolean {
  try {
    const raw = Buffer.from(publicKey, 'base64');
    if (raw.length !== 32) return false;
    // The JWK form takes the raw key as base64url: no DER prefix to assemble by hand.
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    return verify(null, Buffer.from(checkpointText(checkpoint), 'utf8'), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** SHA-256 of the raw key, in lowercase hex groups of four: what the user reads and compares. */
export function keyFingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex');
  return hex.match(/.{4}/g)!.join(' ');
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
