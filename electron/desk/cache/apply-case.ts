// Writes a case detail the server sent into the cache: the queue's row (cases), the detail as sent
// (case_details), its search text (cases_search) and its evidence files (case_evidence). The sync applies
// every feed change through here; anything else that receives a fresh case detail from the server (an
// outbox command's answer) may too, inside its own transaction, and then emits 'cases.changed'.
import type { CaseDetail, CaseSummary } from '../../../shared/api/types';
import type { DeskDb } from '../context';
import { isBulkLoading } from './bulk-load';
import { perConnection } from './statements';
import { isFlagged, searchTextOf, statusRank, summaryOf } from './summary';

export interface ApplyOptions {
  /**
   * Write even if the cache holds a newer version. A refetch does, because its pages are the server's
   * truth, and a rebuilt server may number versions afresh.
   */
  force?: boolean;
  /**
   * The cache is a bulk load (bulk-load.ts), without the index of evidence by case: a case's old evidence
   * rows are found from its old detail instead. Read from the cache when not given.
   */
  bulk?: boolean;
}

export type ApplyResult = 'written' | 'stale';

/** A row written now was seen by the sync generation under way (sync/refetch.ts). */
const GENERATION = "coalesce((SELECT CAST(value AS INTEGER) FROM sync_state WHERE key = 'generation'), 0)";

const statements = perConnection((db: DeskDb) => ({
  // A lookup, then an INSERT or an UPDATE: an upsert with RETURNING costs about six times as much per row
  // (38 µs against 6 µs, measured at 50,000 cases), and a first sync writes every row once (issue #13).
  existing: db.prepare('SELECT row_id AS rowId, version FROM cases WHERE id = ?'),
  insertCase: db.prepare(`
    INSERT INTO cases (id, status, status_rank, version, opened_at, sla_due_at, asset, amount_value, fiat_currency,
      fiat_amount_value, payment_method, buyer_id, seller_id, assignee_id, assignee_name, flagged, sync_generation)
    VALUES (@id, @status, @statusRank, @version, @openedAt, @slaDueAt, @asset, @amountValue, @fiatCurrency,
      @fiatAmountValue, @paymentMethod, @buyerId, @sellerId, @assigneeId, @assigneeName, @flagged, ${GENERATION})`),
  updateCase: db.prepare(`
    UPDATE cases SET status = @status, status_rank = @statusRank, version = @version, opened_at = @openedAt,
      sla_due_at = @slaDueAt, asset = @asset, amount_value = @amountValue, fiat_currency = @fiatCurrency,
      fiat_amount_value = @fiatAmountValue, payment_method = @paymentMethod, buyer_id = @buyerId,
      seller_id = @sellerId, assignee_id = @assigneeId, assignee_name = @assigneeName, flagged = @flagged,
      sync_generation = ${GENERATION}
    WHERE row_id = @rowId`),
  upsertDetail: db.prepare(
    `INSERT INTO case_details (row_id, summary, detail) VALUES (?, ?, ?)
     ON CONFLICT(row_id) DO UPDATE SET summary = excluded.summary, detail = excluded.detail`,
  ),
  searchText: db.prepare('SELECT text FROM cases_search WHERE rowid = ?').pluck(),
  deleteSearch: db.prepare('DELETE FROM cases_search WHERE rowid = ?'),
  insertSearch: db.prepare('INSERT INTO cases_search (rowid, text) VALUES (?, ?)'),
  deleteEvidence: db.prepare('DELETE FROM case_evidence WHERE case_id = ?'),
  evidenceBefore: db
    .prepare(
      `SELECT json_extract(e.value, '$.sha256') FROM case_details AS d, json_each(d.detail, '$.evidence') AS e
       WHERE d.row_id = ?`,
    )
    .pluck(),
  deleteEvidenceRow: db.prepare('DELETE FROM case_evidence WHERE sha256 = ? AND case_id = ?'),
  insertEvidence: db.prepare('INSERT OR IGNORE INTO case_evidence (sha256, case_id) VALUES (?, ?)'),
}));

/** What the cache writes for one case detail, worked out without the database (the sync writer's thread
 *  is handed these, made on the desk's thread: sync/writer.ts). */
export interface CaseRow {
  summary: CaseSummary;
  /** The columns of its `cases` row, by the statements' parameter names. */
  values: {
    id: string;
    status: string;
    statusRank: number;
    version: number;
    openedAt: string;
    slaDueAt: string;
    asset: string;
    amountValue: number;
    fiatCurrency: string;
    fiatAmountValue: number;
    paymentMethod: string;
    buyerId: string;
    sellerId: string;
    assigneeId: string | null;
    assigneeName: string | null;
    flagged: 0 | 1;
  };
  summaryJson: string;
  detailJson: string;
  searchText: string;
  evidence: string[];
}

export function caseRowOf(detail: CaseDetail): CaseRow {
  const summary = summaryOf(detail);
  return {
    summary,
    values: {
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
    },
    summaryJson: JSON.stringify(summary),
    detailJson: JSON.stringify(detail),
    searchText: searchTextOf(summary),
    evidence: detail.evidence.map((evidence) => evidence.sha256),
  };
}

/** Applies one case detail. Call inside a transaction: the four tables change together. */
export const applyCaseDetail = (db: DeskDb, detail: CaseDetail, options: ApplyOptions = {}): ApplyResult =>
  writeCaseRow(db, caseRowOf(detail), options);

/** Writes what caseRowOf made of a case detail. Call inside a transaction. */
export function writeCaseRow(db: DeskDb, row: CaseRow, options: ApplyOptions = {}): ApplyResult {
  const sql = statements(db);
  const { values } = row;
  const existing = sql.existing.get(values.id) as { rowId: number; version: number } | undefined;
  // The cache already holds a newer version (an outbox answer arrived before the feed caught up).
  if (existing && !options.force && values.version < existing.version) return 'stale';
  let rowId: number;
  if (existing) {
    rowId = existing.rowId;
    sql.updateCase.run({ ...values, rowId });
  } else {
    rowId = Number(sql.insertCase.run(values).lastInsertRowid);
  }

  const bulk = options.bulk ?? isBulkLoading(db);
  // Without the index by case, deleting by case_id would read every evidence row: the old detail names them.
  const evidenceBefore = bulk && existing ? (sql.evidenceBefore.all(rowId) as string[]) : [];
  sql.upsertDetail.run(rowId, row.summaryJson, row.detailJson);
  // Most changes (a message, a claim) leave the searchable text as it was: skip rewriting the trigrams.
  const indexed = sql.searchText.get(rowId) as string | undefined;
  if (indexed !== row.searchText) {
    if (indexed !== undefined) sql.deleteSearch.run(rowId);
    sql.insertSearch.run(rowId, row.searchText);
  }
  if (bulk) for (const sha256 of evidenceBefore) sql.deleteEvidenceRow.run(sha256, values.id);
  else sql.deleteEvidence.run(values.id);
  for (const sha256 of row.evidence) sql.insertEvidence.run(sha256, values.id);
  return 'written';
}
