// Circular trading: two accounts sell to each other back and forth, which moves no value between real
// owners but builds volume, reputation or a laundering trail.
import { bandFor, type KytRuleSet } from '../config';
import { anchoredWindows, buildCandidate, DAY_MS, formatWhen, nameOf, type IndexedFacts } from '../facts';
import type { AlertCandidate, TradeFact } from '../types';

function roundTrips(window: readonly TradeFact[], one: string): number {
  const oneSells = window.filter((trade) => trade.sellerId === one).length;
  return Math.min(oneSells, window.length - oneSells);
}

export function circularAlerts(facts: IndexedFacts, rule: KytRuleSet['circular']): AlertCandidate[] {
  const byPair = new Map<string, { one: string; other: string; trades: TradeFact[] }>();
  for (const trade of facts.trades) {
    if (trade.buyerId === trade.sellerId) continue;
    const [one, other] = [trade.buyerId, trade.sellerId].sort() as [string, string];
    const pair = byPair.get(`${one}|${other}`);
    if (pair) pair.trades.push(trade);
    else byPair.set(`${one}|${other}`, { one, other, trades: [trade] });
  }
  const alerts: AlertCandidate[] = [];
  for (const { one, other, trades } of byPair.values()) {
    const windows = anchoredWindows(
      trades,
      rule.params.windowDays * DAY_MS,
      (window) => bandFor(roundTrips(window, one), rule.bands) !== null,
    );
    for (const { trades: window, first, last } of windows) {
      const trips = roundTrips(window, one);
      const band = bandFor(trips, rule.bands)!;
      const details =
        `${nameOf(facts, one)} and ${nameOf(facts, other)} traded with each other ${window.length} times in both ` +
        `directions (${trips} round trips) between ${formatWhen(first.at)} and ` +
        `${formatWhen(last.at)}: ${window.map((trade) => `${trade.id} ${trade.amount} ${trade.asset}`).join(', ')}.`;
      for (const partyId of [one, other]) {
        alerts.push(buildCandidate(rule, band, { partyId, trades: window, windowKey: first.id, details }));
      }
    }
  }
  return alerts;
}
