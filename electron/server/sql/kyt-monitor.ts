// What the KYT monitor keeps beside the alerts: the number of the last alert it raised, so that alert ids
// read in order (KYT-100001, KYT-100002, ...) like the rest of the platform's ids.
import type { KytAlertStatus, KytLevel } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { readMeta, writeMeta } from './meta';
import { prepared } from './statements';

const LAST_NUMBER_KEY = 'kyt_monitor_last_alert_number';
const FIRST_NUMBER = 100_001;

/** The next free alert id after the last one the monitor raised. Call inside the write that inserts it. */
export function nextKytAlertId(db: Db): { id: string; number: number } {
  let number = Number(readMeta(db, LAST_NUMBER_KEY) ?? FIRST_NUMBER - 1) + 1;
  // An alert raised by hand may have taken a number already (tests name their alerts freely).
  while (prepared(db, 'SELECT 1 FROM kyt_alerts WHERE id = ?').get(`KYT-${number}`) !== undefined) number++;
  return { id: `KYT-${number}`, number };
}

export function recordKytAlertNumber(db: Db, number: number): void {
  writeMeta(db, LAST_NUMBER_KEY, String(number));
}

/** Lists an address on the risk list (a sanctions list entry, a known mixer...). */
export function insertRiskAddress(
  db: Db,
  entry: { address: string; category: string; source: string; listedAt: string },
): void {
  prepared(
    db,
    `INSERT INTO risk_addresses (address, category, source, listed_at) VALUES (@address, @category, @source, @listedAt)
     ON CONFLICT (address) DO UPDATE SET category = excluded.category, source = excluded.source`,
  ).run(entry);
}

/** Records an on-chain transfer from one address to another. */
export function insertAddressHop(db: Db, hop: { from: string; to: string }): void {
  prepared(db, 'INSERT INTO address_hops (from_address, to_address) VALUES (?, ?) ON CONFLICT DO NOTHING').run(
    hop.from,
    hop.to,
  );
}

/** An open alert goes to a reviewer, in review; true when this call took it. */
export const startAlertReview = (db: Db, alertId: string, reviewerId: string, at: string) =>
  prepared(
    db,
    `UPDATE kyt_alerts SET status = 'in_review', assignee_id = ?, assigned_at = ? WHERE id = ? AND status = 'open'`,
  ).run(reviewerId, at, alertId).changes === 1;

export interface AlertKey {
  id: string;
  caseId: string | null;
  partyId: string;
  ruleId: string;
  level: string;
}

/** What each stored alert is about, in id order. */
export const alertKeys = (db: Db) =>
  prepared(
    db,
    'SELECT id, case_id AS caseId, party_id AS partyId, rule_id AS ruleId, level FROM kyt_alerts ORDER BY id',
  ).all() as AlertKey[];

/** An escrow a SEVERE or HIGH alert freezes: still held, not on hold already. */
export interface EscrowToHold {
  escrowId: string;
  tradeId: string;
  caseId: string | null;
}

/**
 * The escrows an alert freezes: its case's, and those of the party's own trades among the alert's that have
 * no case yet (a live trade on the exchange, before any dispute: without its hold the seller could still
 * release it). Only escrows still held and not on hold already.
 */
export const escrowsToHoldForAlert = (db: Db, alert: { caseId: string | null; partyId: string; tradeIds: readonly string[] }) =>
  prepared(
    db,
    `SELECT e.id AS escrowId, e.trade_id AS tradeId, c.id AS caseId
     FROM cases c JOIN escrows e ON e.id = c.escrow_id
     WHERE c.id = @caseId AND e.state = 'held' AND e.hold_reason IS NULL
     UNION
     SELECT e.id, e.trade_id, NULL
     FROM trades t JOIN escrows e ON e.trade_id = t.id
     WHERE t.id IN (SELECT value FROM json_each(@tradeIds)) AND @partyId IN (t.buyer_id, t.seller_id)
       AND e.state = 'held' AND e.hold_reason IS NULL
       AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.escrow_id = e.id)
     ORDER BY 1`,
  ).all({ caseId: alert.caseId, partyId: alert.partyId, tradeIds: JSON.stringify(alert.tradeIds) }) as EscrowToHold[];

export interface LinkedAlert extends AlertKey {
  level: KytLevel;
  status: KytAlertStatus;
  tradeIds: string[];
}

/** Exported for its query-plan test. */
export const LINK_TRADE_ALERTS_SQL = `UPDATE kyt_alerts SET case_id = @caseId
     WHERE +case_id IS NULL
       AND party_id IN (SELECT buyer_id FROM trades WHERE id = @tradeId UNION SELECT seller_id FROM trades WHERE id = @tradeId)
       AND EXISTS (SELECT 1 FROM json_each(kyt_alerts.trade_ids) WHERE value = @tradeId)
     RETURNING id, case_id AS caseId, party_id AS partyId, rule_id AS ruleId, level, status, trade_ids AS tradeIds`;

/**
 * The alerts raised on a trade before it had a case join the case its dispute opened: those about the
 * trade's buyer or seller whose trades include it. (An alert about another party's use of a shared
 * instrument stays with that party's own trades.) Answers them, in id order.
 */
export function linkTradeAlertsToCase(db: Db, tradeId: string, caseId: string): LinkedAlert[] {
  // `+case_id`: read the two parties' alerts (kyt_by_party), not every alert without a case (kyt_by_case),
  // which grows with every live trade an alert was raised on.
  const rows = prepared(db, LINK_TRADE_ALERTS_SQL).all({ tradeId, caseId }) as (Omit<LinkedAlert, 'tradeIds'> & { tradeIds: string })[];
  return rows
    .map((row) => ({ ...row, tradeIds: JSON.parse(row.tradeIds) as string[] }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
