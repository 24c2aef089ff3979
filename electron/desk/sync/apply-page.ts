// Applies one /v1/sync page: its cases and its cursor in ONE transaction, so that after a crash the stored
// cursor always says exactly which changes the cache holds, and the next pull resumes right after them.
// A page of 500 full case details takes a few hundred milliseconds to write, all of it on the event loop
// that also answers the renderer; so the engine hands it over in slices (splitPage), each a page in its
// own right: its changes and the seq of its last change as cursor, in one transaction.
import type { CaseDetail, CaseSummary, SyncPage } from '../../../shared/api/types';
import { applyCaseDetail } from '../cache/apply-case';
import { summaryOf } from '../cache/summary';
import type { DeskDb } from '../context';
import { sweepUnrefetched } from './refetch';
import { readSyncState, writeSyncState, type SyncState } from './sync-state';

/** A poke usually carries a case or two: their summaries ride along so a view can patch its rows in place.
 *  Bulk pages only name their cases, and the views query again. */
const SUMMARIES_UP_TO = 50;

/** The page as consecutive slices of at most `size` changes; the last one ends where the page ends. */
export function splitPage(page: SyncPage, size: number): SyncPage[] {
  if (page.changes.length <= size) return [page];
  const slices: SyncPage[] = [];
  for (let at = 0; at < page.changes.length; at += size) {
    const changes = page.changes.slice(at, at + size);
    const last = at + size >= page.changes.length;
    slices.push({
      changes,
      cursor: last ? page.cursor : changes.at(-1)!.seq,
      hasMore: last ? page.hasMore : true,
    });
  }
  return slices;
}

export interface AppliedPage {
  /** Every case the page wrote or the refetch's sweep removed, once each. */
  caseIds: string[];
  summaries?: CaseSummary[];
  state: SyncState;
}

export function applySyncPage(db: DeskDb, page: SyncPage, at: Date): AppliedPage {
  return db
    .transaction((): AppliedPage => {
      const before = readSyncState(db);
      const written = new Map<string, CaseDetail>();
      for (const change of page.changes) {
        if (change.type !== 'case') continue;
        const result = applyCaseDetail(db, change.data, { force: before.refetching });
        if (result === 'written') written.set(change.data.id, change.data);
      }
      const caught = !page.hasMore;
      const removed = caught && before.refetching ? sweepUnrefetched(db, before.generation) : [];
      writeSyncState(db, {
        cursor: page.cursor,
        ...(caught ? { refetching: false, lastSyncedAt: at.toISOString() } : {}),
      });
      const caseIds = [...written.keys(), ...removed];
      return {
        caseIds,
        ...(written.size <= SUMMARIES_UP_TO && removed.length === 0
          ? { summaries: [...written.values()].map(summaryOf) }
          : {}),
        state: readSyncState(db),
      };
    })
    .immediate();
}
