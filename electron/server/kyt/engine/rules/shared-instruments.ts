// One payment instrument used by different people: the same receipt file (sha256) uploaded by different
// buyers, or one receiving account given by different sellers. Either is a sign of fake receipts or of
// accounts run by one person under several names.
import { bandFor, type Band, type RuleConfig } from '../config';
import { buildCandidate, formatTrade, nameOf, type IndexedFacts } from '../facts';
import type { AlertCandidate, TradeFact } from '../types';

interface Use {
  partyId: string;
  trade: TradeFact;
}

function sharedUseAlerts(
  facts: IndexedFacts,
  rule: RuleConfig,
  usesByInstrument: Map<string, Use[]>,
  describe: (instrument: string, uses: Use[], people: string[]) => string,
): AlertCandidate[] {
  const alerts: AlertCandidate[] = [];
  for (const [instrument, uses] of usesByInstrument) {
    const people = [...new Set(uses.map((use) => use.partyId))];
    const band: Band | null = bandFor(people.length, rule.bands);
    if (!band) continue;
    const trades = uses.map((use) => use.trade);
    const details = describe(instrument, uses, people);
    for (const partyId of people) {
      const own = uses.filter((use) => use.partyId === partyId).map((use) => use.trade);
      alerts.push(
        buildCandidate(rule, band, {
          partyId,
          trades,
          windowKey: instrument,
          caseId: [...own].reverse().find((trade) => trade.caseId)?.caseId ?? null,
          details,
        }),
      );
    }
  }
  return alerts;
}

function group(uses: Iterable<[string, Use]>): Map<string, Use[]> {
  const byInstrument = new Map<string, Use[]>();
  for (const [instrument, use] of uses) {
    const list = byInstrument.get(instrument);
    if (list) list.push(use);
    else byInstrument.set(instrument, [use]);
  }
  return byInstrument;
}

export function sharedReceiptAlerts(facts: IndexedFacts, rule: RuleConfig): AlertCandidate[] {
  const uses = group(
    facts.trades.flatMap((trade) =>
      [...new Set(trade.receiptSha256s)].map((sha256): [string, Use] => [
        sha256,
        { partyId: trade.buyerId, trade },
      ]),
    ),
  );
  return sharedUseAlerts(
    facts,
    rule,
    uses,
    (sha256, found, people) =>
      `The same receipt file (sha256 ${sha256}) was uploaded by ${people.length} different buyers ` +
      `(${people.map((id) => nameOf(facts, id)).join(', ')}) for trades ${found.map((use) => formatTrade(use.trade)).join('; ')}.`,
  );
}

export function sharedPayoutAccountAlerts(facts: IndexedFacts, rule: RuleConfig): AlertCandidate[] {
  const uses = group(
    facts.trades.flatMap((trade): [string, Use][] =>
      trade.payoutAccount ? [[trade.payoutAccount, { partyId: trade.sellerId, trade }]] : [],
    ),
  );
  return sharedUseAlerts(
    facts,
    rule,
    uses,
    (account, found, people) =>
      `The receiving account ${account} was given by ${people.length} different sellers ` +
      `(${people.map((id) => nameOf(facts, id)).join(', ')}) for trades ${found.map((use) => formatTrade(use.trade)).join('; ')}.`,
  );
}
