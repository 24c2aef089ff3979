// Address exposure (Chainalysis KYT's direct and indirect exposure): the escrow deposit came from, or the
// buyer's payout went to, an address on the risk list, or one that is a few on-chain hops from it.
import { bandFor, type RuleConfig } from '../config';
import { buildCandidate, formatTrade, type IndexedFacts } from '../facts';
import type { AddressHop, AlertCandidate, RiskAddress, RiskCategory } from '../types';

interface Reach {
  hops: number;
  listed: RiskAddress;
  /** The addresses between the trade's address and the listed one (neither included), nearest first. */
  path: string[];
}

/**
 * Breadth-first from every listed address of one category along the hops (or against them), so each
 * address learns its nearest listed address. `hops` counts the listed address itself as 1.
 */
function reachOf(
  listed: readonly RiskAddress[],
  hops: readonly AddressHop[],
  maxHops: number,
  downstream: boolean,
) {
  const next = new Map<string, string[]>();
  for (const hop of hops) {
    const [from, to] = downstream ? [hop.from, hop.to] : [hop.to, hop.from];
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  const reach = new Map<string, Reach>();
  let frontier: string[] = [];
  for (const entry of listed) {
    if (reach.has(entry.address)) continue;
    reach.set(entry.address, { hops: 1, listed: entry, path: [] });
    frontier.push(entry.address);
  }
  for (let hopsSoFar = 1; hopsSoFar < maxHops && frontier.length > 0; hopsSoFar++) {
    const following: string[] = [];
    for (const address of frontier) {
      const from = reach.get(address)!;
      for (const neighbour of next.get(address) ?? []) {
        if (reach.has(neighbour)) continue;
        const path = from.hops === 1 ? [] : [address, ...from.path];
        reach.set(neighbour, { hops: hopsSoFar + 1, listed: from.listed, path });
        following.push(neighbour);
      }
    }
    frontier = following;
  }
  return reach;
}

const route = (reach: Reach) =>
  `${reach.hops - 1} hop${reach.hops > 2 ? 's' : ''} away${reach.path.length > 0 ? ` (via ${reach.path.join(' → ')})` : ''}`;

export function exposureAlerts(
  facts: IndexedFacts,
  rule: RuleConfig<string, { maxHops: number }>,
  category: RiskCategory,
): AlertCandidate[] {
  const listed = facts.riskAddresses.filter((entry) => entry.category === category);
  if (listed.length === 0) return [];
  const { maxHops } = rule.params;
  const fundedFrom = reachOf(listed, facts.hops, maxHops, true);
  const paidTo = reachOf(listed, facts.hops, maxHops, false);
  const alerts: AlertCandidate[] = [];
  for (const trade of facts.trades) {
    const sides = [
      {
        partyId: trade.sellerId,
        address: trade.depositAddress,
        reach: fundedFrom,
        verb: 'The escrow deposit',
      },
      { partyId: trade.buyerId, address: trade.payoutAddress, reach: paidTo, verb: 'The payout' },
    ];
    for (const side of sides) {
      const reach = side.address ? side.reach.get(side.address) : undefined;
      const band = reach && bandFor(reach.hops, rule.bands);
      if (!reach || !band) continue;
      const direction = side.verb === 'The payout' ? `went to ${side.address}` : `came from ${side.address}`;
      const link =
        reach.hops === 1
          ? `, itself listed as ${category} by ${reach.listed.source}`
          : `, ${route(reach)} from ${reach.listed.address}, listed as ${category} by ${reach.listed.source}`;
      alerts.push(
        buildCandidate(rule, band, {
          partyId: side.partyId,
          trades: [trade],
          windowKey: trade.id,
          exposure: reach.hops === 1 ? 'DIRECT' : 'INDIRECT',
          details: `${side.verb} of trade ${formatTrade(trade)} ${direction}${link}.`,
        }),
      );
    }
  }
  return alerts;
}
