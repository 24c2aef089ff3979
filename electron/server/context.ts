// What every route handler gets: the store, the configuration, the clock and the change notifier.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { createCheckpointer, type Checkpointer } from './audit/checkpoints';
import { fileSignedHeadStore } from './audit/signed-head';
import { AUDIT_KEY_FILE, loadSigningKey, type AuditSigner } from './audit/signing-key';
import { createPasswordWork, type PasswordWork } from './auth/password-work';
import { loadTotpSealing } from './auth/seal-seeds';
import { SECRETS_KEY_FILE } from './auth/secret-box';
import type { ServerConfig } from './config';
import { SYNCED_ON_COMMIT, type GroupCommit } from './db/group-commit';
import { writeTransaction, type Db } from './db/open';
import { createWriteBatcher, type BatchedWork } from './db/write-batch';
import { latestChangeSeq } from './sql/feed';

export interface ServerContext {
  db: Db;
  config: ServerConfig;
  now(): Date;
  /** Emits 'change' with the newest feed cursor after a write that recorded changes has committed. */
  changes: EventEmitter;
  /**
   * Emits 'ended' with a user id once a write that revoked all their sessions (account disabled, 2FA reset)
   * has committed, so their open event streams close at once instead of at the next heartbeat.
   */
  sessionsEnded: EventEmitter;
  /** Hashes and checks request passwords, a bounded number at once (auth/password-work.ts). */
  passwords: PasswordWork;
  /** Signs the audit chain's head; ctx.write() calls it inside each transaction. */
  checkpoints: Checkpointer;
  /** The audit signing key, loaded (or created) on first use. */
  signer(): AuditSigner;
  /**
   * Runs `work` in one BEGIN IMMEDIATE transaction, signs the audit head if `work` appended entries, and
   * tells /v1/events listeners once it committed.
   */
  write<T>(work: () => T): T;
  /**
   * Runs `work` like write(), in the one transaction shared by the works queued in the same event-loop turn
   * (each in a savepoint of its own; db/write-batch.ts), and resolves once that transaction has committed.
   * A work may return an AfterBatch to finish once every work of the batch has run.
   */
  writeBatched<T>(work: BatchedWork<T>): Promise<T>;
  /** Called by the feed inside a write: a notification is due once the transaction commits. */
  markChanged(): void;
  /**
   * When what was committed is on disk (db/group-commit.ts): nothing leaves the server on the strength of a
   * commit (an answer, an outbound event, the signed-head record) before `commits.settled()` resolves.
   */
  commits: GroupCommit;
}

/** Where the TOTP sealing key lives: the configured file, or beside the database. */
export const secretsKeyFileOf = (config: Pick<ServerConfig, 'secretsKeyFile' | 'dataDir'>) =>
  config.secretsKeyFile ?? path.join(config.dataDir, SECRETS_KEY_FILE);

/** Where the audit signing key lives: the configured file, or beside the database. */
export const auditKeyFileOf = (config: Pick<ServerConfig, 'auditKeyFile' | 'dataDir'>) =>
  config.auditKeyFile ?? path.join(config.dataDir, AUDIT_KEY_FILE);

export function createContext(db: Db, config: ServerConfig, commits: GroupCommit = SYNCED_ON_COMMIT): ServerContext {
  // Loaded now, not on first use: no user can sign in before their seed opens, and a missing or wrong key
  // must stop the start with its reason.
  loadTotpSealing(db, secretsKeyFileOf(config));
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let changedInTransaction = false;
  let signer: AuditSigner | null = null;
  const keyFile = auditKeyFileOf(config);
  const loadSigner = () => (signer ??= loadSigningKey(keyFile));
  // The last checkpoint signed is recorded beside the key, outside the database (audit/signed-head.ts).
  // The record may only name a checkpoint that is on disk: after a power cut it would otherwise name one the
  // database lost, and the server would take its own lost write for tampering.
  const heads = fileSignedHeadStore(`${keyFile}.head`, () => commits.settled());
  const checkpoints = createCheckpointer(db, config.auditOrigin, loadSigner, heads);
  const context: ServerContext = {
    db,
    config,
    now: config.now,
    changes,
    sessionsEnded: new EventEmitter().setMaxListeners(0),
    passwords: createPasswordWork(config.passwordWork, config.passwordHashCost, config.scrypt),
    checkpoints,
    commits,
    signer: loadSigner,
    markChanged() {
      changedInTransaction = true;
    },
    write<T>(work: () => T): T {
      if (batcher.running()) throw new Error('ctx.write() inside a batched write would nest in its transaction.');
      const result = transact(work);
      afterCommit();
      return result;
    },
    writeBatched: (work) => batcher.run(work),
  };
  /** The write transaction with the signed head; throws only when nothing of it committed. */
  function transact<T>(work: () => T): T {
    changedInTransaction = false;
    try {
      return writeTransaction(db, () => {
        const value = work();
        checkpoints.signHead(config.now());
        return value;
      });
    } catch (error) {
      if (!db.inTransaction) checkpoints.rolledBack();
      throw error;
    }
  }
  function afterCommit(): void {
    // Nested in an outer transaction, what was signed is committed (and recorded) with the outer one.
    if (!db.inTransaction) checkpoints.committed();
    if (changedInTransaction) {
      changedInTransaction = false;
      changes.emit('change', latestChangeSeq(db));
    }
  }
  const batcher = createWriteBatcher(db, {
    transact,
    sign: () => checkpoints.signHead(config.now()),
    afterCommit,
    alone: (work) => context.write(work),
  });
  return context;
}
