// What a compliance reviewer works with on one alert: the alert with its party, the party's trades and
// counterparties, the linked dispute and the rule that fired (GET /v1/kyt/alerts/{id}), and taking the
// alert for review (POST /v1/kyt/alerts/{id}/assign).
import type { Counterparty, KytAlert, KytAlertDetail, PartyTrade } from '../../../shared/api/types';
import { FIAT_DECIMALS, fromMinorUnits, toMinorUnits } from '../../../shared/domain/money';
import { appendAudit } from '../audit/chain';
import { usdEquivalent } from '../cases/create';
import type { ServerConfig } from '../config';
import type { ServerContext } from '../context';
import { conflict, notFound } from '../errors';
import { changeCase } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { detailContextOf, readCaseDetail, readParties } from '../sql/case-detail';
import { readKytAlert } from '../sql/kyt';
import {
  assignUndecidedAlert,
  readAlertAssignment,
  readCounterpartyVolumes,
  readPartyTradesById,
  readRecentPartyTrades,
  type PartyTradeFacts,
} from '../sql/kyt-review';
import { UNDECIDED } from './alerts';
import { ruleConfigAsRaised } from './rules';

/** How much of the party's history the alert detail carries. */
export const PARTY_HISTORY_LIMIT = 200;

export const alertAlreadyDecided = () => conflict('alert_already_decided', 'This alert has already been decided.');

export const withUsd = (config: Pick<ServerConfig, 'usdRates'>, trade: PartyTradeFacts) => ({
  ...trade,
  usdEquivalent: usdEquivalent(config, trade.fiatCurrency, trade.fiatAmount),
});

const newestFirst = (a: PartyTradeFacts, b: PartyTradeFacts) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * The party's newest trades, with the alert's own trades always among them: one older than the newest
 * PARTY_HISTORY_LIMIT takes the place of the oldest unflagged trade.
 */
function partyHistory(ctx: ServerContext, alert: KytAlert): PartyTrade[] {
  const flaggedIds = new Set(alert.tradeIds);
  const recent = readRecentPartyTrades(ctx.db, alert.partyId, PARTY_HISTORY_LIMIT);
  const seen = new Set(recent.map((trade) => trade.id));
  const missing = readPartyTradesById(
    ctx.db,
    alert.partyId,
    alert.tradeIds.filter((id) => !seen.has(id)),
  );
  const trades = [...recent, ...missing].sort(newestFirst);
  while (trades.length > PARTY_HISTORY_LIMIT) {
    const oldestUnflagged = trades.findLastIndex((trade) => !flaggedIds.has(trade.id));
    // An alert about more trades than the limit shows its newest ones.
    trades.splice(oldestUnflagged === -1 ? PARTY_HISTORY_LIMIT : oldestUnflagged, 1);
  }
  return trades.map((trade) => ({ ...withUsd(ctx.config, trade), flagged: flaggedIds.has(trade.id) }));
}

/** Everyone the party traded with, the largest USD volume first. */
function counterparties(ctx: ServerContext, partyId: string): Counterparty[] {
  const byParty = new Map<string, Counterparty & { usdMinor: bigint }>();
  for (const volume of readCounterpartyVolumes(ctx.db, partyId)) {
    const usdMinor = toMinorUnits(usdEquivalent(ctx.config, volume.fiatCurrency, volume.fiatAmount), FIAT_DECIMALS);
    const known = byParty.get(volume.id);
    if (!known) {
      byParty.set(volume.id, {
        id: volume.id,
        displayName: volume.displayName,
        tradeCount: volume.tradeCount,
        usdVolume: '',
        usdMinor,
        firstTradeAt: volume.firstTradeAt,
        lastTradeAt: volume.lastTradeAt,
      });
      continue;
    }
    known.tradeCount += volume.tradeCount;
    known.usdMinor += usdMinor;
    if (volume.firstTradeAt < known.firstTradeAt) known.firstTradeAt = volume.firstTradeAt;
    if (volume.lastTradeAt > known.lastTradeAt) known.lastTradeAt = volume.lastTradeAt;
  }
  return [...byParty.values()]
    .sort((a, b) => (a.usdMinor !== b.usdMinor ? (a.usdMinor < b.usdMinor ? 1 : -1) : a.id < b.id ? -1 : 1))
    .map(({ usdMinor, ...counterparty }) => ({ ...counterparty, usdVolume: fromMinorUnits(usdMinor, FIAT_DECIMALS) }));
}

/** GET /v1/kyt/alerts/{id}. Null for an unknown alert. */
export function readKytAlertDetail(ctx: ServerContext, alertId: string): KytAlertDetail | null {
  const alert = readKytAlert(ctx.db, alertId);
  if (!alert) return null;
  const now = ctx.now();
  const party = readParties(ctx.db, [alert.partyId], now).get(alert.partyId)!;
  const linkedCase = alert.caseId
    ? readCaseDetail(ctx.db, alert.caseId, detailContextOf(ctx, now))
    : null;
  return {
    ...alert,
    party,
    trades: partyHistory(ctx, alert),
    counterparties: counterparties(ctx, alert.partyId),
    case: linkedCase,
    ruleConfig: ruleConfigAsRaised(alert.ruleId, alert.ruleVersion),
  };
}

/**
 * Gives the alert to the reviewer, who may take it over from another one (the audit entry names the
 * previous assignee). Call inside ctx.write(). 404 for an unknown alert, 409 for a decided one. Taking an
 * alert one already holds changes nothing and records nothing.
 */
export function assignAlertToReviewer(ctx: ServerContext, reviewer: Pick<AuthUser, 'id'>, alertId: string): KytAlert {
  const before = readAlertAssignment(ctx.db, alertId);
  if (!before) throw notFound('The KYT alert');
  if (before.assigneeId === reviewer.id && before.status === 'in_review') return readKytAlert(ctx.db, alertId)!;
  const now = ctx.now();
  if (!assignUndecidedAlert(ctx.db, { alertId, assigneeId: reviewer.id, at: now.toISOString() }, UNDECIDED)) {
    throw alertAlreadyDecided();
  }
  const alert = readKytAlert(ctx.db, alertId)!;
  const entry = {
    actor: reviewer.id,
    action: 'kyt_alert.assigned',
    subject: alertId,
    data: { caseId: alert.caseId, partyId: alert.partyId, previousAssignee: before.assigneeId },
  };
  // The linked case's detail lists its alerts: the desks see the new assignee through the feed.
  if (alert.caseId) changeCase(ctx, alert.caseId, entry, now);
  else appendAudit(ctx.db, now, entry);
  return alert;
}
