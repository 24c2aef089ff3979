// Writes a case detail the server sent into the cache: the queue's row (cases), the detail as sent
// (case_details), its search text (cases_search) and its evidence files (case_evidence). The sync applies
// every feed change through here; anything else that receives a fresh case detail from the server (an
// outbox command's answer) may too, inside its own transaction, and then emits 'cases.changed'.
import type { CaseDetail } from '../../../shared/api/types';
import type { DeskDb } from '../context';
import { perConnection } from './statements';
import { isFlagged, searchTextOf, statusRank, summaryOf } from './summary';

export interface ApplyOptions {
  /**
   * Write even if the cache holds a newer version. A refetch does, because its pages are the server's
   * truth, and a rebuilt server may number versions afresh.
   */
  force?: boolean;
}

export type ApplyResult = 'written' | 'stale';

const statements = perConnection((db: DeskDb) => ({
  upsertCase: db.prepare(`
    INSERT INTO cases (id, status, status_rank, version, opened_at, sla_due_at, asset, amount_value, fiat_currency,
      fiat_amount_value, payment_method, buyer_id, seller_id, assignee_id, assignee_name, flagged, sync_generation)
    VALUES (@id, @status, @statusRank, @version, @openedAt, @slaDueAt, @asset, @amountValue, @fiatCurrency,
      @fiatAmountValue, @paymentMethod, @buyerId, @sellerId, @assigneeId, @assigneeName, @flagged,
      -- A row written now was seen by the sync generation under way (sync/refetch.ts).
      coalesce((SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'generation'), 0))
    ON CONFLICT(id) DO UPDATE SET
      status = excluded.status, status_rank = excluded.status_rank, version = excluded.version,
      opened_at = excluded.opened_at, sla_due_at = excluded.sla_due_at, asset = excluded.asset,
      amount_value = excluded.amount_value, fiat_currency = excluded.fiat_currency,
      fiat_amount_value = excluded.fiat_amount_value, payment_method = excluded.payment_method,
      buyer_id = excluded.buyer_id, seller_id = excluded.seller_id, assignee_id = excluded.assignee_id,
      assignee_name = excluded.assignee_name, flagged = excluded.flagged, sync_generation = excluded.sync_generation
    WHERE @force OR excluded.version >= cases.version
    RETURNING row_id`),
  upsertDetail: db.prepare(
    `INSERT INTO case_details (row_id, summary, detail) VALUES (?, ?, ?)
     ON CONFLICT(row_id) DO UPDATE SET summary = excluded.summary, detail = excluded.detail`,
  ),
  searchText: db.prepare('SELECT text FROM cases_search WHERE rowid = ?').pluck(),
  deleteSearch: db.prepare('DELETE FROM cases_search WHERE rowid = ?'),
  insertSearch: db.prepare('INSERT INTO cases_search (rowid, text) VALUES (?, ?)'),
  deleteEvidence: db.prepare('DELETE FROM case_evidence WHERE case_id = ?'),
  insertEvidence: db.prepare('INSERT OR IGNORE INTO case_evidence (sha256, case_id) VALUES (?, ?)'),
}));

/** Applies one case detail. Call inside a transaction: the four tables change together. */
export function applyCaseDetail(db: DeskDb, detail: CaseDetail, options: ApplyOptions = {}): ApplyResult {
  const sql = statements(db);
  const summary = summaryOf(detail);
  const row = sql.upsertCase.get({
    id: summary.id,
    status: summary.status,
    statusRank: statusRank(summary.status),
    version: summary.version,
    openedAt: summary.openedAt,
    slaDueAt: summary.slaDueAt,
    asset: summary.asset,
    amountValue: Number(summary.amount),
    fiatCurrency: summary.fiatCurrency,
    fiatAmountValue: Number(summary.fiatAmount),
    paymentMethod: summary.paymentMethod,
    buyerId: summary.buyer.id,
    sellerId: summary.seller.id,
    assigneeId: summary.assignee?.id ?? null,
    assigneeName: summary.assignee?.displayName ?? null,
    flagged: isFlagged(summary) ? 1 : 0,
    force: options.force ? 1 : 0,
  }) as { row_id: number } | undefined;
  // The cache already holds a newer version (an outbox answer arrived before the feed caught up).
  if (!row) return 'stale';

  sql.upsertDetail.run(row.row_id, JSON.stringify(summary), JSON.stringify(detail));
  // Most changes (a message, a claim) leave the searchable text as it was: skip rewriting the trigrams.
  const text = searchTextOf(summary);
  const indexed = sql.searchText.get(row.row_id) as string | undefined;
  if (indexed !== text) {
    if (indexed !== undefined) sql.deleteSearch.run(row.row_id);
    sql.insertSearch.run(row.row_id, text);
  }
  sql.deleteEvidence.run(summary.id);
  for (const evidence of detail.evidence) sql.insertEvidence.run(evidence.sha256, summary.id);
  return 'written';
}
