// What a compliance reviewer reads and writes beside the alert itself: the party's trade history and
// counterparties, the alerts and evidence around it, the assignment, and the suspicious activity reports.
import type { Evidence, KytAlert, PartyTrade } from '../../../shared/api/types';
import type { KytAlertStatus } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { assetAmount, fiatAmount, KYT_SELECT, toKytAlert, type KytRow } from './case-detail';
import { prepared } from './statements';

/** A trade of the party as the database holds it; the caller adds the USD equivalent and the flag. */
export type PartyTradeFacts = Omit<PartyTrade, 'usdEquivalent' | 'flagged'>;

interface PartyTradeRow {
  id: string;
  case_id: string | null;
  side: 'buyer' | 'seller';
  counterparty_id: string;
  counterparty_name: string;
  asset: string;
  amount_minor: number | bigint;
  fiat_currency: string;
  fiat_amount_minor: number | bigint;
  payment_method: string;
  created_at: string;
  disputed_at: string | null;
  deposit_address: string | null;
  payout_address: string | null;
  payout_account: string | null;
}

/**
 * The party's trades seen from its side, both as buyer and as seller. Two branches rather than an OR so
 * that each uses its index (trades_by_buyer, trades_by_seller); a trade with oneself is read once.
 * `filter` is a condition on `t` (with named parameters) added to both branches.
 */
const partyTradesSql = (filter: string, tail: string) => `
  SELECT t.id AS id, c.id AS case_id, 'buyer' AS side, t.seller_id AS counterparty_id, p.display_name AS counterparty_name,
         t.asset, t.amount_minor, t.fiat_currency, t.fiat_amount_minor, t.payment_method, t.created_at AS created_at,
         t.disputed_at, t.deposit_address, t.payout_address, t.payout_account
    FROM trades t JOIN parties p ON p.id = t.seller_id LEFT JOIN cases c ON c.trade_id = t.id
   WHERE t.buyer_id = @partyId AND ${filter}
  UNION ALL
  SELECT t.id AS id, c.id AS case_id, 'seller' AS side, t.buyer_id AS counterparty_id, p.display_name AS counterparty_name,
         t.asset, t.amount_minor, t.fiat_currency, t.fiat_amount_minor, t.payment_method, t.created_at AS created_at,
         t.disputed_at, t.deposit_address, t.payout_address, t.payout_account
    FROM trades t JOIN parties p ON p.id = t.buyer_id LEFT JOIN cases c ON c.trade_id = t.id
   WHERE t.seller_id = @partyId AND t.buyer_id <> @partyId AND ${filter}
  ${tail}`;

function toPartyTrade(row: PartyTradeRow): PartyTradeFacts {
  return {
    id: row.id,
    caseId: row.case_id,
    side: row.side,
    counterparty: { id: row.counterparty_id, displayName: row.counterparty_name },
    asset: row.asset,
    amount: assetAmount(row.amount_minor, row.asset),
    fiatCurrency: row.fiat_currency,
    fiatAmount: fiatAmount(row.fiat_amount_minor),
    paymentMethod: row.payment_method,
    createdAt: row.created_at,
    disputedAt: row.disputed_at,
    depositAddress: row.deposit_address,
    payoutAddress: row.payout_address,
    payoutAccount: row.payout_account,
  };
}

/** The party's newest trades, newest first. */
export function readRecentPartyTrades(db: Db, partyId: string, limit: number): PartyTradeFacts[] {
  const sql = partyTradesSql('1', 'ORDER BY created_at DESC, id DESC LIMIT @limit');
  return (prepared(db, sql).all({ partyId, limit }) as PartyTradeRow[]).map(toPartyTrade);
}

/** The party's trades made from `from` to `to` (both inclusive), oldest first, at most `limit`. */
export function readPartyTradesBetween(
  db: Db,
  partyId: string,
  window: { from: string; to: string },
  limit: number,
): PartyTradeFacts[] {
  const sql = partyTradesSql('t.created_at BETWEEN @from AND @to', 'ORDER BY created_at, id LIMIT @limit');
  return (prepared(db, sql).all({ partyId, ...window, limit }) as PartyTradeRow[]).map(toPartyTrade);
}

/** The given trades, those the party took part in, oldest first. */
export function readPartyTradesById(db: Db, partyId: string, tradeIds: readonly string[]): PartyTradeFacts[] {
  const sql = partyTradesSql('t.id IN (SELECT value FROM json_each(@ids))', 'ORDER BY created_at, id');
  return (prepared(db, sql).all({ partyId, ids: JSON.stringify(tradeIds) }) as PartyTradeRow[]).map(toPartyTrade);
}

export interface CounterpartyVolume {
  id: string;
  displayName: string;
  fiatCurrency: string;
  tradeCount: number;
  /** Decimal string in the fiat currency. */
  fiatAmount: string;
  firstTradeAt: string;
  lastTradeAt: string;
}

