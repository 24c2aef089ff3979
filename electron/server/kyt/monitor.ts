// The KYT monitor: the pure rules engine (engine/) run over the trades in the store. It stores what the
// engine finds as alerts (a dedupe key per rule, party and window, so a second run over the same trades
// adds nothing), audits each new alert as the monitor's, tells the desks through the change feed, and
// freezes the escrows a new SEVERE or HIGH alert is about (DESIGN §2: a held escrow cannot move): its case's,
// and those of the party's live trades that have no dispute yet (the exchange's seller could release them).
//
// A run is one transaction: alerts, audit entries, holds and feed rows land together or not at all.
import type { KytLevel } from '../../../shared/domain/dispute';
import { assetDecimals, toMinorUnits } from '../../../shared/domain/money';
import { appendAudit } from '../audit/chain';
import { usdCentsOf } from '../cases/usd';
import type { ServerContext } from '../context';
import { KYT_MONITOR_USER_ID } from '../db/migrations/0003-kyt-monitor';
import { recordCaseChanges } from '../feed/changes';
import { enqueueEscrowEvent } from '../outbound/events';
import { holdEscrow } from '../sql/escrow';
import { insertKytAlert } from '../sql/kyt';
import {
  loadAllKytFacts,
  loadKytFactsOfParties,
  partiesOfTrades,
  partiesSharingInstruments,
  type UsdCents,
} from '../sql/kyt-facts';
import {
  escrowsToHoldForAlert,
  type EscrowToHold,
  linkTradeAlertsToCase,
  nextKytAlertId,
  recordKytAlertNumber,
} from '../sql/kyt-monitor';
import { KYT_RULE_SET } from './engine/config';
import { evaluateKyt } from './engine/evaluate';
import type { AlertCandidate, KytFacts } from './engine/types';

export { KYT_MONITOR_USER_ID };

/** Levels that freeze the escrows of the alert on their own, before anyone has looked. */
const HOLDING_LEVELS: ReadonlySet<KytLevel> = new Set(['SEVERE', 'HIGH']);

const RULE_TITLES = new Map<string, string>(Object.values(KYT_RULE_SET).map((rule) => [rule.id, rule.title]));

/**
 * Rules whose alert is about a pair of parties or an instrument rather than one party's own history: the
 * alert is complete when one of the trades it is about belongs to a party whose history was loaded.
 */
const SHARED_RULES: ReadonlySet<string> = new Set([
  KYT_RULE_SET.circular.id,
  KYT_RULE_SET.sharedReceipt.id,
  KYT_RULE_SET.sharedPayoutAccount.id,
]);

export interface MonitorOptions {
  /**
   * Evaluate only the parties of these trades (and whoever shares an instrument with them); every trade
   * in the store when absent.
   */
  tradeIds?: readonly string[];
  /** The rules engine; tests inject a failing one. */
  evaluate?: (facts: KytFacts) => AlertCandidate[];
  /** Record feed rows for the cases that changed (the default); the seed records them itself. */
  recordFeed?: boolean;
}

export interface RaisedAlert {
  id: string;
  caseId: string | null;
  partyId: string;
  ruleId: string;
  level: KytLevel;
}

export interface MonitorResult {
  /** Trades the engine looked at. */
  evaluatedTrades: number;
  /** Alerts stored by this run (candidates already stored are not raised again). */
  raised: RaisedAlert[];
  /** Cases whose escrow this run put on hold. */
  heldCases: string[];
  /** Every escrow this run put on hold: the cases' and those of live trades without a case. */
  heldEscrows: string[];
}

/** The trades in scope: every one, or the parties of the new trades with whoever shares an instrument. */
function loadFacts(ctx: ServerContext, tradeIds: readonly string[] | undefined, usdCents: UsdCents) {
  if (!tradeIds) return { facts: loadAllKytFacts(ctx.db, usdCents), complete: () => true };
  const touched = new Set(partiesOfTrades(ctx.db, tradeIds));
  const sharing = partiesSharingInstruments(ctx.db, [...touched]);
  const facts = loadKytFactsOfParties(ctx.db, [...new Set([...touched, ...sharing])], usdCents);
  // Only a touched party's history is whole for certain (a sharer's other trades may use instruments that
  // were not followed), so only alerts about it are kept: the others wait for a run that touches them.
  const touchedTrades = new Set(
    facts.trades.filter((trade) => touched.has(trade.buyerId) || touched.has(trade.sellerId)).map((trade) => trade.id),
  );
  const complete = (candidate: AlertCandidate) =>
    touched.has(candidate.partyId) ||
    (SHARED_RULES.has(candidate.ruleId) && candidate.tradeIds.some((id) => touchedTrades.has(id)));
  return { facts, complete };
}

