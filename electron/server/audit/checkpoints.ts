// Signed checkpoints of the audit chain (issue #9, modelled on Trillian / C2SP checkpoints). Inside every
// write transaction that appended audit entries, the server signs the new head, in the same transaction:
// an answered change is always covered by a checkpoint, at no extra fsync. A timer signs whatever a write
// outside ctx.write() left unsigned.
//
// Before signing, the server checks that the checkpoint it last signed (recorded outside the database, see
// signed-head.ts) is still in the database as it signed it, that the newest checkpoint there is signed by
// this server's key (or the one it signed with before), and that the new head extends that checkpoint: rows
// rewritten in the database (the chain recomputed by whoever edited them, the newest checkpoints deleted)
// are never signed over. It then signs nothing more and reports the problem until someone restores the
// database; /v1/audit/verify says so too.
import type { Checkpoint } from '../../../shared/api/types';
import { checkpointText } from '../../../shared/domain/audit';
import type { Db } from '../db/open';
import { readAuditHashAt, readAuditHead } from '../sql/audit';
import {
  insertCheckpointRow,
  readCheckpointRowAt,
  readCheckpointRows,
  readCheckpointSeqBefore,
  readFirstBrokenCheckpointSeq,
  readCoveringCheckpointRow,
  readLatestCheckpointRow,
  type CheckpointRow,
} from '../sql/checkpoints';
import { verifyAuditChain } from './chain';
import type { SignedHead, SignedHeadStore } from './signed-head';
import { verifySignature, type AuditSigner } from './signing-key';

export interface Checkpointer {
  /** Signs the head if it moved past the last checkpoint. Call inside a write transaction. */
  signHead(at: Date): Checkpoint | null;
  /** Why the last attempt refused to sign, or null when the chain extends the last checkpoint. */
  problem(): string | null;
  /** The transaction that signed has committed: record its newest checkpoint outside the database. */
  committed(): void;
  /** The transaction that signed rolled back: forget what it signed. */
  rolledBack(): void;
  /** The last checkpoint this server recorded having signed, or null before the first. */
  recorded(): SignedHead | null;
  /** Writes that record to its file now (the server's close does). */
  flush(): void;
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

/**
 * Why the database's checkpoints are not the ones this server signed: the one it recorded signing last is
 * missing or changed, or the newest is signed by a key that is neither this server's nor the one it signed
 * with before. Null when they are (or when there is no record yet: a new server, or one just upgraded).
 */
export function signedHeadProblem(db: Db, recorded: SignedHead | null, currentKey: string): string | null {
  if (!recorded) return null;
  const row = readCheckpointRowAt(db, recorded.seq);
  if (!row) return `checkpoint ${recorded.seq}, which this server signed, is missing from the database`;
  if (row.hash !== recorded.hash) return `checkpoint ${recorded.seq} is not the one this server signed`;
  const last = readLatestCheckpointRow(db);
  if (last && last.public_key !== currentKey && last.public_key !== recorded.publicKey) {
    return `checkpoint ${last.seq} is signed by a key this server does not hold`;
  }
  return null;
}

/** Whether `head` names `checkpoint`: the same seq, hash and key (a recorded head carries no signature). */
const namesCheckpoint = (head: SignedHead, checkpoint: Checkpoint) =>
  head.seq === checkpoint.seq && head.hash === checkpoint.hash && head.publicKey === checkpoint.publicKey;

/** Why the chain in the database does not extend `last`, or null when it does. */
function extensionProblem(db: Db, last: Checkpoint | null, recorded: SignedHead | null): string | null {
  if (last) {
    // The checkpoint this server recorded signing is its own: checking its signature again on every write
    // would cost more than signing the next one.
    const own = recorded !== null && namesCheckpoint(recorded, last);
    if (!own && !checkpointSignatureValid(last)) return `checkpoint ${last.seq} does not carry a valid signature`;
    const hashThere = readAuditHashAt(db, last.seq);
    if (hashThere === undefined) return `entry ${last.seq}, signed in a checkpoint, is missing`;
    if (hashThere !== last.hash) return `entry ${last.seq} no longer has the hash its checkpoint signed`;
  }
  return chainProblem(db, last);
}

/** Why the entries after `last` do not chain on from it, or null when they do. */
function chainProblem(db: Db, last: Checkpoint | null): string | null {
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
export function checkpointConsistency(db: Db, recorded: SignedHead | null, currentKey: string): CheckpointConsistency {
  const latest = latestCheckpoint(db);
  const headProblem = signedHeadProblem(db, recorded, currentKey);
  if (headProblem) {
    // The checkpoints after the newest one still in place were deleted (or replaced): no entry after it is
    // vouched for any more.
    const keptBefore = recorded ? (readCheckpointSeqBefore(db, recorded.seq) ?? 0) : 0;
    return { checkpoint: latest ? { seq: latest.seq, ok: false } : null, problem: headProblem, firstBad: keptBefore + 1 };
  }
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

export function createCheckpointer(
  db: Db,
  origin: string,
  signer: () => AuditSigner,
  heads: SignedHeadStore,
): Checkpointer {
  let problem: string | null = null;
  // PRAGMA data_version moves whenever another connection commits (sqlite.org/pragma.html#pragma_data_version).
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  /** The last checkpoint signed (and the data version then), until its transaction commits or rolls back. */
  let pending: { checkpoint: Checkpoint; dataVersion: number } | null = null;
  return {
    problem: () => problem,
    recorded: () => heads.current(),
    flush: () => heads.flush(),
    committed() {
      try {
        // What is committed, read back: a checkpoint signed inside a savepoint that rolled back is not there.
        const last = pending ? readLatestCheckpointRow(db) : undefined;
        if (last) heads.record({ seq: last.seq, hash: last.hash, publicKey: last.public_key });
      } finally {
        pending = null;
      }
    },
    rolledBack() {
      pending = null;
    },
    signHead(at) {
      const head = readAuditHead(db);
      const last = latestCheckpoint(db);
      if (!head || (last && last.seq >= head.seq)) {
        // A head below the last checkpoint is a truncated log: nothing to sign, and something to say.
        if (head && last && last.seq > head.seq) problem = `entries after ${head.seq} signed in checkpoint ${last.seq} are missing`;
        if (!head && last) problem = `the log is empty but checkpoint ${last.seq} was signed`;
        return null;
      }
      const key = signer();
      const recorded = heads.current();
      // The newest checkpoint is the very one this connection signed last (a batch of writes signs after each,
      // db/write-batch.ts), and no other connection has committed since: whatever changed since its own checks
      // ran was written here, so only the entries appended after it are left to check.
      const version = dataVersion.get() as number;
      const signedHereLast =
        pending !== null &&
        last !== null &&
        namesCheckpoint(pending.checkpoint, last) &&
        pending.checkpoint.signature === last.signature &&
        version === pending.dataVersion;
      problem = signedHereLast
        ? chainProblem(db, last)
        : (signedHeadProblem(db, recorded, key.publicKey) ?? extensionProblem(db, last, recorded));
      if (problem) return null;
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
      // Its own writes do not move the connection's data version: the one read before signing still holds.
      pending = { checkpoint, dataVersion: version };
      return checkpoint;
    },
  };
}
