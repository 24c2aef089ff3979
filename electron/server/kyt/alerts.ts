// KYT alerts (DESIGN §3, modelled on Chainalysis KYT): raised by transaction monitoring against a case's
// trade, reviewed by compliance. A decision is final: it is taken by a conditional UPDATE on an undecided
// alert, so two reviewers deciding at once cannot both win.
import { randomUUID } from 'node:crypto';
import type { KytAlertStatus, KytDecision } from '../../../shared/domain/dispute';
import { assetDecimals, toMinorUnits } from '../../../shared/domain/money';
import type { Db } from '../db/open';
import { decideUndecidedAlert, insertKytAlert, kytAlertExists, type KytFinding } from '../sql/kyt';

export const DECISION_STATUS: Record<KytDecision, KytAlertStatus> = {
  dismiss: 'dismissed',
  escalate: 'escalated',
  report: 'reported',
};

/** Statuses an alert can still be decided from. */
export const UNDECIDED: readonly KytAlertStatus[] = ['open', 'in_review'];

/** An alert raised by hand (not by the rules engine): the engine's fields may be left out. */
type EngineFields = 'dedupeKey' | 'ruleId' | 'ruleVersion' | 'tradeIds' | 'windowStart' | 'windowEnd';

export interface NewKytAlert extends Omit<KytFinding, EngineFields>, Partial<Pick<KytFinding, EngineFields>> {
  id?: string;
  /** Decimal string in the asset's units. */
  amount: string;
  status?: 'open' | 'in_review';
  createdAt: Date;
}

/**
 * Records an alert. Call inside ctx.write(); the caller records the case change. Throws when an alert with
 * the same dedupe key exists: the caller would otherwise hold the id of an alert that was never stored.
 */
export function raiseKytAlert(db: Db, alert: NewKytAlert): string {
  const id = alert.id ?? `KYT-${randomUUID()}`;
  const at = alert.createdAt.toISOString();
  const stored = insertKytAlert(db, {
    dedupeKey: `manual:${id}`,
    ruleId: 'manual',
    ruleVersion: 0,
    tradeIds: [],
    windowStart: at,
    windowEnd: at,
    ...alert,
    id,
    amountMinor: toMinorUnits(alert.amount, assetDecimals(alert.asset)),
    status: alert.status ?? 'open',
    reviewerId: null,
    reviewedAt: null,
    decisionReason: null,
    createdAt: at,
  });
  if (!stored) throw new Error(`A KYT alert with the dedupe key of ${id} exists already`);
  return id;
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
  const decided = decideUndecidedAlert(
    db,
    {
      alertId: decision.alertId,
      status: DECISION_STATUS[decision.decision],
      reviewerId: decision.reviewerId,
      at: decision.at.toISOString(),
      reason: decision.reason,
    },
    UNDECIDED,
  );
  if (decided) return 'decided';
  return kytAlertExists(db, decision.alertId) ? 'already_decided' : 'not_found';
}