/** Stores a candidate unless its dedupe key is there already; the new alert's id, or null. */
function storeAlert(ctx: ServerContext, candidate: AlertCandidate, at: string): string | null {
  const { id, number } = nextKytAlertId(ctx.db);
  const stored = insertKytAlert(ctx.db, {
    id,
    dedupeKey: candidate.dedupeKey,
    caseId: candidate.caseId,
    partyId: candidate.partyId,
    rule: RULE_TITLES.get(candidate.ruleId) ?? candidate.ruleId,
    ruleId: candidate.ruleId,
    ruleVersion: candidate.ruleVersion,
    level: candidate.level,
    score: candidate.score,
    category: candidate.category,
    exposure: candidate.exposure,
    asset: candidate.asset,
    amountMinor: toMinorUnits(candidate.amount, assetDecimals(candidate.asset)),
    details: candidate.details,
    tradeIds: candidate.tradeIds,
    windowStart: candidate.windowStart,
    windowEnd: candidate.windowEnd,
    status: 'open',
    reviewerId: null,
    reviewedAt: null,
    decisionReason: null,
    createdAt: at,
  });
  if (!stored) return null;
  recordKytAlertNumber(ctx.db, number);
  return id;
}

/**
 * Holds the escrows the alert is about (escrowsToHoldForAlert), each by a conditional UPDATE, and queues
 * `escrow.held` for the exchange; answers those it held. An escrow without a case is audited under its
 * trade, and its hold joins the case when a dispute opens on it (the case shows the escrow's hold).
 */
function holdForAlert(
  ctx: ServerContext,
  alert: Pick<RaisedAlert, 'id' | 'caseId' | 'partyId' | 'ruleId' | 'level'>,
  tradeIds: readonly string[],
  at: Date,
): EscrowToHold[] {
  const rule = RULE_TITLES.get(alert.ruleId) ?? alert.ruleId;
  const reason = `${alert.level} KYT alert ${alert.id}: ${rule}. Held automatically until compliance reviews it.`;
  const held: EscrowToHold[] = [];
  for (const escrow of escrowsToHoldForAlert(ctx.db, { ...alert, tradeIds })) {
    if (!holdEscrow(ctx.db, escrow.escrowId, { reason, by: KYT_MONITOR_USER_ID, at: at.toISOString() })) continue;
    enqueueEscrowEvent(ctx, 'escrow.held', escrow.escrowId, { cause: 'kyt_alert' });
    appendAudit(ctx.db, at, {
      actor: KYT_MONITOR_USER_ID,
      action: 'escrow.hold_placed',
      subject: escrow.caseId ?? escrow.tradeId,
      data: { escrowId: escrow.escrowId, ...(escrow.caseId ? {} : { tradeId: escrow.tradeId }), reason, alertId: alert.id },
    });
    ctx.checkpoints.signHead(at);
    held.push(escrow);
  }
  return held;
}

