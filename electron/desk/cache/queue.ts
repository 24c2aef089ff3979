// The queue (DESIGN §6): one page of cached cases for a view, search, filters and sort, with the number of
// cases in every view under the same search and filters. At 100,000 cached cases the p95 must stay under
// 20 ms and the slowest under 50 ms (issue #13; bench/desk.bench.ts measures every kind of query).
import type { CaseSummary } from '../../../shared/api/types';
import type { QueuePage, QueueView } from '../../../shared/desk-api/schemas';
import type { DeskDb } from '../context';
import {
  CACHED_SQL,
  countsSql,
  queueShape,
  rowsSql,
  SUMMARIES_SQL,
  searchHitsSql,
  withoutNarrowing,
  withoutSearch,
  type QueueRequest,
  type QueueShape,
  type RowsPlan,
} from './queue-sql';
import { isBulkLoading, withoutIndexNames } from './bulk-load';
import { perConnection } from './statements';

export type { QueueRequest } from './queue-sql';

/**
 * Walking the sort index visits about (offset + limit) × cached / matching entries, each with a row
 * lookup (the status and assignee indexes test a view inside the index, migration 6); finding the
 * matches first costs about one sorted row per match, roughly twice a lookup. The counts, computed first
 * anyway, say which is cheaper: a broad view or search walks the sort index and stops at the page, a
 * narrow one sorts its few matches.
 */
export function chooseRowsPlan(
  counts: { cached: number; matching: number },
  offset: number,
  limit: number,
): RowsPlan {
  if (counts.matching === 0) return 'matches_first';
  const walked = Math.min(counts.cached, ((offset + limit) * counts.cached) / counts.matching);
  return walked <= 2 * counts.matching ? 'sort_index' : 'matches_first';
}

/** Compiled statements by SQL text. Requests have a few hundred shapes at most; the cap is a backstop. */
const compiled = perConnection(() => new Map<string, ReturnType<DeskDb['prepare']>>());
const COMPILED_CAP = 512;

/** `bulk`: the cache is being filled without its secondary indexes (bulk-load.ts), which the SQL names. */
function prepare(db: DeskDb, named: string, bulk: boolean) {
  const sql = bulk ? withoutIndexNames(named) : named;
  const cache = compiled(db);
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= COMPILED_CAP) cache.clear();
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** `me` is the signed-in user's id: the "Mine" view is their cases. */
export function queryQueue(db: DeskDb, request: QueueRequest, me: string | null): QueuePage {
  // One read transaction: the counts and the rows describe the same moment of the cache.
  return db.transaction(() => {
    const cached = countCachedCases(db);
    const bulk = isBulkLoading(db);
    const shape = narrowingSearch(db, queueShape(request, me), cached, bulk);
    const counts = prepare(db, countsSql(shape), bulk).get(shape.params) as Record<QueueView, number>;
    const total = counts[request.view];
    const plan = chooseRowsPlan({ cached, matching: total }, request.offset, request.limit);
    // Filters that every cached case passes (every status ticked) narrow nothing either: the page is found
    // without them.
    const paged = counts.all === cached ? withoutNarrowing(shape) : shape;
    const rowIds = prepare(db, rowsSql(paged, plan), bulk)
      .pluck()
      .all({ ...paged.params, limit: request.limit, offset: request.offset }) as number[];
    const summaries = prepare(db, SUMMARIES_SQL, bulk)
      .pluck()
      .all({ rowIds: JSON.stringify(rowIds) }) as string[];
    return { rows: summaries.map((summary) => JSON.parse(summary) as CaseSummary), total, counts };
  })();
}

/**
 * The shape without its search when the search matches every cached case ("DSP", "PTY-", "DS"): counting
 * the views over every trigram hit joins each hit to its row, about 12 ms at 100,000 cases, while the
 * search's own hit count costs about 2 ms (and is not taken for a search that misses the first or last
 * case) and the views' counts without it are index ranges.
 */
function narrowingSearch(db: DeskDb, shape: QueueShape, cached: number, bulk: boolean): QueueShape {
  if (shape.search.kind === 'none') return shape;
  const hits = prepare(db, searchHitsSql(shape.search), bulk).pluck().get(shape.params) as number | null;
  return hits === cached ? withoutSearch(shape) : shape;
}

const cachedCount = perConnection((db: DeskDb) => db.prepare(CACHED_SQL).pluck());

/** How many cases the cache holds. */
export const countCachedCases = (db: DeskDb) => cachedCount(db).get() as number;
