// A full refetch, after the server answered 410 must_refetch: our cursor is older than its feed keeps, or
// comes from another store. The feed from after=0 holds every case's latest state, so pulling it from the
// start rebuilds the cache. How it survives a crash at any point:
//
// - Start (one transaction): the generation goes up by one, the cursor goes back to 0 and `refetching` is
//   set. No case is deleted: the queue keeps every case it had, stale at worst, for the whole refetch.
// - Each page (one transaction, sync/apply-page.ts): its cases are written, whatever version the cache
//   held, and stamped with the new generation; the cursor moves to the page's end.
// - The last page (same transaction as its cases): the rows still stamped with an older generation are
//   cases the server no longer sends (a rebuilt store) and are deleted; `refetching` is cleared and
//   last_synced_at set. Only now is the cache marked current again.
//
// A crash in the middle leaves `refetching` set and the cursor at the last applied page; the next start
// pulls on from there (not from 0), and the sweep at the end still sees which rows this refetch wrote.
// Clearing the tables up front instead would show a half-empty queue for as long as the refetch runs (a
// minute or more at 100,000 cases), and clearing them in the same transaction as the first page would
// still leave the cache mostly empty, if honestly marked, until the end; marking and sweeping never shows
// fewer cases than the server has.
import type { DeskDb } from '../context';
import { readSyncState, writeSyncState, type SyncState } from './sync-state';

export function beginRefetch(db: DeskDb): SyncState {
  return db
    .transaction(() => {
      const state = readSyncState(db);
      writeSyncState(db, { generation: state.generation + 1, cursor: 0, refetching: true });
      return readSyncState(db);
    })
    .immediate();
}

/** Deletes the cases the finished refetch did not write. Call inside the last page's transaction. */
export function sweepUnrefetched(db: DeskDb, generation: number): string[] {
  const stale = db.prepare('SELECT row_id, id FROM cases WHERE sync_generation < ?').all(generation) as {
    row_id: number;
    id: string;
  }[];
  if (stale.length === 0) return [];
  const forgetSearch = db.prepare('DELETE FROM cases_search WHERE rowid = ?');
  const forgetCase = db.prepare('DELETE FROM cases WHERE row_id = ?');
  // One statement for all of them: during a first sync (cache/bulk-load.ts) the index of evidence by case
  // is set aside, and this reads the evidence rows once instead of once per case.
  db.prepare('DELETE FROM case_evidence WHERE case_id IN (SELECT value FROM json_each(?))').run(
    JSON.stringify(stale.map((row) => row.id)),
  );
  for (const row of stale) {
    forgetSearch.run(row.row_id);
    // case_details goes with it (ON DELETE CASCADE).
    forgetCase.run(row.row_id);
  }
  return stale.map((row) => row.id);
}
