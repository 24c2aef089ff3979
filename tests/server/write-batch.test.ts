// The write batcher (issue #13): works queued in one event-loop turn share one write transaction, each in a
// savepoint of its own; a work's failure costs only its own writes, unless it took the whole transaction
// with it; no promise resolves before its writes have committed. On a real SQLite file in WAL mode.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction, type Db } from '../../electron/server/db/open';
import { createWriteBatcher, type WriteBatcher } from '../../electron/server/db/write-batch';
import { tempDir } from './harness';

let dir: string;
let db: Db;
let transactions: number;
/** Runs after the works, inside the shared transaction: where the server signs the audit head. */
let beforeCommit: () => void;
let batcher: WriteBatcher;

beforeEach(() => {
  dir = tempDir('dd-batch-');
  db = new Database(path.join(dir, 'batch.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (name TEXT PRIMARY KEY)');
  transactions = 0;
  beforeCommit = () => {};
  batcher = createWriteBatcher(db, (work) =>
    writeTransaction(db, () => {
      transactions += 1;
      work();
      beforeCommit();
    }),
  );
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (name: string) => () => {
  db.prepare('INSERT INTO rows (name) VALUES (?)').run(name);
  return name;
};

/** What another connection sees: only what was committed. */
function committedRows(): string[] {
  const reader = new Database(path.join(dir, 'batch.db'), { readonly: true });
  try {
    return reader.prepare('SELECT name FROM rows ORDER BY name').pluck().all() as string[];
  } finally {
    reader.close();
  }
}

describe('a write batcher', () => {
  it('runs the works queued in one turn in one transaction, in order, and the next turn in another', async () => {
    const first = await Promise.all([
      batcher.run(insert('a')),
      batcher.run(insert('b')),
      batcher.run(insert('c')),
    ]);
    expect(first).toEqual(['a', 'b', 'c']);
    expect(transactions).toBe(1);
    const later = await batcher.run(insert('d'));
    expect(later).toBe('d');
    expect(transactions).toBe(2);
    expect(committedRows()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('resolves a work only once the transaction holding its writes has committed', async () => {
    const seen: string[][] = [];
    await Promise.all(
      ['a', 'b'].map((name) => batcher.run(insert(name)).then(() => seen.push(committedRows()))),
    );
    expect(seen).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('a work that throws loses its own writes and fails alone; the others commit', async () => {
    const failing = () => {
      insert('doomed')();
      throw new Error('refused');
    };
    const results = await Promise.allSettled([
      batcher.run(insert('a')),
      batcher.run(failing),
      batcher.run(insert('b')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(transactions).toBe(1);
    expect(committedRows()).toEqual(['a', 'b']);
  });

  it('a work whose error took the whole transaction with it fails the batch: nothing is answered as done', async () => {
    // SQLite's answer to some errors (a full disk, an I/O error, no memory) is to roll the whole transaction
    // back, not only the statement: what the works before it wrote is gone too.
    const rollsAllBack = () => {
      db.exec('ROLLBACK');
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const results = await Promise.allSettled([
      batcher.run(insert('a')),
      batcher.run(rollsAllBack),
      batcher.run(insert('b')),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const result of results) expect((result as PromiseRejectedResult).reason.code).toBe('SQLITE_FULL');
    expect(committedRows()).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The next turn's batch starts afresh.
    await batcher.run(insert('c'));
    expect(committedRows()).toEqual(['c']);
  });

  it('a failure after the works (signing, COMMIT) fails every work of the batch and keeps nothing', async () => {
    beforeCommit = () => {
      throw new Error('signing failed');
    };
    const results = await Promise.allSettled([batcher.run(insert('a')), batcher.run(insert('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(committedRows()).toEqual([]);
  });

  it('a later work sees what the earlier works of its batch wrote', async () => {
    const count = () => db.prepare('SELECT count(*) FROM rows').pluck().get();
    const counts = await Promise.all([
      batcher.run(() => (insert('a')(), count())),
      batcher.run(() => (insert('b')(), count())),
    ]);
    expect(counts).toEqual([1, 2]);
  });
});
