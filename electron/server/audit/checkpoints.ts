// Signed checkpoints of the audit chain (issue #9, modelled on Trillian / C2SP checkpoints). Inside every
// write transaction that appended audit entries, the server signs the new head, in the same transaction:
// an answered change is always covered by a checkpoint, at no extra fsync. A timer signs whatever a write
// outside ctx.write() left unsigned.
//
// Before signing, the server checks that the new head extends its last checkpoint: rows rewritten in the
// database (the chain recomputed by whoever edited them) are never signed over. It then signs nothing more
// and reports the problem until someone restores the database; /v1/audit/verify says so too.
import type { Checkpoint } from '../../../shared/api/types';
import { checkpointText } from '../../../shared/domain/audit';
import type { Db } from '../db/open';
import { readAuditHashAt, readAuditHead } from '../sql/audit';
import {
  insertCheckpointRow,
  readCheckpointRows,
  readCheckpointSeqBefore,
  readFirstBrokenCheckpointSeq,
  readCoveringCheckpointRow,
  readLatestCheckpointRow,
  type CheckpointRow,
} from '../sql/checkpoints';
import { verifyAuditChain } from './chain';
import { verifySignature, type AuditSigner } from './signing-key';

export interface Checkpointer {
  /** Signs the head if it moved past the last checkpoint. Call inside a write transaction. */
  signHead(at: Date): Checkpoint | null;
  /** Why the last attempt refused to sign, or null when the chain extends the last checkpoint. */
  problem(): string | null;
}

export function rowToCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    origin: row.origin,
    seq: row.seq,
    hash: row.hash,
    at: row.at,
    keyId: row.key_id,
    publicKey: row.public_key,
    signature: row.signature,
  };
}

export function checkpointSignatureValid(checkpoint: Checkpoint): boolean {
  return verifySignature(checkpoint.publicKey, checkpointText(checkpoint), checkpoint.signature);
}

export const latestCheckpoint = (db: Db): Checkpoint | null => {
  const row = readLatestCheckpointRow(db);
  return row ? rowToCheckpoint(row) : null;
};

export const listCheckpoints = (db: Db, afterSeq: number, limit: number): Checkpoint[] =>
  readCheckpointRows(db, afterSeq, limit).map(rowToCheckpoint);

/** The first checkpoint whose head is at or after `seq`: the one that vouches for that entry. */
export const checkpointCovering = (db: Db, seq: number): Checkpoint | null => {
  const row = readCoveringCheckpointRow(db, seq);
  return row ? rowToCheckpoint(row) : null;
};

/** Why the chain in the database does not extend `last`, or null when it does. */
function extensionProblem(db: Db, last: Checkpoint | null): string | null {
  if (last) {
    if (!checkpointSignatureValid(last)) return `checkpoint ${last.seq} does not carry a valid signature`;
    const hashThere = readAuditHashAt(db, last.seq);
    if (hashThere === undefined) return `entry ${last.seq}, signed in a checkpoint, is missing`;
    if (hashThere !== last.hash) return `entry ${last.seq} no longer has the hash its checkpoint signed`;
  }
  const verification = verifyAuditChain(db, last ?? undefined);
  return verification.ok ? null : `entry ${verification.firstBad} breaks the chain`;
}

/** How the log stands against the checkpoints the server signed, for /v1/audit/verify. */
export interface CheckpointConsistency {
  /** The newest checkpoint and whether the log still extends it; null before the first one. */
  checkpoint: { seq: number; ok: boolean } | null;
  /** Why the log no longer extends its checkpoints, or null. */
  problem: string | null;
  /**
   * The first entry no signed checkpoint vouches for any more: the one after the newest checkpoint that the
   * log still matches. Null when the log extends every checkpoint.
   */
  firstBad: number | null;
}

/**
 * Checks the log against the signed checkpoints. Recomputing the chain alone cannot see a row that was
 * edited and the chain recomputed after it; the checkpoints, signed with a key outside the database, can.
 */
export function checkpointConsistency(db: Db): CheckpointConsistency {
  const latest = latestCheckpoint(db);
  if (!latest) return { checkpoint: null, problem: null, firstBad: null };
  const signed = checkpointSignatureValid(latest);
  const broken = readFirstBrokenCheckpointSeq(db);
  if (signed && broken === undefined) return { checkpoint: { seq: latest.seq, ok: true }, problem: null, firstBad: null };
  const departsAt = broken ?? latest.seq;
  const firstBad = (readCheckpointSeqBefore(db, departsAt) ?? 0) + 1;
  const hashThere = readAuditHashAt(db, departsAt);
  const problem = !signed
    ? `checkpoint ${latest.seq} does not carry a valid signature`
    : hashThere === undefined
      ? `entry ${departsAt}, signed in a checkpoint, is missing`
      : `entry ${departsAt} no longer has the hash its checkpoint signed`;
  return { checkpoint: { seq: latest.seq, ok: false }, problem, firstBad };
}

export function createCheckpointer(db: Db, origin: string, signer: () => AuditSigner): Checkpointer {
  let problem: string | null = null;
  return {
    problem: () => problem,
    signHead(at) {
      const head = readAuditHead(db);
      const last = latestCheckpoint(db);
      if (!head || (last && last.seq >= head.seq)) {
        // A head below the last checkpoint is a truncated log: nothing to sign, and something to say.
        if (head && last && last.seq > head.seq) problem = `entries after ${head.seq} signed in checkpoint ${last.seq} are missing`;
        if (!head && last) problem = `the log is empty but checkpoint ${last.seq} was signed`;
        return null;
      }
      problem = extensionProblem(db, last);
      if (problem) return null;
      const key = signer();
      const unsigned = { origin, seq: head.seq, hash: head.hash, at: at.toISOString() };
      const checkpoint: Checkpoint = {
        ...unsigned,
        keyId: key.keyId,
        publicKey: key.publicKey,
        signature: key.sign(checkpointText(unsigned)),
      };
      insertCheckpointRow(db, {
        seq: checkpoint.seq,
        origin: checkpoint.origin,
        hash: checkpoint.hash,
        at: checkpoint.at,
        key_id: checkpoint.keyId,
        public_key: checkpoint.publicKey,
        signature: checkpoint.signature,
      });
      return checkpoint;
    },
  };
}
