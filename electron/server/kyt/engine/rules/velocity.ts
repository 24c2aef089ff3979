// Velocity: more trades by one party within a window than an ordinary trader makes.
import { bandFor, type KytRuleSet } from '../config';
import {
  anchoredWindows,
  buildCandidate,
  formatUsd,
  formatWhen,
  HOUR_MS,
  nameOf,
  type IndexedFacts,
} from '../facts';
import type { AlertCandidate } from '../types';

export function velocityAlerts(facts: IndexedFacts, rule: KytRuleSet['velocity']): AlertCandidate[] {
  const { windowHours } = rule.params;
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    const windows = anchoredWindows(
      trades,
      windowHours * HOUR_MS,
      (window) => bandFor(window.length, rule.bands) !== null,
    );
    for (const { trades: window, first, last } of windows) {
      const band = bandFor(window.length, rule.bands)!;
      const total = window.reduce((sum, trade) => sum + trade.usdCents, 0);
      const counterparties = new Set(
        window.map((trade) => (trade.buyerId === partyId ? trade.sellerId : trade.buyerId)),
      );
      alerts.push(
        buildCandidate(rule, band, {
          partyId,
          trades: window,
          windowKey: first.id,
          details:
            `${nameOf(facts, partyId)} made ${window.length} trades worth ${formatUsd(total)} in all with ` +
            `${counterparties.size} counterparties between ${formatWhen(first.at)} and ` +
            `${formatWhen(last.at)} (within ${windowHours} h).`,
        }),
      );
    }
  }
  return alerts;
}
