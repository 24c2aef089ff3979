// What the queue returns (DESIGN §6), checked against a plain in-memory model of the same cases: every view,
// sort column and direction (the id breaking ties), searches long and short, filters, paging, and the
// count of every view under the search and filters, through both ways of finding a page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, CaseSummary } from '../../shared/api/types';
import { CASE_STATUSES } from '../../shared/domain/dispute';
import {
  QUEUE_SORT_COLUMNS,
  QUEUE_VIEWS,
  queueQuery,
  type QueueQuery,
  type QueueView,
} from '../../shared/desk-api/schemas';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { chooseRowsPlan, queryQueue } from '../../electron/desk/cache/queue';
import { queueShape, rowsSql, type QueueRequest, type RowsPlan } from '../../electron/desk/cache/queue-sql';
import { searchTextOf, summaryOf } from '../../electron/desk/cache/summary';
import { openDeskDatabase } from '../../electron/desk/db/open';
import type { DeskDb } from '../../electron/desk/context';
import { syntheticCase, SYNTHETIC_AGENTS } from './fixtures/synthetic-cases';

const ME = SYNTHETIC_AGENTS[0]!.id;
const CASES = 1500;
let db: DeskDb;
let cases: CaseDetail[];

beforeAll(() => {
  db = openDeskDatabase(':memory:');
  cases = Array.from({ length: CASES }, (_, index) => syntheticCase(index));
  // Ties on every sort column, so the id has to break them.
  const tied = cases.slice(0, 12);
  for (const item of tied) {
    item.slaDueAt = tied[0]!.slaDueAt;
    item.openedAt = tied[0]!.openedAt;
    item.amount = tied[0]!.amount;
    item.fiatAmount = tied[0]!.fiatAmount;
  }
  db.transaction(() => cases.forEach((item) => applyCaseDetail(db, item)))();
});

afterAll(() => db.close());

// ── The model ──
const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function matchesSearch(summary: CaseSummary, search: string): boolean {
  const terms = search.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const long = terms.filter((term) => [...term].length >= 3);
  if (long.length === 0) return summary.id.startsWith(terms.join(' ').toUpperCase());
  const text = fold(searchTextOf(summary));
  return long.every((term) => text.includes(fold(term)));
}

const inView: Record<QueueView, (summary: CaseSummary) => boolean> = {
  all: () => true,
  mine: (summary) => summary.assignee?.id === ME,
  unassigned: (summary) => summary.assignee === null,
  flagged: (summary) => summary.flags.kyt || summary.flags.livenessFailed || summary.flags.onHold,
  awaiting_approval: (summary) => summary.status === 'pending_approval',
};

const sortKey: Record<QueueRequest['sort']['column'], (summary: CaseSummary) => string | number | null> = {
  slaDueAt: (summary) => summary.slaDueAt,
  openedAt: (summary) => summary.openedAt,
  id: (summary) => summary.id,
  amount: (summary) => Number(summary.amount),
  fiatAmount: (summary) => Number(summary.fiatAmount),
  status: (summary) => CASE_STATUSES.indexOf(summary.status),
  assignee: (summary) => summary.assignee?.displayName ?? null,
};

