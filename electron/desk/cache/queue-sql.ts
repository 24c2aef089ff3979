// The SQL of a queue request (DESIGN §6), built from fixed fragments: user input only ever travels as
// parameters. Which index each statement walks is stated with INDEXED BY or a CROSS JOIN wherever the
// choice matters, so the plans do not depend on statistics and tests/desk/queue-plan.test.ts can hold
// every shape to its index.
import type { z } from 'zod';
import {
  QUEUE_VIEWS,
  type QueueSortColumn,
  type QueueView,
  type queueQuery,
} from '../../../shared/desk-api/schemas';
import { planSearch, type SearchPlan } from './queue-search';

export type QueueRequest = z.output<typeof queueQuery>;

/** Each sort column with the index that holds the cases in that order (db/migrations/). */
const SORTS: Record<QueueSortColumn, { column: string; index: string }> = {
  slaDueAt: { column: 'sla_due_at', index: 'cases_by_sla' },
  openedAt: { column: 'opened_at', index: 'cases_by_opened' },
  id: { column: 'id', index: 'cases_by_id' },
  amount: { column: 'amount_value', index: 'cases_by_amount' },
  fiatAmount: { column: 'fiat_amount_value', index: 'cases_by_fiat_amount' },
  status: { column: 'status_rank', index: 'cases_by_status_rank' },
  assignee: { column: 'assignee_name', index: 'cases_by_assignee_name' },
};

/** Each view's condition on a row of `cases` (aliased c), and the index holding its rows in SLA order. */
const VIEWS: Record<QueueView, { condition: string; index: string } | null> = {
  all: null,
  mine: { condition: 'c.assignee_id = @me', index: 'cases_by_assignee' },
  unassigned: { condition: 'c.assignee_id IS NULL', index: 'cases_by_assignee' },
  flagged: { condition: 'c.flagged = 1', index: 'cases_by_flagged' },
  awaiting_approval: { condition: "c.status = 'pending_approval'", index: 'cases_by_status' },
};

export interface QueueParams {
  me: string | null;
  match?: string;
  glob?: string;
  /** Filter lists travel as JSON arrays, so a statement's text does not depend on their length. */
  statuses?: string;
  assets?: string;
  methods?: string;
}

/** A request reduced to what its SQL depends on. */
export interface QueueShape {
  request: QueueRequest;
  search: SearchPlan;
  /** The filters' conditions on c. An empty list means "any": no condition. */
  filters: string[];
  params: QueueParams;
}

export function queueShape(request: QueueRequest, me: string | null): QueueShape {
  const params: QueueParams = { me };
  const search = planSearch(request.search);
  if (search.kind === 'text') params.match = search.match;
  if (search.kind === 'id_prefix') params.glob = search.glob;
  const filters: string[] = [];
  const { status, asset, paymentMethod } = request.filters;
  if (status?.length) {
    filters.push('c.status IN (SELECT value FROM json_each(@statuses))');
    params.statuses = JSON.stringify(status);
  }
  if (asset?.length) {
    filters.push('c.asset IN (SELECT value FROM json_each(@assets))');
    params.assets = JSON.stringify(asset);
  }
  if (paymentMethod?.length) {
    filters.push('c.payment_method IN (SELECT value FROM json_each(@methods))');
    params.methods = JSON.stringify(paymentMethod);
  }
  return { request, search, filters, params };
}

/** The same request without its search and filters: for when every cached case passes them anyway. */
export function withoutNarrowing(shape: QueueShape): QueueShape {
  return { ...shape, search: { kind: 'none' }, filters: [], params: { me: shape.params.me } };
}

/** The same request without its search, filters kept: for a search every cached case matches. */
export function withoutSearch(shape: QueueShape): QueueShape {
  const { match: _match, glob: _glob, ...params } = shape.params;
  return { ...shape, search: { kind: 'none' }, params };
}

/**
 * How many cached cases the search alone matches, for a search (not 'none'), or NULL when it cannot be
 * all of them. Neither reads a row of cases: an id prefix is a range of cases_by_id, and the trigram
 * index counts its own hits, but only once its first and last hits are the first and last cases: that
 * costs two seeks, where counting the hits of a two-word name costs a millisecond or two.
 */
export function searchHitsSql(search: SearchPlan): string {
  if (search.kind !== 'text') return 'SELECT count(*) FROM cases AS c INDEXED BY cases_by_id WHERE c.id GLOB @glob';
  const hit = (order: 'ASC' | 'DESC') =>
    `(SELECT rowid FROM cases_search WHERE cases_search MATCH @match ORDER BY rowid ${order} LIMIT 1)`;
  return `SELECT CASE WHEN ${hit('ASC')} = (SELECT min(row_id) FROM cases)
      AND ${hit('DESC')} = (SELECT max(row_id) FROM cases)
    THEN (SELECT count(*) FROM cases_search WHERE cases_search MATCH @match) END`;
}

