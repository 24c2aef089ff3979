// Writes that arrive together commit together (issue #13). A verdict's own work is small next to what every
// write transaction costs besides it: BEGIN IMMEDIATE and COMMIT (the WAL frames of the pages every verdict
// touches: page 1, the sequence table, the newest leaf of the audit, feed and checkpoint tables), the signed
// checkpoint of the audit head (an ed25519 signature and a check of the chain it extends), and cold caches
// for all of it. Verdicts that reach the server in the same event-loop turn now share one transaction, each
// in a savepoint of its own, and so one checkpoint: one per write transaction still, as #9 asks.
//
// A work that throws rolls back its own savepoint and nothing else; the others commit. But SQLite answers some
// errors (a full disk, an I/O error, no memory) by rolling the whole transaction back: what the works before
// it wrote is gone with it, so then every work of the batch fails with that error, as it would have alone.
// No work's promise resolves before the transaction that holds its writes has committed.
import type { Db } from './open';

export interface WriteBatcher {
  /**
   * Runs `work` in the write transaction shared by the works queued in this event-loop turn, in a savepoint
   * of its own, and resolves with its result once that transaction has committed. Rejects with what `work`
   * threw (its writes rolled back, the others' kept), or with what stopped the whole transaction.
   */
  run<T>(work: () => T): Promise<T>;
}

interface Queued {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** `write` runs its argument in one write transaction (ServerContext.write: BEGIN IMMEDIATE, the signed head). */
export function createWriteBatcher(db: Db, write: (work: () => void) => void): WriteBatcher {
  let queued: Queued[] | null = null;

  function runBatch(batch: readonly Queued[]): void {
    const outcomes: Outcome[] = [];
    try {
      if (db.inTransaction)
        throw new Error('createWriteBatcher: a transaction is open between event-loop turns');
      write(() => {
        for (const { work } of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(work)() });
          } catch (error) {
            if (!db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (!queued) {
          queued = [];
          // After the poll phase: every request whose bytes arrived in this turn has queued its work by then.
          setImmediate(() => {
            const batch = queued!;
            queued = null;
            runBatch(batch);
          });
        }
        queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      });
    },
  };
}
