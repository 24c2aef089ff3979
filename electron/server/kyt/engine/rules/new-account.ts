// A new account trading high value: the pattern of accounts opened to move one large sum.
import { bandFor, type KytRuleSet } from '../config';
import { buildCandidate, DAY_MS, formatTrade, formatWhen, nameOf, timeOf, type IndexedFacts } from '../facts';
import type { AlertCandidate } from '../types';

export function newAccountAlerts(facts: IndexedFacts, rule: KytRuleSet['newAccount']): AlertCandidate[] {
  const { maxAccountAgeDays } = rule.params;
  const alerts: AlertCandidate[] = [];
  for (const party of facts.parties) {
    const openedAt = Date.parse(party.accountCreatedAt);
    const early = (facts.tradesByParty.get(party.id) ?? []).filter(
      (trade) =>
        timeOf(trade) - openedAt < maxAccountAgeDays * DAY_MS && bandFor(trade.usdCents / 100, rule.bands),
    );
    if (early.length === 0) continue;
    const largest = early.reduce((top, trade) => (trade.usdCents > top.usdCents ? trade : top));
    const ageDays = Math.floor((timeOf(largest) - openedAt) / DAY_MS);
    alerts.push(
      buildCandidate(rule, bandFor(largest.usdCents / 100, rule.bands)!, {
        partyId: party.id,
        trades: early,
        // One alert for the account's first days, however many large trades it makes in them.
        windowKey: `first-${maxAccountAgeDays}-days`,
        details:
          `${nameOf(facts, party.id)} opened the account on ${formatWhen(party.accountCreatedAt)} and, ` +
          `${ageDays} day${ageDays === 1 ? '' : 's'} later, traded ${formatTrade(largest)}` +
          (early.length > 1
            ? `; ${early.length} high-value trades in the first ${maxAccountAgeDays} days.`
            : '.'),
      }),
    );
  }
  return alerts;
}