const where = (conditions: (string | null | undefined)[]) => {
  const present = conditions.filter((condition): condition is string => Boolean(condition));
  return present.length ? `WHERE ${present.join(' AND ')}` : '';
};

const countColumns = (count: (view: QueueView) => string) =>
  QUEUE_VIEWS.map((view) => `${count(view)} AS "${view}"`).join(', ');

/**
 * The number of cases in every view under the search and filters. Without search or filters each view is counted over its own index. A text search counts in one
 * pass over its trigram hits, joined by rowid; anything else in one pass over cases_for_counts, the
 * narrow index that holds every column a filter or a view reads.
 */
export function countsSql(shape: QueueShape): string {
  const inView = (view: QueueView) => {
    const condition = VIEWS[view]?.condition;
    return condition ? `count(*) FILTER (WHERE ${condition})` : 'count(*)';
  };
  if (shape.search.kind === 'none' && shape.filters.length === 0) {
    return `SELECT ${countColumns((view) => {
      const definition = VIEWS[view];
      return definition
        ? `(SELECT count(*) FROM cases AS c INDEXED BY ${definition.index} WHERE ${definition.condition})`
        : '(SELECT count(*) FROM cases)';
    })}`;
  }
  if (shape.search.kind === 'text') {
    return `SELECT ${countColumns(inView)}
      FROM cases_search AS s CROSS JOIN cases AS c ON c.row_id = s.rowid
      ${where(['s.cases_search MATCH @match', ...shape.filters])}`;
  }
  const glob = shape.search.kind === 'id_prefix' ? 'c.id GLOB @glob' : null;
  return `SELECT ${countColumns(inView)}
    FROM cases AS c INDEXED BY cases_for_counts ${where([glob, ...shape.filters])}`;
}

/** How the page of rows is found; queue.ts picks one from the counts (chooseRowsPlan). */
export type RowsPlan =
  /** Walk the sort column's index in order, keeping the rows that match, until the page is full. */
  | 'sort_index'
  /** Find every matching row through the search or the view's index, then sort them. */
  | 'matches_first';

/** The row_ids of the requested page, in order. Bind with `limit` and `offset` as well as the params. */
export function rowsSql(shape: QueueShape, plan: RowsPlan): string {
  const { request, search } = shape;
  const sort = SORTS[request.sort.column];
  const direction = request.sort.direction === 'asc' ? 'ASC' : 'DESC';
  // The id breaks ties in the same direction, so one index (column, id) walked either way gives the order.
  const order =
    sort.column === 'id' ? `c.id ${direction}` : `c.${sort.column} ${direction}, c.id ${direction}`;
  const view = VIEWS[request.view];
  const page = `ORDER BY ${order} LIMIT @limit OFFSET @offset`;
  const glob = search.kind === 'id_prefix' ? 'c.id GLOB @glob' : null;

  if (plan === 'sort_index') {
    const text =
      search.kind === 'text'
        ? 'c.row_id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH @match)'
        : null;
    return `SELECT c.row_id FROM cases AS c INDEXED BY ${sort.index}
      ${where([view?.condition, text, glob, ...shape.filters])} ${page}`;
  }
  if (search.kind === 'text') {
    return `SELECT c.row_id FROM cases_search AS s CROSS JOIN cases AS c ON c.row_id = s.rowid
      ${where(['s.cases_search MATCH @match', view?.condition, ...shape.filters])} ${page}`;
  }
  // Few matches: the id range of a short search, else the view's own index, else the filters' index.
  const index = glob ? 'cases_by_id' : (view?.index ?? 'cases_for_counts');
  return `SELECT c.row_id FROM cases AS c INDEXED BY ${index} ${where([view?.condition, glob, ...shape.filters])} ${page}`;
}

/** Every case in the cache. Kept apart from the view counts: alone it is answered from the b-tree's
 *  page counts without reading a row, while inside an aggregate over matches it is not. */
export const CACHED_SQL = 'SELECT count(*) FROM cases';

/** The summaries of the page's rows, in the order given (a JSON array of row_ids). */
export const SUMMARIES_SQL = `
  SELECT d.summary FROM json_each(@rowIds) AS page
  JOIN case_details AS d ON d.row_id = page.value
  ORDER BY page.key`;
