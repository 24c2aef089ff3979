// Every shape of queue query walks the index meant for it (Signal-style plan tests): a fresh, migrated
// cache, and EXPLAIN QUERY PLAN for each view, sort, search and filter, under both ways of finding a page.
import { afterAll, describe, expect, it } from 'vitest';
import { QUEUE_SORT_COLUMNS, QUEUE_VIEWS, queueQuery, type QueueQuery } from '../../shared/desk-api/schemas';
import { countsSql, queueShape, rowsSql, searchHitsSql, SUMMARIES_SQL } from '../../electron/desk/cache/queue-sql';
import { planSearch } from '../../electron/desk/cache/queue-search';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS } from '../../electron/desk/db/migrations/index';
import { runMigrations } from '../../shared/db/migrations';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { queryQueue } from '../../electron/desk/cache/queue';
import { syntheticCase } from './fixtures/synthetic-cases';

const db = openDeskDatabase(':memory:');
afterAll(() => db.close());

function planOf(sql: string, params: object): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...params, limit: 100, offset: 0 }) as {
    detail: string;
  }[];
  return rows.map((row) => row.detail);
}

const SORT_INDEX = {
  slaDueAt: 'cases_by_sla',
  openedAt: 'cases_by_opened',
  id: 'cases_by_id',
  amount: 'cases_by_amount',
  fiatAmount: 'cases_by_fiat_amount',
  status: 'cases_by_status_rank',
  assignee: 'cases_by_assignee_name',
} as const;

const VIEW_INDEX = {
  mine: 'cases_by_assignee',
  unassigned: 'cases_by_assignee',
  flagged: 'cases_by_flagged',
  awaiting_approval: 'cases_by_status',
} as const;

const usesIndex = (index: string) => new RegExp(`^(SCAN|SEARCH) c USING (COVERING )?INDEX ${index}\\b`);
const FTS = /^SCAN s VIRTUAL TABLE INDEX \d+:M/;
/** A scan of the cases table itself, reading every row: what no queue query may do. */
const TABLE_SCAN = /^SCAN (c|cases)$/;

function shapes(): QueueQuery[] {
  const requests: QueueQuery[] = [];
  for (const view of QUEUE_VIEWS) {
    for (const column of QUEUE_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) requests.push({ view, sort: { column, direction } });
    }
    requests.push({ view, search: 'maría' }, { view, search: 'DS' }, { view, search: 'Pérez Zelle' });
    requests.push({ view, filters: { status: ['open', 'in_review'] } });
    requests.push({ view, filters: { asset: ['BTC'], paymentMethod: ['PIX'] }, search: 'lucía' });
  }
  return requests;
}

