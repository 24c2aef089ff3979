// A first sync (until the cache has once caught up) is a bulk load (issue #13). Kept up to date row by row, the queue's
// eleven secondary indexes cost most of that sync: every transaction of a few hundred cases dirties pages
// all over each of them, and each dirtied page is encrypted and written to the WAL again at every commit.
// So while the cache is filled from the feed for the first time, those indexes are set aside, and built once
// at the end, each
// in one sorted pass, by the sync writer's thread (sync/writer.ts) so the event loop that answers
// the renderer is never held by it.
//
// Meanwhile the cases are queryable: the queue's statements name their indexes (INDEXED BY), so they run
// without those names (queue.ts), slower but right. The trigram search index is kept up to date as usual.
// Which indexes are set aside, and their SQL, is kept in cache_indexes_set_aside, written in the same
// transaction that drops them: a desk stopped half way finishes the load at its next sync, and each step
// of the finish builds one index and strikes it off the list together.
import type { DeskDb } from '../context';
import { perConnection } from './statements';

/** The tables whose secondary indexes are set aside. cases_by_id stays: every write looks a case up by id. */
const BULK_TABLES = ['cases', 'case_evidence'];
const KEPT_INDEXES = new Set(['cases_by_id']);
/** FTS5's default: merge once 4 segments of a level are there. */
const FTS_AUTOMERGE = 4;

const statements = perConnection((db: DeskDb) => ({
  loading: db.prepare('SELECT EXISTS (SELECT 1 FROM cache_indexes_set_aside)').pluck(),
  indexes: db.prepare(
    `SELECT name, sql FROM sqlite_schema
     WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))
     ORDER BY name`,
  ),
  setAside: db.prepare('INSERT INTO cache_indexes_set_aside (name, sql) VALUES (?, ?)'),
  listSetAside: db.prepare('SELECT name, sql FROM cache_indexes_set_aside ORDER BY name'),
}));

/** Whether the cache is being filled without its secondary indexes (from beginBulkLoad to the finish). */
export function isBulkLoading(db: DeskDb): boolean {
  return statements(db).loading.get() === 1;
}

/**
 * Sets the secondary indexes aside for a bulk load, unless a load stopped half way already did. For a cache
 * that has not yet caught up with the feed: most of its rows are still to come.
 */
export function beginBulkLoad(db: DeskDb): void {
  const sql = statements(db);
  db.transaction(() => {
    if (isBulkLoading(db)) return;
    const indexes = sql.indexes.all(JSON.stringify(BULK_TABLES)) as { name: string; sql: string }[];
    for (const index of indexes) {
      if (KEPT_INDEXES.has(index.name)) continue;
      sql.setAside.run(index.name, index.sql);
      // Names come from sqlite_schema, never from input; quoted all the same.
      db.exec(`DROP INDEX "${index.name.replaceAll('"', '""')}"`);
    }
    // Each transaction adds a segment to the trigram index; merging them as they come costs more than one
    // merge of them all at the end.
    db.exec(`INSERT INTO cases_search (cases_search, rank) VALUES ('automerge', 0)`);
  }).immediate();
}

/**
 * The transactions that end a bulk load, in order: the trigram index's segments merged and its automerge
 * back, then each set-aside index built from its own SQL and struck off the list in one transaction. Each
 * is short (at 100,000 cases, about 0.5 s for the merge and 0.1 s per index), so a write on the desk's
 * connection never waits long for them; the list always names exactly the indexes still missing, and the
 * load is over when it is empty.
 */
export function finishBulkLoadSteps(db: DeskDb): string[][] {
  const setAside = statements(db).listSetAside.all() as { name: string; sql: string }[];
  const quoted = (name: string) => `'${name.replaceAll("'", "''")}'`;
  return [
    [
      `INSERT INTO cases_search (cases_search) VALUES ('optimize')`,
      `INSERT INTO cases_search (cases_search, rank) VALUES ('automerge', ${FTS_AUTOMERGE})`,
    ],
    ...setAside.map((index) => [
      index.sql,
      `DELETE FROM cache_indexes_set_aside WHERE name = ${quoted(index.name)}`,
    ]),
  ];
}

/** A statement's SQL without its index names: for a bulk load, while those indexes do not exist. */
export const withoutIndexNames = (sql: string): string => sql.replace(/\s+INDEXED BY\s+\w+/g, '');
