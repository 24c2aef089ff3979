// KYT alerts: raised against a case's trade, listed for compliance, decided once.
import type { KytAlert } from '../../../shared/api/types';
import type { KytAlertStatus, KytLevel } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { KYT_SELECT, toKytAlert, type KytRow } from './case-detail';
import { prepared } from './statements';

/** What transaction monitoring found: the facts of an alert as raised, whoever records it. */
export interface KytFinding {
  /** Unique per rule, party and window: the same finding raised again is not a second alert. */
  dedupeKey: string;
  caseId: string | null;
  partyId: string;
  rule: string;
  ruleId: string;
  ruleVersion: number;
  level: KytLevel;
  score: number;
  category: string;
  exposure: 'DIRECT' | 'INDIRECT';
  asset: string;
  details: string;
  tradeIds: readonly string[];
  windowStart: string;
  windowEnd: string;
}

export interface KytAlertRow extends KytFinding {
  id: string;
  amountMinor: bigint;
  status: KytAlertStatus;
  reviewerId: string | null;
  reviewedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
}

/** Records an alert unless one with its dedupe key exists already; true when this call added it. */
export function insertKytAlert(db: Db, alert: KytAlertRow): boolean {
  return (
    prepared(
      db,
      `INSERT INTO kyt_alerts (id, dedupe_key, case_id, party_id, rule, rule_id, rule_version, level, score, category,
                               exposure, asset, amount_minor, details, trade_ids, window_start, window_end, status,
                               reviewer_id, reviewed_at, decision_reason, created_at)
       VALUES (@id, @dedupeKey, @caseId, @partyId, @rule, @ruleId, @ruleVersion, @level, @score, @category,
               @exposure, @asset, @amountMinor, @details, @tradeIdsJson, @windowStart, @windowEnd, @status,
               @reviewerId, @reviewedAt, @decisionReason, @createdAt)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    ).run({ ...alert, tradeIdsJson: JSON.stringify(alert.tradeIds) }).changes === 1
  );
}

export interface AlertListQuery {
  status?: KytAlertStatus | undefined;
  level?: KytLevel | undefined;
  /** Only the alerts assigned to this user. */
  assigneeId?: string | undefined;
  limit: number;
  /** The (createdAt, id) of the last alert of the previous page. */
  after?: { createdAt: string; id: string } | undefined;
}

/** Alerts oldest first (a review queue), filtered, one page. */
export function listKytAlerts(db: Db, query: AlertListQuery): KytAlert[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit };
  if (query.status) {
    where.push('k.status = @status');
    params.status = query.status;
  }
  if (query.level) {
    where.push('k.level = @level');
    params.level = query.level;
  }
  if (query.assigneeId) {
    where.push('k.assignee_id = @assigneeId');
    params.assigneeId = query.assigneeId;
  }
  if (query.after) {
    where.push('(k.created_at, k.id) > (@afterCreatedAt, @afterId)');
    params.afterCreatedAt = query.after.createdAt;
    params.afterId = query.after.id;
  }
  const sql = `${KYT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.created_at, k.id LIMIT @limit`;
  return (prepared(db, sql).all(params) as KytRow[]).map(toKytAlert);
}

export function readKytAlert(db: Db, id: string): KytAlert | null {
  const row = prepared(db, `${KYT_SELECT} WHERE k.id = ?`).get(id) as KytRow | undefined;
  return row ? toKytAlert(row) : null;
}

export const kytAlertExists = (db: Db, id: string) =>
  prepared(db, 'SELECT 1 FROM kyt_alerts WHERE id = ?').get(id) !== undefined;

/** Decides an alert whose status is one of `undecided`; true when this call decided it. */
export function decideUndecidedAlert(
  db: Db,
  decision: { alertId: string; status: KytAlertStatus; reviewerId: string; at: string; reason: string },
  undecided: readonly KytAlertStatus[],
): boolean {
  return (
    prepared(
      db,
      `UPDATE kyt_alerts SET status = ?, reviewer_id = ?, reviewed_at = ?, decision_reason = ?
       WHERE id = ? AND status IN (${undecided.map(() => '?').join(', ')})`,
    ).run(decision.status, decision.reviewerId, decision.at, decision.reason, decision.alertId, ...undecided).changes === 1
  );
}