/** SQLite's order: NULL first, then numbers or strings as compared by value. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function model(request: QueueRequest) {
  const { status, asset, paymentMethod } = request.filters;
  const matching = cases
    .map(summaryOf)
    .filter(
      (summary) =>
        matchesSearch(summary, request.search) &&
        (!status?.length || status.includes(summary.status)) &&
        (!asset?.length || asset.includes(summary.asset)) &&
        (!paymentMethod?.length || paymentMethod.includes(summary.paymentMethod)),
    );
  const counts = Object.fromEntries(QUEUE_VIEWS.map((view) => [view, matching.filter(inView[view]).length]));
  const key = sortKey[request.sort.column];
  const sign = request.sort.direction === 'asc' ? 1 : -1;
  const ordered = matching
    .filter(inView[request.view])
    .sort((a, b) => sign * (compare(key(a), key(b)) || compare(a.id, b.id)));
  return {
    ids: ordered.slice(request.offset, request.offset + request.limit).map((summary) => summary.id),
    total: ordered.length,
    counts,
  };
}

// ── The cache ──
function pageIds(request: QueueRequest, plan: RowsPlan): string[] {
  const shape = queueShape(request, ME);
  const rowIds = db
    .prepare(rowsSql(shape, plan))
    .pluck()
    .all({ ...shape.params, limit: request.limit, offset: request.offset });
  const ids = db.prepare('SELECT id FROM cases WHERE row_id = ?').pluck();
  return rowIds.map((rowId) => ids.get(rowId) as string);
}

function requests(): QueueQuery[] {
  const all: QueueQuery[] = [];
  for (const view of QUEUE_VIEWS) {
    for (const column of QUEUE_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const)
        all.push({ view, sort: { column, direction }, limit: 40 });
    }
  }
  const searches = [
    'maría',
    'MARIA gonz',
    'DSP-3001',
    'PTY-S00004',
    'Zelle',
    '250',
    'usdt',
    'DS',
    'ds',
    '3',
    'Pérez  Torres',
    'nothing-like-this',
    'Lu q',
  ];
  for (const search of searches)
    all.push({ search, sort: { column: 'amount', direction: 'desc' }, limit: 30 });
  all.push(
    { filters: { status: ['open', 'in_review'] } },
    {
      filters: { asset: ['BTC'], paymentMethod: ['PIX', 'Zelle'] },
      sort: { column: 'fiatAmount', direction: 'asc' },
    },
    { view: 'mine', filters: { status: ['pending_approval'] }, search: 'ar' },
    { view: 'flagged', filters: { status: [], asset: [] } },
    { view: 'unassigned', offset: 37, limit: 25 },
    { view: 'all', offset: CASES - 10, limit: 25 },
    { view: 'awaiting_approval', search: 'sofía', sort: { column: 'assignee', direction: 'asc' } },
  );
  return all;
}

describe('queue queries', () => {
  for (const request of requests()) {
    it(`returns what the model says for ${JSON.stringify(request)}`, () => {
      const parsed = queueQuery.parse(request);
      const expected = model(parsed);
      const page = queryQueue(db, parsed, ME);
      expect(page.rows.map((row) => row.id)).toEqual(expected.ids);
      expect(page.total).toBe(expected.total);
      expect(page.counts).toEqual(expected.counts);
      // Both ways of finding the page agree, whichever the counts pick.
      expect(pageIds(parsed, 'sort_index')).toEqual(expected.ids);
      expect(pageIds(parsed, 'matches_first')).toEqual(expected.ids);
    });
  }

  it('returns each row as the summary the server sent', () => {
    const page = queryQueue(db, queueQuery.parse({ search: cases[7]!.id }), ME);
    expect(page.rows).toEqual([summaryOf(cases[7]!)]);
  });

  it('finds names without their accents and in any case, party ids, amounts and payment methods', () => {
    const target = cases[42]!;
    const lookFor = (search: string) =>
      queryQueue(db, queueQuery.parse({ search, limit: 500 }), ME).rows.map((row) => row.id);
    const name = fold(target.buyer.displayName).toUpperCase();
    expect(lookFor(name)).toContain(target.id);
    expect(lookFor(target.seller.id.toLowerCase())).toContain(target.id);
    expect(lookFor(target.fiatAmount)).toContain(target.id);
    expect(lookFor(`${target.paymentMethod} ${target.amount}`)).toContain(target.id);
    expect(lookFor('"; DROP TABLE cases; --')).toEqual([]);
    expect(lookFor('*')).toEqual([]);
  });

  it('counts the views with the search and filters applied', () => {
    const page = queryQueue(db, queueQuery.parse({ view: 'mine', filters: { asset: ['ETH'] } }), ME);
    expect(page.total).toBe(page.counts.mine);
    expect(page.counts.all).toBeGreaterThan(page.counts.mine);
    expect(page.counts.all).toBe(cases.filter((item) => item.asset === 'ETH').length);
  });
});

describe('choosing how to find a page', () => {
  it('walks the sort index for broad matches and sorts the matches when they are few', () => {
    const cached = 100_000;
    expect(chooseRowsPlan({ cached, matching: cached }, 0, 100)).toBe('sort_index');
    expect(chooseRowsPlan({ cached, matching: 15_000 }, 0, 100)).toBe('sort_index');
    expect(chooseRowsPlan({ cached, matching: cached }, 90_000, 100)).toBe('sort_index');
    expect(chooseRowsPlan({ cached, matching: 300 }, 0, 100)).toBe('matches_first');
    expect(chooseRowsPlan({ cached, matching: 5_000 }, 4_900, 100)).toBe('matches_first');
    expect(chooseRowsPlan({ cached, matching: 0 }, 0, 100)).toBe('matches_first');
  });
});
