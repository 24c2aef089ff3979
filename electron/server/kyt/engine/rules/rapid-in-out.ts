// Rapid in-out: a party buys an asset and sells most of it again within minutes, using the platform as a
// pass-through rather than to hold or spend.
import { assetDecimals, toMinorUnits } from '../../../../../shared/domain/money';
import { bandFor, type KytRuleSet } from '../config';
import { buildCandidate, formatTrade, nameOf, timeOf, type IndexedFacts } from '../facts';
import type { AlertCandidate, TradeFact } from '../types';

const minorOf = (trade: TradeFact) => toMinorUnits(trade.amount, assetDecimals(trade.asset));

export function rapidInOutAlerts(facts: IndexedFacts, rule: KytRuleSet['rapidInOut']): AlertCandidate[] {
  const share = BigInt(rule.params.minSharePercent);
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    trades.forEach((sale, index) => {
      if (sale.sellerId !== partyId) return;
      // The latest earlier purchase of the same asset that the sale passes most of through.
      for (let earlier = index - 1, purchase = trades[earlier]; purchase; purchase = trades[--earlier]) {
        const minutes = (timeOf(sale) - timeOf(purchase)) / 60_000;
        const band = bandFor(minutes, rule.bands);
        if (!band) break;
        if (purchase.buyerId !== partyId || purchase.asset !== sale.asset) continue;
        if (minorOf(sale) * 100n < minorOf(purchase) * share) continue;
        alerts.push(
          buildCandidate(rule, band, {
            partyId,
            trades: [purchase, sale],
            windowKey: sale.id,
            details:
              `${nameOf(facts, partyId)} bought ${formatTrade(purchase)} from ${nameOf(facts, purchase.sellerId)} ` +
              `and sold ${formatTrade(sale)} to ${nameOf(facts, sale.buyerId)} ${Math.round(minutes)} minutes later.`,
          }),
        );
        return;
      }
    });
  }
  return alerts;
}