/** Everyone the party traded with, per fiat currency (the caller converts and adds them up). */
export function readCounterpartyVolumes(db: Db, partyId: string): CounterpartyVolume[] {
  const rows = prepared(
    db,
    `SELECT counterparty_id, counterparty_name, fiat_currency, COUNT(*) AS trade_count,
            SUM(fiat_amount_minor) AS fiat_amount_minor, MIN(created_at) AS first_at, MAX(created_at) AS last_at
       FROM (${partyTradesSql('1', '')})
      GROUP BY counterparty_id, fiat_currency
      ORDER BY counterparty_id, fiat_currency`,
  )
    .safeIntegers(true)
    .all({ partyId }) as {
    counterparty_id: string;
    counterparty_name: string;
    fiat_currency: string;
    trade_count: bigint;
    fiat_amount_minor: bigint;
    first_at: string;
    last_at: string;
  }[];
  return rows.map((row) => ({
    id: row.counterparty_id,
    displayName: row.counterparty_name,
    fiatCurrency: row.fiat_currency,
    tradeCount: Number(row.trade_count),
    fiatAmount: fiatAmount(row.fiat_amount_minor),
    firstTradeAt: row.first_at,
    lastTradeAt: row.last_at,
  }));
}

/** Every alert on the party, oldest first. */
export function readPartyAlerts(db: Db, partyId: string): KytAlert[] {
  const sql = `${KYT_SELECT} WHERE k.party_id = ? ORDER BY k.created_at, k.id`;
  return (prepared(db, sql).all(partyId) as KytRow[]).map(toKytAlert);
}

export type CaseEvidence = Evidence & { caseId: string };

/** The evidence of the given cases, by case and upload time. */
export function readEvidenceOfCases(db: Db, caseIds: readonly string[]): CaseEvidence[] {
  const rows = prepared(
    db,
    `SELECT ce.case_id, ce.sha256, ce.kind, ce.uploader, ce.file_name, ce.uploaded_at, f.mime, f.size
       FROM case_evidence ce JOIN evidence_files f ON f.sha256 = ce.sha256
      WHERE ce.case_id IN (SELECT value FROM json_each(?))
      ORDER BY ce.case_id, ce.uploaded_at, ce.sha256`,
  ).all(JSON.stringify(caseIds)) as {
    case_id: string;
    sha256: string;
    kind: Evidence['kind'];
    uploader: Evidence['uploader'];
    file_name: string | null;
    uploaded_at: string;
    mime: string;
    size: number;
  }[];
  return rows.map((row) => ({
    caseId: row.case_id,
    sha256: row.sha256,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    uploader: row.uploader,
    uploadedAt: row.uploaded_at,
    fileName: row.file_name,
  }));
}

/** The identity document the party's KYC read: a verified check's first, else the newest check's. */
export function readPartyDocumentType(db: Db, partyId: string): string | null {
  const row = prepared(
    db,
    `SELECT document_type FROM liveness_checks WHERE party_id = ? AND document_type IS NOT NULL
      ORDER BY status = 'verified' DESC, created_at DESC, id LIMIT 1`,
  ).get(partyId) as { document_type: string } | undefined;
  return row?.document_type ?? null;
}

export interface AlertAssignment {
  status: KytAlertStatus;
  assigneeId: string | null;
}

export function readAlertAssignment(db: Db, alertId: string): AlertAssignment | null {
  const row = prepared(db, 'SELECT status, assignee_id FROM kyt_alerts WHERE id = ?').get(alertId) as
    | { status: KytAlertStatus; assignee_id: string | null }
    | undefined;
  return row ? { status: row.status, assigneeId: row.assignee_id } : null;
}

/**
 * Gives an undecided alert to `assigneeId`, moving an open one to in_review; true when this call did. A
 * decided alert keeps its reviewer: the conditional update refuses it.
 */
export function assignUndecidedAlert(
  db: Db,
  assignment: { alertId: string; assigneeId: string; at: string },
  undecided: readonly KytAlertStatus[],
): boolean {
  return (
    prepared(
      db,
      `UPDATE kyt_alerts
          SET assignee_id = @assigneeId, assigned_at = @at,
              status = CASE status WHEN 'open' THEN 'in_review' ELSE status END
        WHERE id = @alertId AND status IN (SELECT value FROM json_each(@undecided))`,
    ).run({ ...assignment, undecided: JSON.stringify(undecided) }).changes === 1
  );
}

export interface ReportRow {
  id: string;
  alertId: string;
  partyId: string;
  createdBy: string;
  createdAt: string;
  /** The report as filed, JSON. */
  content: string;
}

export function insertReport(db: Db, report: ReportRow): void {
  prepared(
    db,
    `INSERT INTO reports (id, alert_id, party_id, created_by, created_at, content)
     VALUES (@id, @alertId, @partyId, @createdBy, @createdAt, @content)`,
  ).run(report);
}

/** The report's frozen content (JSON), or null for an unknown id. */
export function readReportContent(db: Db, reportId: string): string | null {
  const row = prepared(db, 'SELECT content FROM reports WHERE id = ?').get(reportId) as
    | { content: string }
    | undefined;
  return row?.content ?? null;
}
