// KYT alerts (DESIGN §3, modelled on Chainalysis KYT): raised by transaction monitoring against a case's
// trade, reviewed by compliance. A decision is final: it is taken by a conditional UPDATE on an undecided
// alert, so two reviewers deciding at once cannot both win.
import { randomUUID } from 'node:crypto';
import type { KytAlert } from '../../../shared/api/types';
import type { KytAlertStatus, KytDecision, KytLevel } from '../../../shared/domain/dispute';
import { assetDecimals, toMinorUnits } from '../../../shared/domain/money';
import { KYT_SELECT, toKytAlert, type KytRow } from '../cases/detail';
import type { Db } from '../db/open';

export const DECISION_STATUS: Record<KytDecision, KytAlertStatus> = {
  dismiss: 'dismissed',
  escalate: 'escalated',
  report: 'reported',
};

/** Statuses an alert can still be decided from. */
const UNDECIDED: readonly KytAlertStatus[] = ['open', 'in_review'];

export interface NewKytAlert {
  id?: string;
  caseId: string;
  partyId: string;
  rule: string;
  level: KytLevel;
  score: number;
  category: string;
  exposure: 'DIRECT' | 'INDIRECT';
  asset: string;
  /** Decimal string in the asset's units. */
  amount: string;
  details: string;
  status?: 'open' | 'in_review';
  createdAt: Date;
}

/** Records an alert. Call inside ctx.write(); the caller records the case change. */
export function raiseKytAlert(db: Db, alert: NewKytAlert): string {
  const id = alert.id ?? `KYT-${randomUUID()}`;
  db.prepare(
    `INSERT INTO kyt_alerts (id, case_id, party_id, rule, level, score, category, exposure, asset, amount_minor,
                             details, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    alert.caseId,
    alert.partyId,
    alert.rule,
    alert.level,
    alert.score,
    alert.category,
    alert.exposure,
    alert.asset,
    toMinorUnits(alert.amount, assetDecimals(alert.asset)),
    alert.details,
    alert.status ?? 'open',
    alert.createdAt.toISOString(),
  );
  return id;
}

export interface AlertListQuery {
  status?: KytAlertStatus | undefined;
  level?: KytLevel | undefined;
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
  if (query.after) {
    where.push('(k.created_at, k.id) > (@afterCreatedAt, @afterId)');
    params.afterCreatedAt = query.after.createdAt;
    params.afterId = query.after.id;
  }
  const rows = db
    .prepare(
      `${KYT_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY k.created_at, k.id LIMIT @limit`,
    )
    .all(params) as KytRow[];
  return rows.map(toKytAlert);
}

export function readKytAlert(db: Db, id: string): KytAlert | null {
  const row = db.prepare(`${KYT_SELECT} WHERE k.id = ?`).get(id) as KytRow | undefined;
  return row ? toKytAlert(row) : null;
}

export interface AlertDecision {
  alertId: string;
  decision: KytDecision;
  reason: string;
  reviewerId: string;
  at: Date;
}

export type DecisionResult = 'decided' | 'not_found' | 'already_decided';

/** Decides an undecided alert. Call inside a write transaction. */
export function decideKytAlert(db: Db, decision: AlertDecision): DecisionResult {
  const update = db
    .prepare(
      `UPDATE kyt_alerts SET status = ?, reviewer_id = ?, reviewed_at = ?, decision_reason = ?
       WHERE id = ? AND status IN (${UNDECIDED.map(() => '?').join(', ')})`,
    )
    .run(
      DECISION_STATUS[decision.decision],
      decision.reviewerId,
      decision.at.toISOString(),
      decision.reason,
      decision.alertId,
      ...UNDECIDED,
    );
  if (update.changes === 1) return 'decided';
  return db.prepare('SELECT 1 FROM kyt_alerts WHERE id = ?').get(decision.alertId)
    ? 'already_decided'
    : 'not_found';
}
