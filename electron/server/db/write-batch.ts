// Writes that arrive together commit together (issue #13). A verdict's own work is small next to what every
// write transaction costs besides it: BEGIN IMMEDIATE and COMMIT (the WAL frames of the pages every verdict
// touches: page 1, the sequence table, the newest leaves of the audit, feed and checkpoint tables and of the
// indexes ordered by time), and cold caches for all of it. Verdicts that reach the server in the same
// event-loop turn now share one transaction, each in a savepoint of its own.
//
// Each work's audit entries still get a signed checkpoint of their own, signed in its savepoint: a case's
// dossier proves its entries with the run of the chain up to the checkpoint that covers them (dossier/), and
// one checkpoint at the end of the batch would put every later verdict's entries of the batch, other
// customers' cases, rationale and all, into the dossier a regulator or a court receives.
//
// No work is answered otherwise than it would have been alone:
// - a work that throws rolls back its own savepoint and nothing else; the others commit;
// - SQLite answers some errors (a full disk, an I/O error, no memory) by rolling the whole transaction back,
//   and a savepoint that cannot be rolled back leaves the transaction unfit to commit: the work that did it
//   fails with its error, and every other work runs again, alone, in a transaction of its own (what the
//   others wrote went with the shared transaction); so does every work when the COMMIT fails (a work whose
//   own checkpoint cannot be signed fails like any work that throws);
// - a work may leave the last of its part for after every work of the batch has run (`AfterBatch`): a
//   verdict's answer is its case's detail, and the details of all the batch's cases are read in one pass
//   (one query per table) where eight single reads cost twice as much. Those last parts run in the shared
//   transaction, in the works' order, and see what the whole batch wrote; one that throws fails its work
//   and, its work's writes being already part of the shared transaction, every other work runs again alone;
// - no work's promise settles before the transaction that holds its writes has committed or rolled back.
//   Should what follows a commit fail (the signed head recorded, listeners told), the works were committed
//   and are not run again: they fail with that error, as a lone write does, and a retry under the same
//   Idempotency-Key answers what was stored.
import type { Db } from './open';

/** More would only hold the event loop longer and make each answer wait for the slowest work. */
export const MAX_BATCH = 64;

/**
 * What a work returns to finish after every work of its batch has run, still in the shared transaction: the
 * batch's promise resolves with what `finish` returns. `finish` may read and write, but may not append
 * audit entries (they would be signed with the next work's, or the batch's last checkpoint, not its own).
 */
export class AfterBatch<T> {
  constructor(readonly finish: () => T) {}
}

/**
 * What the works of one batch share (a work run alone gets a scope of its own). What a work puts there stays
 * when its savepoint rolls back: a value that says what a work wrote must be checked against the store.
 */
export interface BatchScope {
  /** The value under `key` for this batch, made by `create` for the first work that asks. */
  shared<V>(key: symbol, create: () => V): V;
}

export type BatchedWork<T> = (batch: BatchScope) => T | AfterBatch<T>;

export interface WriteBatcher {
  /**
   * Runs `work` in the write transaction shared by the works queued in this event-loop turn, in a savepoint
   * of its own, and resolves with its result once that transaction has committed (for an AfterBatch, with
   * what its `finish` returned). Rejects with what `work` threw (nothing of it kept), or with what stopped
   * its own transaction. `work` must be synchronous.
   */
  run<T>(work: BatchedWork<T>): Promise<T>;
  /** True while a batch's works run: a write of its own started then would nest in the shared transaction. */
  running(): boolean;
}

/** How the server writes (ServerContext): the batcher shares its transaction, signing and notifications. */
export interface BatchWrites {
  /** Runs `work` in one BEGIN IMMEDIATE transaction with the signed head, and commits; throws only when nothing committed. */
  transact(work: () => void): void;
  /** Signs the audit head if it moved past the last checkpoint (inside the transaction). */
  sign(): void;
  /** What follows a commit: the signed head recorded, listeners told. */
  afterCommit(): void;
  /** A write of its own, as ServerContext.write makes one. */
  alone<T>(work: () => T): T;
}

