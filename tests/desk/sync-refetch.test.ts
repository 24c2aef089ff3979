// Applying sync pages, and a refetch interrupted by a crash (sync/refetch.ts), without a server: pages are
// made up, and a "crash" is closing the file between two transactions, which is all a crash can do to
// committed work. The cache must never lose a case the server still has, never be marked current before
// the refetch is done, and never keep a case the server no longer sends once it is.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail, SyncPage } from '../../shared/api/types';
import { applyRowsSlice, applySyncPage, rowsOf, type SliceLimits } from '../../electron/desk/sync/apply-page';
import { beginRefetch } from '../../electron/desk/sync/refetch';
import { readSyncState } from '../../electron/desk/sync/sync-state';
import { readSyncPage } from '../../electron/desk/sync/page-schema';
import { DESK_DATABASE_FILE, openDeskDatabase } from '../../electron/desk/db/open';
import type { DeskDb } from '../../electron/desk/context';
import { syntheticCase } from './fixtures/synthetic-cases';
import { tempDir } from './fixtures/live-desk';

const opened: DeskDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function open(file: string): DeskDb {
  const db = openDeskDatabase(file);
  opened.push(db);
  return db;
}

const AT = new Date('2026-11-24T12:00:00.000Z');

function page(details: CaseDetail[], firstSeq: number, hasMore: boolean): SyncPage {
  const changes = details.map((data, index) => ({
    seq: firstSeq + index,
    type: 'case' as const,
    id: data.id,
    data,
  }));
  return { changes, cursor: changes.at(-1)?.seq ?? firstSeq - 1, hasMore };
}

const ids = (db: DeskDb) => db.prepare('SELECT id FROM cases ORDER BY id').pluck().all();
const version = (db: DeskDb, id: string) =>
  db.prepare('SELECT version FROM cases WHERE id = ?').pluck().get(id);

describe('applying a page', () => {
  it('writes its cases and its cursor together, and marks the cache current only at the end of the feed', () => {
    const db = open(':memory:');
    const first = applySyncPage(db, page([syntheticCase(0), syntheticCase(1)], 1, true), AT);
    expect(first.state).toEqual({ cursor: 2, generation: 0, refetching: false, lastSyncedAt: null });
    expect(first.caseIds).toEqual([syntheticCase(0).id, syntheticCase(1).id]);
    expect(first.summaries?.map((summary) => summary.id)).toEqual(first.caseIds);
    const last = applySyncPage(db, page([syntheticCase(0, { version: 2 })], 3, false), AT);
    expect(last.state).toEqual({
      cursor: 3,
      generation: 0,
      refetching: false,
      lastSyncedAt: AT.toISOString(),
    });
    expect(version(db, syntheticCase(0).id)).toBe(2);
  });

  it('rolls back the whole page when one of its cases cannot be written', () => {
    const db = open(':memory:');
    applySyncPage(db, page([syntheticCase(0)], 1, true), AT);
    const broken = { ...syntheticCase(2), status: 'lost' } as unknown as CaseDetail;
    expect(() => applySyncPage(db, page([syntheticCase(1), broken], 2, false), AT)).toThrow();
    expect(ids(db)).toEqual([syntheticCase(0).id]);
    expect(readSyncState(db).cursor).toBe(1);
  });

  it('moves the cursor past changes of a type it does not know', () => {
    const db = open(':memory:');
    const unknown = {
      changes: [{ seq: 1, type: 'party', id: 'PTY-1', data: {} }],
      cursor: 1,
      hasMore: false,
    };
    applySyncPage(db, readSyncPage(unknown), AT);
    expect(readSyncState(db).cursor).toBe(1);
    expect(ids(db)).toEqual([]);
  });

  it('refuses a page whose cases lack what the cache files them under', () => {
    expect(() =>
      readSyncPage({
        changes: [{ seq: 1, type: 'case', id: 'X', data: { id: 'X' } }],
        cursor: 1,
        hasMore: false,
      }),
    ).toThrow(/cannot read/);
    expect(() => readSyncPage({ changes: 'none', cursor: 1 })).toThrow(/cannot read/);
  });

  it('names the first field of a case that the cache cannot file it under', () => {
    const changeOf = (data: unknown) => ({ changes: [{ seq: 7, type: 'case', id: 'X', data }], cursor: 7, hasMore: false });
    const broken: [unknown, string][] = [
      [{ ...syntheticCase(0), buyer: { ...syntheticCase(0).buyer, id: '' } }, 'buyer.id: expected a non-empty string'],
      [{ ...syntheticCase(0), amount: '1e5' }, 'amount: expected a decimal string'],
      [{ ...syntheticCase(0), version: -1 }, 'version: expected a whole number, 0 or more'],
      [{ ...syntheticCase(0), status: 'lost' }, 'status: expected one of open, in_review, pending_approval, resolved'],
      [{ ...syntheticCase(0), assignee: { id: 'usr-ana' } }, 'assignee.username: expected a string'],
      [{ ...syntheticCase(0), flags: { ...syntheticCase(0).flags, onHold: 'no' } }, 'flags.onHold: expected true or false'],
      [{ ...syntheticCase(0), evidence: [{ sha256: 5 }] }, 'evidence.0.sha256: expected a string'],
      [{ ...syntheticCase(0), id: 'X'.repeat(65) }, 'id: expected a string of 1 to 64 characters'],
      [[syntheticCase(0)], 'the case: expected an object'],
    ];
    for (const [data, problem] of broken)
      expect(() => readSyncPage(changeOf(data))).toThrow(`change 0 (seq 7): ${problem}`);
    // An unassigned case, and fields the cache does not file a case under, are fine as the server sent them.
    const accepted = readSyncPage(changeOf({ ...syntheticCase(0), assignee: null, extra: { any: 'thing' } }));
    expect(accepted.changes[0]!.data).toMatchObject({ extra: { any: 'thing' } });
  });
});

