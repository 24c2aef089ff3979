// Applies one /v1/sync page: its cases and its cursor in ONE transaction, so that after a crash the stored
// cursor always says exactly which changes the cache holds, and the next pull resumes right after them.
// A page of 500 full case details can take longer to write than the event loop, which also answers the
// renderer, may be held; so the engine applies it in slices (applyRowsSlice), each a page in its own right:
// its changes and the seq of its last change as cursor, in one transaction.
import type { CaseSummary, SyncPage } from '../../../shared/api/types';
import { caseRowOf, writeCaseRow, type CaseRow } from '../cache/apply-case';
import { isBulkLoading } from '../cache/bulk-load';
import type { DeskDb } from '../context';
import { sweepUnrefetched } from './refetch';
import { readSyncState, writeSyncState, type SyncState } from './sync-state';

/** A poke usually carries a case or two: their summaries ride along so a view can patch its rows in place.
 *  Bulk pages only name their cases, and the views query again. */
const SUMMARIES_UP_TO = 50;

export interface AppliedPage {
  /** Every case the page wrote or the refetch's sweep removed, once each. */
  caseIds: string[];
  summaries?: CaseSummary[];
  state: SyncState;
}

/** How much of a page one transaction may take: at most `maxChanges` changes, and about `budgetMs`. */
export interface SliceLimits {
  maxChanges: number;
  budgetMs: number;
}

export interface AppliedSlice extends AppliedPage {
  /** The index in the page of the first change not applied yet: the page's length once it is all applied. */
  next: number;
}

const WHOLE_PAGE: SliceLimits = { maxChanges: Number.POSITIVE_INFINITY, budgetMs: Number.POSITIVE_INFINITY };

/** A page with each case change worked out into what the cache writes (caseRowOf): the desk's thread does
 *  that part, the sync writer's thread only the writing. Changes of other types keep only their seq. */
export interface RowsPage {
  changes: { seq: number; row: CaseRow | null }[];
  cursor: number;
  hasMore: boolean;
  /** The cursor the page was asked for after: when given, the page is refused unless the cache is there. */
  after?: number;
}

/** A page that does not follow the cache's cursor: one before it was not written. Nothing of it is. */
export class OutOfOrderPageError extends Error {
  readonly code = 'sync_out_of_order';
  constructor(after: number, cursor: number) {
    super(`A sync page after ${after} came while the cache is at ${cursor}; it is fetched again.`);
    this.name = 'OutOfOrderPageError';
  }
}

export function rowsOf(page: SyncPage): RowsPage {
  return {
    changes: page.changes.map((change) => ({
      seq: change.seq,
      row: change.type === 'case' ? caseRowOf(change.data) : null,
    })),
    cursor: page.cursor,
    hasMore: page.hasMore,
  };
}

/**
 * Applies the changes of `page` from index `from` in one transaction, until the page ends or the slice
 * reaches its limits, with the seq of its last change as cursor (the page's cursor, and its hasMore, once
 * the page is done). The time budget keeps each transaction, which holds the event loop from start to
 * commit, short on a slow or busy machine, and as long as the budget allows on a fast one: every commit
 * costs a WAL write of each page it dirtied and an fsync.
 */
export function applyRowsSlice(
  db: DeskDb,
  page: RowsPage,
  from: number,
  limits: SliceLimits,
  at: Date,
  clock: () => number = performance.now.bind(performance),
): AppliedSlice {
  return db
    .transaction((): AppliedSlice => {
      const started = clock();
      const before = readSyncState(db);
      if (from === 0 && page.after !== undefined && before.cursor !== page.after)
        throw new OutOfOrderPageError(page.after, before.cursor);
      const bulk = isBulkLoading(db);
      const written = new Map<string, CaseSummary>();
      let next = from;
      while (next < page.changes.length) {
        const { row } = page.changes[next]!;
        next += 1;
        if (row && writeCaseRow(db, row, { force: before.refetching, bulk }) === 'written')
          written.set(row.values.id, row.summary);
        if (next - from >= limits.maxChanges || clock() - started >= limits.budgetMs) break;
      }
      const ended = next === page.changes.length;
      const caught = ended && !page.hasMore;
      const removed = caught && before.refetching ? sweepUnrefetched(db, before.generation) : [];
      writeSyncState(db, {
        cursor: ended ? page.cursor : page.changes[next - 1]!.seq,
        ...(caught ? { refetching: false, lastSyncedAt: at.toISOString() } : {}),
      });
      const caseIds = [...written.keys(), ...removed];
      return {
        caseIds,
        ...(written.size <= SUMMARIES_UP_TO && removed.length === 0
          ? { summaries: [...written.values()] }
          : {}),
        state: readSyncState(db),
        next,
      };
    })
    .immediate();
}

/** Applies a whole page in one transaction. */
export const applySyncPage = (db: DeskDb, page: SyncPage, at: Date): AppliedPage =>
  applyRowsPage(db, rowsOf(page), at);

/** Applies a page already worked out into rows (rowsOf) in one transaction. */
export const applyRowsPage = (db: DeskDb, page: RowsPage, at: Date): AppliedPage =>
  applyRowsSlice(db, page, 0, WHOLE_PAGE, at);