/** The run itself. Call inside ctx.write() (the seed does, to review the alerts in the same write). */
export function monitorWithinWrite(ctx: ServerContext, options: MonitorOptions = {}): MonitorResult {
  const usdCents: UsdCents = (currency, fiatMinor) => Number(usdCentsOf(ctx.config, currency, fiatMinor));
  const { facts, complete } = loadFacts(ctx, options.tradeIds, usdCents);
  const candidates = (options.evaluate ?? evaluateKyt)(facts).filter(complete);
  // Oldest finding first, so alert numbers follow the order things happened in.
  candidates.sort((a, b) => a.windowEnd.localeCompare(b.windowEnd) || a.dedupeKey.localeCompare(b.dedupeKey));
  const now = ctx.now();
  const at = now.toISOString();
  const raised: RaisedAlert[] = [];
  const tradesOfAlert = new Map<string, readonly string[]>();
  for (const candidate of candidates) {
    const id = storeAlert(ctx, candidate, at);
    if (!id) continue;
    const alert = { id, caseId: candidate.caseId, partyId: candidate.partyId, ruleId: candidate.ruleId, level: candidate.level };
    raised.push(alert);
    tradesOfAlert.set(id, candidate.tradeIds);
    appendAudit(ctx.db, now, {
      actor: KYT_MONITOR_USER_ID,
      action: 'kyt.alert_raised',
      subject: id,
      data: {
        caseId: candidate.caseId,
        partyId: candidate.partyId,
        ruleId: candidate.ruleId,
        ruleVersion: candidate.ruleVersion,
        level: candidate.level,
        dedupeKey: candidate.dedupeKey,
      },
    });
    // A checkpoint per alert: one case's dossier then proves its alert without other cases' entries.
    ctx.checkpoints.signHead(now);
  }
  const held: EscrowToHold[] = [];
  for (const alert of raised) {
    if (HOLDING_LEVELS.has(alert.level)) held.push(...holdForAlert(ctx, alert, tradesOfAlert.get(alert.id)!, now));
  }
  const heldCases = held.flatMap((escrow) => (escrow.caseId ? [escrow.caseId] : []));
  const changedCases = [...new Set([...raised.flatMap((alert) => (alert.caseId ? [alert.caseId] : [])), ...heldCases])];
  if (options.recordFeed ?? true) recordCaseChanges(ctx, changedCases);
  return { evaluatedTrades: facts.trades.length, raised, heldCases, heldEscrows: held.map((escrow) => escrow.escrowId) };
}

/**
 * The alerts raised on a trade before its dispute join the case the dispute opened (the queue's `kyt` flag
 * and the case detail read alerts by case), and an open SEVERE or HIGH one among them freezes the case's
 * escrow as the monitor does for a new one. The monitor holds a live trade's escrow when it raises the
 * alert, so this hold is the safety net: for an alert stored before that rule, or an escrow whose hold
 * was lifted while the alert stayed open (then it is on hold again until compliance looks). Audited as the
 * monitor's `kyt.alerts_linked`. Call inside the write that opens the case, before its first feed row, so
 * the desks see it complete. Answers the ids of the alerts that joined.
 */
export function linkAlertsToNewCase(ctx: ServerContext, tradeId: string, caseId: string): string[] {
  const linked = linkTradeAlertsToCase(ctx.db, tradeId, caseId);
  if (linked.length === 0) return [];
  const now = ctx.now();
  const alertIds = linked.map((alert) => alert.id);
  appendAudit(ctx.db, now, { actor: KYT_MONITOR_USER_ID, action: 'kyt.alerts_linked', subject: caseId, data: { caseId, tradeId, alertIds } });
  // Only an alert nobody has looked at holds on its own: a reviewer who took one decides about the hold.
  for (const alert of linked) {
    if (alert.status === 'open' && HOLDING_LEVELS.has(alert.level)) holdForAlert(ctx, alert, alert.tradeIds, now);
  }
  ctx.checkpoints.signHead(now);
  return alertIds;
}

/** Runs the monitor in a write transaction of its own. A failure leaves nothing of the run behind. */
export function runKytMonitor(ctx: ServerContext, options: MonitorOptions = {}): MonitorResult {
  return ctx.write(() => monitorWithinWrite(ctx, options));
}

export class KytMonitorError extends Error {
  readonly code = 'kyt_monitor_failed';
  constructor(
    readonly tradeIds: readonly string[],
    cause: unknown,
  ) {
    super(
      `The KYT monitor failed after trades ${tradeIds.join(', ')}; they are recorded and the next run covers them: ` +
        (cause instanceof Error ? cause.message : String(cause)),
      { cause },
    );
  }
}

/**
 * Runs the monitor over the parties of trades just recorded, inside the caller's write. The run is a
 * savepoint: if it fails, it is undone alone and the trades stay recorded (losing a trade to a monitoring
 * fault would be worse than monitoring it late); the failure is reported as a process warning.
 */
export function monitorNewTrades(
  ctx: ServerContext,
  tradeIds: readonly string[],
  options: Omit<MonitorOptions, 'tradeIds'> = {},
): MonitorResult | KytMonitorError {
  try {
    return ctx.db.transaction(() => monitorWithinWrite(ctx, { ...options, tradeIds }))();
  } catch (cause) {
    const error = new KytMonitorError(tradeIds, cause);
    process.emitWarning(error.message, { code: error.code });
    return error;
  }
}
