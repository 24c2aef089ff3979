// Dispute-loss ratio: a party that loses most of the disputes it is in is likely the one acting in bad
// faith (fake receipts, chargebacks, never paying).
import { bandFor, type KytRuleSet } from '../config';
import { buildCandidate, nameOf, type IndexedFacts } from '../facts';
import type { AlertCandidate } from '../types';

export function disputeLossAlerts(facts: IndexedFacts, rule: KytRuleSet['disputeLosses']): AlertCandidate[] {
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    const decided = trades.filter((trade) => trade.disputeLoser !== null);
    if (decided.length < rule.params.minDecidedDisputes) continue;
    const lost = decided.filter(
      (trade) => (trade.disputeLoser === 'buyer' ? trade.buyerId : trade.sellerId) === partyId,
    );
    const ratio = lost.length / decided.length;
    const band = bandFor(ratio, rule.bands);
    if (!band) continue;
    alerts.push(
      buildCandidate(rule, band, {
        partyId,
        trades: decided,
        // One alert per party: the ratio is a standing fact about the account, not a burst in time.
        windowKey: 'all-time',
        details:
          `${nameOf(facts, partyId)} lost ${lost.length} of ${decided.length} decided disputes ` +
          `(${Math.round(ratio * 100)}%): lost on ${lost.map((trade) => trade.id).join(', ')}.`,
      }),
    );
  }
  return alerts;
}
