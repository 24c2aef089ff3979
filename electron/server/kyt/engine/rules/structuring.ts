// Structuring: repeated trades worth just under the reporting threshold in a short window, the classic
// way to stay below a report.
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

export function structuringAlerts(facts: IndexedFacts, rule: KytRuleSet['structuring']): AlertCandidate[] {
  const { thresholdUsd, nearBelowPercent, windowHours } = rule.params;
  const ceiling = thresholdUsd * 100;
  const floor = ceiling * (1 - nearBelowPercent / 100);
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    const nearThreshold = trades.filter((trade) => trade.usdCents >= floor && trade.usdCents < ceiling);
    const windows = anchoredWindows(
      nearThreshold,
      windowHours * HOUR_MS,
      (window) => bandFor(window.length, rule.bands) !== null,
    );
    for (const { trades: window, first, last } of windows) {
      const band = bandFor(window.length, rule.bands)!;
      const amounts = window.map((trade) => formatUsd(trade.usdCents)).join(', ');
      alerts.push(
        buildCandidate(rule, band, {
          partyId,
          trades: window,
          windowKey: first.id,
          details:
            `${nameOf(facts, partyId)} made ${window.length} trades worth just under the ${formatUsd(ceiling)} ` +
            `reporting threshold between ${formatWhen(first.at)} and ${formatWhen(last.at)} ` +
            `(within ${windowHours} h): ${amounts}.`,
        }),
      );
    }
  }
  return alerts;
}
