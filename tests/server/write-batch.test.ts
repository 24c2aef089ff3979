// The write batcher (issue #13): works queued in one event-loop turn share one write transaction, each in a
// savepoint of its own; a work's failure costs only its own writes, unless it took the whole transaction
// with it; no promise resolves before its writes have committed. On a real SQLite file in WAL mode.
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction, type Db } from '../../electron/server/db/open';
import { appendAudit } from '../../electron/server/audit/chain';
import type { AuditEntry } from '../../shared/api/types';
import { checkpointCovering, latestCheckpoint } from '../../electron/server/audit/checkpoints';
import { insertAuditRow, readAuditHead } from '../../electron/server/sql/audit';
import { checkpointText } from '../../shared/domain/audit';
import {
  AfterBatch,
  createWriteBatcher,
  MAX_BATCH,
  type BatchScope,
  type WriteBatcher,
} from '../../electron/server/db/write-batch';
import { createTestServer, tempDir, type TestServer } from './harness';

let dir: string;
let db: Db;
/** Write transactions begun, shared or alone. */
let transactions: number;
/** Runs after the works, inside the transaction: where the server signs the audit head. */
let beforeCommit: () => void;
/** Runs after the commit: where the server records the signed head and tells listeners. */
let afterCommit: () => void;
let batcher: WriteBatcher;

function transact<T>(work: () => T): T {
  return writeTransaction(db, () => {
    transactions += 1;
    const value = work();
    beforeCommit();
    return value;
  });
}