describe('queue query plans', () => {
  for (const request of shapes()) {
    const parsed = queueQuery.parse(request);
    const shape = queueShape(parsed, 'usr-me');
    const label = JSON.stringify(request);

    it(`walks the sort column's index, in order, for ${label}`, () => {
      const plan = planOf(rowsSql(shape, 'sort_index'), shape.params);
      expect(plan[0]).toMatch(usesIndex(SORT_INDEX[parsed.sort.column]));
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      if (shape.search.kind === 'text')
        expect(plan.join('\n')).toMatch(/cases_search VIRTUAL TABLE INDEX \d+:M/);
    });

    // Migration 6: the sort indexes whose order follows the views hold the columns the views test, so
    // skipping the cases outside the view reads no row.
    if ((parsed.sort.column === 'status' || parsed.sort.column === 'assignee') && shape.filters.length === 0) {
      it(`tests the view inside the sort index, reading no row, for ${label}`, () => {
        const plan = planOf(rowsSql(shape, 'sort_index'), shape.params);
        expect(plan[0]).toMatch(new RegExp(`^SCAN c USING COVERING INDEX ${SORT_INDEX[parsed.sort.column]}\\b`));
      });
    }

    it(`finds the matches through the search or the view's index for ${label}`, () => {
      const plan = planOf(rowsSql(shape, 'matches_first'), shape.params);
      const view = parsed.view === 'all' ? null : VIEW_INDEX[parsed.view];
      if (shape.search.kind === 'text') expect(plan[0]).toMatch(FTS);
      else if (shape.search.kind === 'id_prefix')
        expect(plan[0]).toMatch(/^SEARCH c USING (COVERING )?INDEX cases_by_id \(id>\? AND id<\?\)/);
      else if (view) expect(plan[0]).toMatch(new RegExp(`^SEARCH c USING (COVERING )?INDEX ${view} \\(`));
      else expect(plan[0]).toMatch(usesIndex('cases_for_counts'));
      expect(plan.some((step) => TABLE_SCAN.test(step))).toBe(false);
    });

    it(`counts every view without reading the table for ${label}`, () => {
      const plan = planOf(countsSql(shape), shape.params);
      if (shape.search.kind === 'text') {
        expect(plan[0]).toMatch(FTS);
        expect(plan[1]).toMatch(/^SEARCH c USING INTEGER PRIMARY KEY \(rowid=\?\)$/);
      } else if (shape.search.kind === 'none' && shape.filters.length === 0) {
        for (const index of Object.values(VIEW_INDEX)) {
          expect(plan).toContainEqual(
            expect.stringMatching(new RegExp(`^SEARCH c USING COVERING INDEX ${index} \\(`)),
          );
        }
      } else {
        expect(plan[0]).toMatch(/^(SCAN|SEARCH) c USING COVERING INDEX cases_for_counts\b/);
      }
      expect(plan.some((step) => TABLE_SCAN.test(step))).toBe(false);
    });
  }

  it('gives a cache from before migration 6 the covering sort indexes, its cases kept', () => {
    const old = openDeskDatabase(':memory:', DESK_MIGRATIONS.slice(0, 5));
    const current = openDeskDatabase(':memory:');
    try {
      // The same cases in a cache of today's schema: what the migrated one must answer.
      for (const db of [old, current]) {
        db.transaction(() => {
          for (let index = 0; index < 40; index++) applyCaseDetail(db, syntheticCase(index), { bulk: false });
        })();
      }
      expect(runMigrations(old, DESK_MIGRATIONS, () => new Error('too new'))).toEqual([6, 7]);
      const definition = old
        .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'cases_by_status_rank'")
        .pluck()
        .get() as string;
      expect(definition).toMatch(/\(status_rank, id, assignee_id, flagged, status\)/);
      const request = queueQuery.parse({ view: 'mine', sort: { column: 'status', direction: 'asc' } });
      const migrated = queryQueue(old, request, 'usr-ana');
      expect(migrated.rows.length).toBeGreaterThan(0);
      expect(migrated).toEqual(queryQueue(current, request, 'usr-ana'));
    } finally {
      old.close();
      current.close();
    }
  });

  it("counts a search's own hits without reading the cases table", () => {
    // The first and last hits (the trigram index in rowid order, either way) and the first and last case
    // (the ends of the table's b-tree), then the hits' count.
    const text = planOf(searchHitsSql(planSearch('maría')), { match: '"maría"' });
    expect(text.filter((step) => /^SCAN cases_search VIRTUAL TABLE INDEX \d+:M/.test(step))).toHaveLength(3);
    expect(text.filter((step) => step === 'SEARCH cases')).toHaveLength(2);
    expect(text.every((step) => /^(SCAN cases_search|SEARCH cases$|SCAN CONSTANT ROW|SCALAR SUBQUERY)/.test(step))).toBe(true);
    expect(planOf(searchHitsSql(planSearch('DS')), { glob: 'DS*' })).toEqual([
      'SEARCH c USING COVERING INDEX cases_by_id (id>? AND id<?)',
    ]);
  });

  it('reads the page summaries by primary key', () => {
    expect(planOf(SUMMARIES_SQL, { rowIds: '[]' })).toEqual([
      expect.stringMatching(/^SCAN page VIRTUAL TABLE/),
      'SEARCH d USING INTEGER PRIMARY KEY (rowid=?)',
      expect.stringMatching(/TEMP B-TREE FOR ORDER BY/),
    ]);
  });
});
