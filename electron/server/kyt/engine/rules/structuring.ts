// Structuring: repeated trades worth just under the reporting threshold in a short window, the classic
// way to stay below a report.
import type { KytRuleSet } from '../config';
import { countedWindowAlerts, formatUsd, formatWhen, HOUR_MS, nameOf, type IndexedFacts } from '../facts';
import type { AlertCandidate } from '../types';

export function structuringAlerts(facts: IndexedFacts, rule: KytRuleSet['structuring']): AlertCandidate[] {
  const { thresholdUsd, nearBelowPercent, windowHours } = rule.params;
  const ceiling = thresholdUsd * 100;
  const floor = ceiling * (1 - nearBelowPercent / 100);
  return countedWindowAlerts(facts, rule, {
    windowMs: windowHours * HOUR_MS,
    counts: (trade) => trade.usdCents >= floor && trade.usdCents < ceiling,
    describe: (partyId, { trades, first, last }) =>
      `${nameOf(facts, partyId)} made ${trades.length} trades worth just under the ${formatUsd(ceiling)} ` +
      `reporting threshold between ${formatWhen(first.at)} and ${formatWhen(last.at)} ` +
      `(within ${windowHours} h): ${trades.map((trade) => formatUsd(trade.usdCents)).join(', ')}.`,
  });
}