beforeEach(() => {
  dir = tempDir('dd-batch-');
  db = new Database(path.join(dir, 'batch.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE rows (name TEXT PRIMARY KEY)');
  transactions = 0;
  beforeCommit = () => {};
  afterCommit = () => {};
  batcher = createWriteBatcher(db, {
    transact,
    sign: () => {},
    afterCommit: () => afterCommit(),
    alone: (work) => {
      const value = transact(work);
      afterCommit();
      return value;
    },
  });
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (name: string) => () => {
  db.prepare('INSERT INTO rows (name) VALUES (?)').run(name);
  return name;
};

/** Runs `work` between two works that insert 'a' and 'b', all three queued in one turn. */
const betweenTwo = (work: () => unknown) =>
  Promise.allSettled([batcher.run(insert('a')), batcher.run(work), batcher.run(insert('b'))]);

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

  it('a work that throws loses its own writes and fails alone; the others commit', async () => {
    const failing = () => {
      insert('doomed')();
      throw new Error('refused');
    };
    const results = await betweenTwo(failing);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    expect(transactions).toBe(1);
    expect(committedRows()).toEqual(['a', 'b']);
  });

  it('a work whose error took the whole transaction with it fails alone; the others run again, each alone', async () => {
    // SQLite's answer to some errors (a full disk, an I/O error, no memory) is to roll the whole transaction
    // back, not only the statement: what the works before it wrote is gone too.
    const rollsAllBack = () => {
      insert('doomed')();
      db.exec('ROLLBACK');
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    const results = await betweenTwo(rollsAllBack);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_FULL');
    expect(transactions).toBe(3);
    expect(committedRows()).toEqual(['a', 'b']);
    expect(db.inTransaction).toBe(false);
  });

  it('a work that ends the transaction and swallows the error fails alone; nothing of it is kept', async () => {
    const swallows = () => {
      insert('doomed')();
      db.exec('ROLLBACK');
      return 'fine, it says';
    };
    const results = await betweenTwo(swallows);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedRows()).toEqual(['a', 'b']);
  });

  it('a savepoint that cannot be rolled back sinks the shared transaction; its work fails, the others run alone', async () => {
    const breaksItsSavepoint = () => {
      insert('doomed')();
      // Gone from the stack: the batcher's ROLLBACK TO then fails, and the work's row cannot be taken back.
      db.exec('RELEASE batched_work');
      throw new Error('refused');
    };
    const results = await betweenTwo(breaksItsSavepoint);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedRows()).toEqual(['a', 'b']);
  });

  it('a signing or COMMIT that fails runs every work again alone; each gets its own answer', async () => {
    let failures = 1;
    beforeCommit = () => {
      if (failures-- > 0) throw new Error('signing failed');
    };
    const finishing = () => (insert('c')(), new AfterBatch(() => 'c finished'));
    const results = await Promise.allSettled([
      batcher.run(insert('a')),
      batcher.run(insert('b')),
      batcher.run(finishing),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<string>).value).toBe('c finished');
    expect(transactions).toBe(4);
    expect(committedRows()).toEqual(['a', 'b', 'c']);
  });

  it('when the store refuses every transaction, every work fails and nothing is kept', async () => {
    beforeCommit = () => {
      throw new Error('signing failed');
    };
    const results = await Promise.allSettled([batcher.run(insert('a')), batcher.run(insert('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(committedRows()).toEqual([]);
  });

  it('a failure after the commit fails the works without running them again: their writes are kept', async () => {
    afterCommit = () => {
      throw new Error('listener failed');
    };
    const results = await Promise.allSettled([batcher.run(insert('a')), batcher.run(insert('b'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(transactions).toBe(1);
    expect(committedRows()).toEqual(['a', 'b']);
  });

  it('refuses a work that returns a promise, keeping nothing of it', async () => {
    const asyncWork = async () => insert('doomed')();
    const results = await Promise.allSettled([batcher.run(asyncWork), batcher.run(insert('a'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect(committedRows()).toEqual(['a']);
  });

  it(`takes at most ${MAX_BATCH} works in one transaction; the rest go in the next`, async () => {
    const names = Array.from(
      { length: MAX_BATCH + 6 },
      (_, index) => `row-${String(index).padStart(3, '0')}`,
    );
    await Promise.all(names.map((name) => batcher.run(insert(name))));
    expect(transactions).toBe(2);
    expect(committedRows()).toEqual(names);
  });

  it('says when its works are running', async () => {
    expect(batcher.running()).toBe(false);
    expect(await batcher.run(() => batcher.running())).toBe(true);
    expect(batcher.running()).toBe(false);
  });

  it('runs what the works left for after the batch once every work has run, in order, in the same transaction', async () => {
    const seen: string[] = [];
    const later = (name: string) => () => {
      insert(name)();
      return new AfterBatch(() => {
        seen.push(`${name} sees ${committedOrNot()}`);
        return `${name} finished`;
      });
    };
    const committedOrNot = () => db.prepare('SELECT group_concat(name) FROM rows').pluck().get();
    const results = await Promise.all([
      batcher.run(later('a')),
      batcher.run(insert('b')),
      batcher.run(later('c')),
    ]);
    expect(results).toEqual(['a finished', 'b', 'c finished']);
    expect(seen).toEqual(['a sees a,b,c', 'c sees a,b,c']);
    expect(transactions).toBe(1);
  });

  it('gives the works of one batch one shared scope, and a work run alone a scope of its own', async () => {
    const key = Symbol('test');
    const scopeOf = (batch: BatchScope) => batch.shared(key, () => ({}));
    const [a, b] = await Promise.all([batcher.run(scopeOf), batcher.run(scopeOf)]);
    expect(a).toBe(b);
    expect(await batcher.run(scopeOf)).not.toBe(a);
  });

  it('an after-batch part that throws fails its work, keeping nothing of it; the others run again alone, whole', async () => {
    let finishes = 0;
    const later = (name: string, fails: boolean) => () => {
      insert(name)();
      return new AfterBatch(() => {
        finishes += 1;
        insert(`${name} answered`)();
        if (fails) throw new Error('could not answer');
        return name;
      });
    };
    const results = await Promise.allSettled([
      batcher.run(later('a', false)),
      batcher.run(later('doomed', true)),
      batcher.run(later('b', false)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('could not answer'));
    // The doomed work's own part was already in the shared transaction: it went, the others ran again alone.
    expect(transactions).toBe(3);
    expect(finishes).toBe(4);
    expect(committedRows()).toEqual(['a', 'a answered', 'b', 'b answered']);
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

/** Runs `run` on a test server, with `append(subject)` making a work that appends one audit entry. */
async function onServer(
  run: (server: TestServer, append: (subject: string) => () => AuditEntry) => Promise<void>,
) {
  const server = await createTestServer();
  try {
    const append = (subject: string) => () =>
      appendAudit(server.ctx.db, server.ctx.now(), { actor: 'system', action: 'test.entry', subject });
    await run(server, append);
  } finally {
    await server.close();
  }
}

describe("the server's batched writes", () => {
  it('refuse a write of its own inside a batched work: it would sign a second checkpoint in the shared transaction', async () => {
    await onServer(async ({ ctx }) => {
      const nested = ctx.writeBatched(() => ctx.write(() => 'nested'));
      await expect(nested).rejects.toThrow('inside a batched write');
      expect(await ctx.writeBatched(() => 'alone')).toBe('alone');
    });
  });

  it.each([
    ['signed with a key the server does not hold', /a key this server does not hold/],
    ['naming the key of the server, with a signature it never made', /does not carry a valid signature/],
  ])(
    'never sign over a checkpoint that a later work of the batch put in place of the last one, %s',
    async (kind, problem) => {
      await onServer(async ({ ctx }, append) => {
        const forger = generateKeyPairSync('ed25519');
        const forgeLast = () => {
          const last = latestCheckpoint(ctx.db)!;
          const publicKey = kind.startsWith('signed with')
            ? forger.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64')
            : last.publicKey;
          ctx.db.exec('DROP TRIGGER IF EXISTS audit_checkpoints_append_only_delete');
          ctx.db.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(last.seq);
          ctx.db
            .prepare(
              'INSERT INTO audit_checkpoints (seq, origin, hash, at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
            )
            .run(
              last.seq,
              last.origin,
              last.hash,
              last.at,
              'forged',
              publicKey,
              cryptoSign(null, Buffer.from(checkpointText(last)), forger.privateKey).toString('base64'),
            );
          append('after the forgery')();
        };
        // A checkpoint signed and committed first: the one the server records as its last.
        await ctx.writeBatched(append('recorded'));
        const [first] = await Promise.all([ctx.writeBatched(append('A')), ctx.writeBatched(forgeLast)]);
        expect(ctx.checkpoints.problem()).toMatch(problem);
        expect(latestCheckpoint(ctx.db)!.seq).toBe(first.seq);
        expect(readAuditHead(ctx.db)!.seq).toBe(first.seq + 1);
      });
    },
  );

  it('trust the checkpoint signed last only while no other connection has committed since', async () => {
    await onServer(async ({ ctx, dbFile }, append) => {
      ctx.write(append('recorded'));
      const recorded = ctx.checkpoints.recorded()!.seq;
      // Signed in a transaction of its own (not ctx.write), so nothing says when it committed.
      ctx.db.transaction(() => {
        append('raw')();
        ctx.checkpoints.signHead(ctx.now());
      })();
      // Another connection then deletes the checkpoint the server recorded signing.
      const other = new Database(dbFile);
      other.exec('DROP TRIGGER IF EXISTS audit_checkpoints_append_only_delete');
      other.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(recorded);
      other.close();
      ctx.write(append('after'));
      expect(ctx.checkpoints.problem()).toMatch(/which this server signed, is missing/);
    });
  });

  it('sign after each work, and never over a row a later work wrote that breaks the chain', async () => {
    await onServer(async ({ ctx }, append) => {
      // Not through appendAudit: a row whose hash is not the chain's.
      const forge = () => {
        const head = readAuditHead(ctx.db)!;
        insertAuditRow(ctx.db, {
          seq: head.seq + 1,
          at: ctx.now().toISOString(),
          actor: 'system',
          action: 'test.forged',
          subject: 'C',
          data: '{}',
          prev_hash: head.hash,
          hash: 'f'.repeat(64),
        });
      };
      const [first, second] = await Promise.all([
        ctx.writeBatched(append('A')),
        ctx.writeBatched(append('B')),
      ]);
      expect(latestCheckpoint(ctx.db)?.seq).toBe(second.seq);
      expect(checkpointCovering(ctx.db, first.seq)?.seq).toBe(first.seq);
      expect(ctx.checkpoints.problem()).toBeNull();

      await Promise.all([ctx.writeBatched(append('D')), ctx.writeBatched(forge)]);
      const covered = latestCheckpoint(ctx.db)!.seq;
      expect(covered).toBe(second.seq + 1);
      expect(readAuditHead(ctx.db)!.seq).toBe(covered + 1);
      expect(ctx.checkpoints.problem()).toMatch(/breaks the chain/);
    });
  });
});
