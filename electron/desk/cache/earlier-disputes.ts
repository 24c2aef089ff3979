// The earlier disputes between a case's two parties, whichever of them was buyer or seller then: the
// "have these two been here before?" line of the case header (issue 4).
import type { CaseDetail } from '../../../shared/api/types';
import type { EarlierDispute } from '../../../shared/desk-api/schemas';
import type { DeskDb } from '../context';
import { perConnection } from './statements';

/** Enough for the header to make the point; the rest is one search away in the queue. */
export const EARLIER_DISPUTES_LIMIT = 10;

// Both directions are equality lookups on cases_by_parties, so no row outside the pair is read.
export const EARLIER_DISPUTES_SQL = `
  SELECT id, opened_at AS openedAt, status FROM cases
  WHERE ((buyer_id = :buyer AND seller_id = :seller) OR (buyer_id = :seller AND seller_id = :buyer))
    AND opened_at < :openedAt AND id <> :id
  ORDER BY opened_at DESC, id DESC
  LIMIT ${EARLIER_DISPUTES_LIMIT}`;

const statements = perConnection((db: DeskDb) => ({ earlier: db.prepare(EARLIER_DISPUTES_SQL) }));

export function readEarlierDisputes(db: DeskDb, detail: CaseDetail): EarlierDispute[] {
  return statements(db).earlier.all({
    buyer: detail.buyer.id,
    seller: detail.seller.id,
    openedAt: detail.openedAt,
    id: detail.id,
  }) as EarlierDispute[];
}
