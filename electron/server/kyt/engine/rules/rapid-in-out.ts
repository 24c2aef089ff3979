// Rapid in-out: a party buys an asset and sells most of it again within minutes, using the platform as a
// pass-through rather than to hold or spend.
import { assetDecimals, toMinorUnits } from '../../../../../shared/domain/money';
import { bandFor, type KytRuleSet } from '../config';
import { buildCandidate, formatTrade, nameOf, timeOf, type IndexedFacts } from '../facts';
import type { AlertCandidate, TradeFact } from '../types';

const minorOf = (trade: TradeFact) => toMinorUnits(trade.amount, assetDecimals(trade.asset));

/**
 * The party's purchases, each with its place among the party's trades (oldest first): a sale looks back
 * over these only, not over every trade of the party (a busy seller's other sales), so a long history of
 * sales costs one pass.
 */
function purchasesOf(partyId: string, trades: readonly TradeFact[]): { trade: TradeFact; index: number }[] {
  const purchases: { trade: TradeFact; index: number }[] = [];
  trades.forEach((trade, index) => {
    if (trade.buyerId === partyId) purchases.push({ trade, index });
  });
  return purchases;
}

export function rapidInOutAlerts(facts: IndexedFacts, rule: KytRuleSet['rapidInOut']): AlertCandidate[] {
  const share = BigInt(rule.params.minSharePercent);
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    const purchases = purchasesOf(partyId, trades);
    let before = 0; // purchases[0..before) come before the sale
    trades.forEach((sale, index) => {
      while (before < purchases.length && purchases[before]!.index < index) before++;
      if (sale.sellerId !== partyId) return;
      // The latest earlier purchase of the same asset that the sale passes most of through. The bands start
      // at 0 minutes, so the first purchase out of every band ends the search, as any older one is too.
      for (let earlier = before - 1; earlier >= 0; earlier--) {
        const purchase = purchases[earlier]!.trade;
        const minutes = (timeOf(sale) - timeOf(purchase)) / 60_000;
        const band = bandFor(minutes, rule.bands);
        if (!band) break;
        if (purchase.asset !== sale.asset) continue;
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