describe('applying a page in slices', () => {
  const whole = () =>
    page(
      [0, 1, 2, 3, 4].map((index) => syntheticCase(index)),
      11,
      true,
    );
  const slices = (db: DeskDb, sliced: SyncPage, limits: SliceLimits, clock?: () => number) => {
    const seen: [number[], number, number][] = [];
    let from = 0;
    do {
      const applied = applyRowsSlice(db, rowsOf(sliced), from, limits, AT, clock);
      seen.push([sliced.changes.slice(from, applied.next).map((change) => change.seq), applied.state.cursor, applied.next]);
      from = applied.next;
    } while (from < sliced.changes.length);
    return seen;
  };

  it('keeps the changes in order, each slice ending at its last seq, and the last one where the page ends', () => {
    const db = open(':memory:');
    expect(slices(db, whole(), { maxChanges: 2, budgetMs: Infinity })).toEqual([
      [[11, 12], 12, 2],
      [[13, 14], 14, 4],
      [[15], 15, 5],
    ]);
    expect(ids(db)).toEqual([0, 1, 2, 3, 4].map((index) => syntheticCase(index).id));
    // Only the slice that ends the last page marks the cache current.
    expect(readSyncState(db).lastSyncedAt).toBeNull();
    const last = slices(db, { ...whole(), hasMore: false }, { maxChanges: 2, budgetMs: Infinity });
    expect(last.map(([, cursor]) => cursor)).toEqual([12, 14, 15]);
    expect(readSyncState(db).lastSyncedAt).toBe(AT.toISOString());
  });

  it('ends a slice once it has taken its time budget, after at least one change', () => {
    const db = open(':memory:');
    let now = 0;
    // Every reading of the clock is 10 ms after the one before: the budget of 15 ms is spent after 2 changes.
    const clock = () => (now += 10);
    expect(slices(db, whole(), { maxChanges: 500, budgetMs: 15 }, clock)).toEqual([
      [[11, 12], 12, 2],
      [[13, 14], 14, 4],
      [[15], 15, 5],
    ]);
    expect(slices(db, whole(), { maxChanges: 500, budgetMs: 0 }, clock).map(([seqs]) => seqs.length)).toEqual([
      1, 1, 1, 1, 1,
    ]);
  });

  it('moves the cursor of an empty page in one slice', () => {
    const db = open(':memory:');
    const empty = { changes: [], cursor: 40, hasMore: false };
    expect(applyRowsSlice(db, rowsOf(empty), 0, { maxChanges: 2, budgetMs: 25 }, AT)).toMatchObject({
      next: 0,
      state: { cursor: 40, lastSyncedAt: AT.toISOString() },
    });
  });
});

describe('a refetch interrupted by a crash', () => {
  it('keeps every case through the crash, resumes from the stored cursor, and sweeps only at the end', () => {
    const file = path.join(tempDir(), DESK_DATABASE_FILE);
    let db = open(file);
    // The cache before: cases 0..5, synced to cursor 6; case 5 is one the rebuilt server no longer has.
    applySyncPage(
      db,
      page(
        [0, 1, 2, 3, 4, 5].map((index) => syntheticCase(index)),
        1,
        false,
      ),
      AT,
    );
    const before = ids(db);

    const started = beginRefetch(db);
    expect(started).toMatchObject({
      cursor: 0,
      generation: 1,
      refetching: true,
      lastSyncedAt: AT.toISOString(),
    });
    // The first page of the refetch: cases 0..2 at versions the server numbers afresh (lower than ours).
    applySyncPage(
      db,
      page(
        [0, 1, 2].map((index) => syntheticCase(index, { version: 1, reason: 'refetched' })),
        1,
        true,
      ),
      new Date(AT.getTime() + 1000),
    );
    db.close();

    // "Crash" and restart: nothing lost, not marked current by the refetch, resuming after its first page.
    db = open(file);
    expect(ids(db)).toEqual(before);
    expect(readSyncState(db)).toEqual({
      cursor: 3,
      generation: 1,
      refetching: true,
      lastSyncedAt: AT.toISOString(),
    });

    const done = new Date(AT.getTime() + 2000);
    const last = applySyncPage(
      db,
      page(
        [3, 4].map((index) => syntheticCase(index, { reason: 'refetched' })),
        4,
        false,
      ),
      done,
    );
    expect(ids(db)).toEqual(before.filter((id) => id !== syntheticCase(5).id));
    expect(last.caseIds).toContain(syntheticCase(5).id);
    expect(last.state).toEqual({
      cursor: 5,
      generation: 1,
      refetching: false,
      lastSyncedAt: done.toISOString(),
    });
    expect(db.prepare('SELECT count(*) FROM case_details').pluck().get()).toBe(5);
    expect(db.prepare('SELECT count(*) FROM cases_search').pluck().get()).toBe(5);
    expect(
      db.prepare('SELECT count(*) FROM case_evidence WHERE case_id = ?').pluck().get(syntheticCase(5).id),
    ).toBe(0);
    // Every remaining case is the refetched one, even where the cache had held a higher version.
    expect(
      db
        .prepare("SELECT count(*) FROM case_details WHERE json_extract(detail, '$.reason') = 'refetched'")
        .pluck()
        .get(),
    ).toBe(5);
  });
});
