// The audit chain's fixed points, shared by the server that writes it and the desk that checks it on its own
// (DESIGN §2, issue #9).
import canonicalize from 'canonicalize';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface CheckpointHead {
  origin: string;
  seq: number;
  hash: string;
  at: string;
}

/**
 * The text a checkpoint's signature covers, as C2SP checkpoints lay it out: origin, tree size (here the
 * sequence number of the head entry), head hash and time, one per line, each ending in a newline.
 */
export function checkpointText({ origin, seq, hash, at }: CheckpointHead): string {
  return `${origin}\n${seq}\n${hash}\n${at}\n`;
}

/** An audit entry as the chain hashes it: every field but its own hash (DESIGN §2). */
export interface UnhashedAuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: unknown;
  prevHash: string;
}

/** SHA-256 of a UTF-8 text as 64 lowercase hex digits; each runtime brings its own (shared/ runs on none). */
export type Sha256Hex = (text: string) => string;

/**
 * An entry's hash: sha256_hex(prevHash + "\n" + RFC 8785 canonical JSON of the entry without its hash). The
 * server that appends the entry and the desk that checks it on its own both hash with this function, so the
 * two can never drift apart on what "canonical" means.
 */
export function auditEntryHash(entry: UnhashedAuditEntry, sha256Hex: Sha256Hex): string {
  const canonical = canonicalize(entry);
  if (canonical === undefined) throw new Error('Audit entry is not serialisable');
  return sha256Hex(`${entry.prevHash}\n${canonical}`);
}
