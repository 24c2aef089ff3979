// The queue's tuned SQL (cache/queue-sql.ts: chosen indexes, a search that matches every case dropped, the
// page found by walking a sort index or by sorting the matches) returns exactly what the plainest SQL for
// the same request returns: every view, sort column and direction, searches that match every case, some
// or none, filters and deep pages, on a seeded cache of a few thousand cases. The plain statements below
// are the meaning of a queue request, written once without a thought for speed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QUEUE_SORT_COLUMNS,
  QUEUE_VIEWS,
  queueQuery,
  type QueueQuery,
  type QueueView,
} from '../../shared/desk-api/schemas';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { queryQueue } from '../../electron/desk/cache/queue';
import { planSearch } from '../../electron/desk/cache/queue-search';
import type { QueueRequest } from '../../electron/desk/cache/queue-sql';
import { openDeskDatabase } from '../../electron/desk/db/open';
import type { DeskDb } from '../../electron/desk/context';
import { syntheticCase, SYNTHETIC_AGENTS } from './fixtures/synthetic-cases';

const ME = SYNTHETIC_AGENTS[1]!.id;
const CASES = 3000;
let db: DeskDb;

beforeAll(() => {
  db = openDeskDatabase(':memory:');
  db.transaction(() => {
    for (let index = 0; index < CASES; index++) applyCaseDetail(db, syntheticCase(index));
  })();
});

afterAll(() => db.close());

const VIEW_CONDITION: Record<QueueView, string> = {
  all: '1',
  mine: 'assignee_id = @me',
  unassigned: 'assignee_id IS NULL',
  flagged: 'flagged = 1',
  awaiting_approval: "status = 'pending_approval'",
};

const SORT_COLUMN: Record<QueueRequest['sort']['column'], string> = {
  slaDueAt: 'sla_due_at',
  openedAt: 'opened_at',
  id: 'id',
  amount: 'amount_value',
  fiatAmount: 'fiat_amount_value',
  status: 'status_rank',
  assignee: 'assignee_name',
};

/** The request's search and filters as one plain condition on cases, with its parameters. */
function plainMatch(request: QueueRequest) {
  const search = planSearch(request.search);
  const conditions = [
    search.kind === 'text' ? 'row_id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH @match)' : '1',
    search.kind === 'id_prefix' ? 'id GLOB @glob' : '1',
    request.filters.status?.length ? 'status IN (SELECT value FROM json_each(@statuses))' : '1',
    request.filters.asset?.length ? 'asset IN (SELECT value FROM json_each(@assets))' : '1',
    request.filters.paymentMethod?.length ? 'payment_method IN (SELECT value FROM json_each(@methods))' : '1',
  ];
  const params = {
    me: ME,
    match: search.kind === 'text' ? search.match : null,
    glob: search.kind === 'id_prefix' ? search.glob : null,
    statuses: JSON.stringify(request.filters.status ?? []),
    assets: JSON.stringify(request.filters.asset ?? []),
    methods: JSON.stringify(request.filters.paymentMethod ?? []),
  };
  return { condition: conditions.join(' AND '), params };
}

function plainQueue(request: QueueRequest) {
  const { condition, params } = plainMatch(request);
  const counts = db
    .prepare(
      `SELECT ${QUEUE_VIEWS.map((view) => `count(*) FILTER (WHERE ${VIEW_CONDITION[view]}) AS "${view}"`).join(', ')}
       FROM cases WHERE ${condition}`,
    )
    .get(params) as Record<QueueView, number>;
  const direction = request.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const ids = db
    .prepare(
      `SELECT id FROM cases WHERE ${VIEW_CONDITION[request.view]} AND ${condition}
       ORDER BY ${SORT_COLUMN[request.sort.column]} ${direction}, id ${direction} LIMIT @limit OFFSET @offset`,
    )
    .pluck()
    .all({ ...params, limit: request.limit, offset: request.offset }) as string[];
  return { ids, total: counts[request.view], counts };
}

/** "DSP" and "DS" match every case (all ids start so), "PTY" every party id; the rest some or none. */
const SEARCHES = ['', 'DSP', 'ds', 'PTY', 'dsp-30', 'María', 'zelle', 'Pérez Torres', 'nothing-like-this', '9'];

function requests(): QueueQuery[] {
  const all: QueueQuery[] = [];
  for (const view of QUEUE_VIEWS) {
    for (const column of QUEUE_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const search of SEARCHES) all.push({ view, search, sort: { column, direction }, limit: 50 });
      }
    }
    all.push(
      { view, search: 'DSP', filters: { asset: ['BTC'] }, offset: 120, limit: 60 },
      { view, search: 'PTY', filters: { status: ['open', 'in_review', 'pending_approval', 'resolved'] } },
      { view, filters: { paymentMethod: ['PIX', 'Zelle'] }, sort: { column: 'amount', direction: 'desc' } },
      { view, offset: 1200, limit: 100 },
      { view, search: 'DSP', offset: CASES - 30, limit: 100, sort: { column: 'status', direction: 'desc' } },
    );
  }
  return all;
}

describe('queue queries against the plainest SQL', () => {
  it(`agree on ${requests().length} requests over ${CASES} cases`, () => {
    let compared = 0;
    for (const request of requests()) {
      const parsed = queueQuery.parse(request);
      const expected = plainQueue(parsed);
      const page = queryQueue(db, parsed, ME);
      const label = JSON.stringify(request);
      expect(page.rows.map((row) => row.id), label).toEqual(expected.ids);
      expect(page.total, label).toBe(expected.total);
      expect(page.counts, label).toEqual(expected.counts);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(700);
  });

  it('has searches that match every case, some cases and none among them', () => {
    const totals = SEARCHES.map((search) => queryQueue(db, queueQuery.parse({ search }), ME).total);
    expect(totals).toContain(CASES);
    expect(totals).toContain(0);
    expect(totals.some((total) => total > 0 && total < CASES)).toBe(true);
  });
});
