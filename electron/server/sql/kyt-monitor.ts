// What the KYT monitor keeps beside the alerts: the number of the last alert it raised, so that alert ids
// read in order (KYT-100001, KYT-100002, ...) like the rest of the platform's ids.
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
