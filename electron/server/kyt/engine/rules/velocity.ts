// Velocity: more trades by one party within a window than an ordinary trader makes.
import type { KytRuleSet } from '../config';
import { countedWindowAlerts, formatUsd, formatWhen, HOUR_MS, nameOf, type IndexedFacts } from '../facts';
import type { AlertCandidate } from '../types';

export function velocityAlerts(facts: IndexedFacts, rule: KytRuleSet['velocity']): AlertCandidate[] {
  const { windowHours } = rule.params;
  return countedWindowAlerts(facts, rule, {
    windowMs: windowHours * HOUR_MS,
    counts: () => true,
    describe: (partyId, { trades, first, last }) => {
      const total = trades.reduce((sum, trade) => sum + trade.usdCents, 0);
      const counterparties = new Set(
        trades.map((trade) => (trade.buyerId === partyId ? trade.sellerId : trade.buyerId)),
      );
      return (
        `${nameOf(facts, partyId)} made ${trades.length} trades worth ${formatUsd(total)} in all with ` +
        `${counterparties.size} counterparties between ${formatWhen(first.at)} and ${formatWhen(last.at)} ` +
        `(within ${windowHours} h).`
      );
    },
  });
}
