// The earlier disputes between a case's two parties (issue 4): both directions of the pair, only cases
// opened before this one, newest first, at most ten, found through the cases_by_parties index.
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { EARLIER_DISPUTES_SQL, readEarlierDisputes } from '../../electron/desk/cache/earlier-disputes';
import { openDeskDatabase } from '../../electron/desk/db/open';
import type { DeskDb } from '../../electron/desk/context';
import { syntheticCase } from './fixtures/synthetic-cases';

const opened: DeskDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function fresh(): DeskDb {
  const db = openDeskDatabase(':memory:');
  opened.push(db);
  return db;
}

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.parse('2026-11-01T00:00:00.000Z') + days * DAY).toISOString();

/** Case `index` between `buyer` and `seller` (party ids), opened on day `day`. */
function between(index: number, buyer: string, seller: string, day: number): CaseDetail {
  const base = syntheticCase(index);
  return { ...base, openedAt: at(day), buyer: { ...base.buyer, id: buyer }, seller: { ...base.seller, id: seller } };
}

function cache(db: DeskDb, ...cases: CaseDetail[]): void {
  db.transaction(() => {
    for (const detail of cases) applyCaseDetail(db, detail);
  })();
}

describe('earlier disputes between two parties', () => {
  it('lists the pair’s earlier cases in either role, newest first, and nothing else', () => {
    const db = fresh();
    const current = between(10, 'PTY-A', 'PTY-B', 20);
    cache(
      db,
      current,
      between(1, 'PTY-A', 'PTY-B', 5),
      between(2, 'PTY-B', 'PTY-A', 12), // roles swapped: still the same two
      between(3, 'PTY-A', 'PTY-C', 15), // another seller
      between(4, 'PTY-C', 'PTY-B', 16), // another buyer
      between(5, 'PTY-A', 'PTY-B', 25), // opened later
    );
    expect(readEarlierDisputes(db, current)).toEqual([
      { id: syntheticCase(2).id, openedAt: at(12), status: syntheticCase(2).status },
      { id: syntheticCase(1).id, openedAt: at(5), status: syntheticCase(1).status },
    ]);
  });

  it('is empty for a first dispute', () => {
    const db = fresh();
    const current = between(10, 'PTY-A', 'PTY-B', 20);
    cache(db, current, between(1, 'PTY-A', 'PTY-C', 5));
    expect(readEarlierDisputes(db, current)).toEqual([]);
  });

  it('stops at ten', () => {
    const db = fresh();
    const current = between(100, 'PTY-A', 'PTY-B', 40);
    const earlier = Array.from({ length: 14 }, (_, i) => between(i, i % 2 ? 'PTY-A' : 'PTY-B', i % 2 ? 'PTY-B' : 'PTY-A', i));
    cache(db, current, ...earlier);
    const found = readEarlierDisputes(db, current);
    expect(found.map((dispute) => dispute.openedAt)).toEqual(Array.from({ length: 10 }, (_, i) => at(13 - i)));
  });

  it('looks the pair up in cases_by_parties, never scanning the table', () => {
    const db = fresh();
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${EARLIER_DISPUTES_SQL}`).all({
        buyer: 'PTY-A',
        seller: 'PTY-B',
        openedAt: at(0),
        id: 'DSP-1',
      }) as { detail: string }[]
    ).map((row) => row.detail);
    expect(plan.some((step) => /SEARCH cases USING (COVERING )?INDEX cases_by_parties \(buyer_id=\? AND seller_id=\?/.test(step))).toBe(true);
    expect(plan.filter((step) => /^SCAN cases\b/.test(step))).toEqual([]);
  });
});