interface Queued {
  work: BatchedWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const isThenable = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

const settle = (item: Queued, outcome: Outcome) =>
  outcome.ok ? item.resolve(outcome.value) : item.reject(outcome.error);

function newScope(): BatchScope {
  const values = new Map<symbol, unknown>();
  return {
    shared<V>(key: symbol, create: () => V): V {
      if (!values.has(key)) values.set(key, create());
      return values.get(key) as V;
    },
  };
}

/** Runs a work whole: its own part, then what it left for after the batch (alone, right after). */
function runWhole(work: BatchedWork<unknown>): unknown {
  const value = work(newScope());
  return value instanceof AfterBatch ? value.finish() : value;
}

export function createWriteBatcher(db: Db, writes: BatchWrites): WriteBatcher {
  const savepoint = db.prepare('SAVEPOINT batched_work');
  const release = db.prepare('RELEASE batched_work');
  const rollbackTo = db.prepare('ROLLBACK TO batched_work');
  let open: Queued[] | null = null;
  let inBatch = false;

  /** What a work (or its after-batch part) returned, once it is sure it left the shared transaction usable. */
  function returned(value: unknown): unknown {
    if (isThenable(value)) throw new TypeError('A batched write must be synchronous.');
    if (!db.inTransaction) throw new Error('The transaction ended inside a batched write.');
    return value;
  }

  /** Runs the works in the shared transaction; the work that left it unfit to commit, if one did. */
  function runShared(
    batch: readonly Queued[],
    outcomes: Outcome[],
  ): { culprit: number | null; error: unknown } | null {
    let culprit: number | null = null;
    const scope = newScope();
    try {
      writes.transact(() => {
        for (const [index, { work }] of batch.entries()) {
          savepoint.run();
          try {
            const value = returned(work(scope));
            writes.sign();
            release.run();
            outcomes.push({ ok: true, value });
          } catch (error) {
            culprit = index;
            if (!db.inTransaction) throw error;
            // A throw from either ends the shared transaction, as it must: the work's writes cannot be undone.
            rollbackTo.run();
            release.run();
            culprit = null;
            outcomes.push({ ok: false, error });
          }
        }
        for (const [index, outcome] of outcomes.entries()) {
          if (!outcome.ok || !(outcome.value instanceof AfterBatch)) continue;
          culprit = index;
          outcome.value = returned(outcome.value.finish());
        }
        culprit = null;
      });
      return null;
    } catch (error) {
      return { culprit, error };
    }
  }

  function runBatch(batch: readonly Queued[]): void {
    const outcomes: Outcome[] = [];
    inBatch = true;
    let failure: ReturnType<typeof runShared>;
    try {
      failure = runShared(batch, outcomes);
    } finally {
      inBatch = false;
    }
    if (failure) {
      // Nothing of the shared transaction committed: each work again, alone, but the one that sank it.
      for (const [index, item] of batch.entries()) {
        if (index === failure.culprit) item.reject(failure.error);
        else settle(item, runAlone(item.work));
      }
      return;
    }
    try {
      writes.afterCommit();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => settle(item, outcomes[index]!));
  }

  function runAlone(work: BatchedWork<unknown>): Outcome {
    try {
      return { ok: true, value: writes.alone(() => runWhole(work)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  return {
    run<T>(work: BatchedWork<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (!open || open.length >= MAX_BATCH) {
          const batch: Queued[] = [];
          open = batch;
          // After the poll phase: every request whose bytes arrived in this turn has queued its work by then.
          setImmediate(() => {
            if (open === batch) open = null;
            runBatch(batch);
          });
        }
        open.push({ work, resolve: resolve as (value: unknown) => void, reject });
      });
    },
    running: () => inBatch,
  };
}
