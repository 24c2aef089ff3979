// The facts indexed once per run, and the small pieces every rule uses to word and build its alerts.
import { bandFor, LEVEL_SCORES, type Band, type RuleConfig } from './config';
import type { AlertCandidate, KytFacts, PartyFact, TradeFact } from './types';

export interface IndexedFacts extends KytFacts {
  /** Every trade, oldest first. */
  trades: TradeFact[];
  /** Each party's trades as buyer or seller, oldest first. */
  tradesByParty: Map<string, TradeFact[]>;
  parties: PartyFact[];
  partyById: Map<string, PartyFact>;
}

/**
 * Each trade's time in ms, parsed once: the rules compare times in their inner loops, and parsing the ISO
 * text there made a run over a party with a long history cost more than everything else in it.
 */
const parsedTimes = new WeakMap<TradeFact, number>();

export function timeOf(trade: TradeFact): number {
  let ms = parsedTimes.get(trade);
  if (ms === undefined) {
    ms = Date.parse(trade.at);
    parsedTimes.set(trade, ms);
  }
  return ms;
}

export function indexFacts(facts: KytFacts): IndexedFacts {
  const trades = [...facts.trades].sort((a, b) => timeOf(a) - timeOf(b) || a.id.localeCompare(b.id));
  const tradesByParty = new Map<string, TradeFact[]>();
  for (const trade of trades) {
    for (const partyId of new Set([trade.buyerId, trade.sellerId])) {
      const list = tradesByParty.get(partyId);
      if (list) list.push(trade);
      else tradesByParty.set(partyId, [trade]);
    }
  }
  return {
    ...facts,
    trades,
    tradesByParty,
    parties: [...facts.parties],
    partyById: new Map(facts.parties.map((party) => [party.id, party])),
  };
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const formatUsd = (cents: number) => usd.format(cents / 100);

/** "2026-12-01 14:05 UTC": dates in alerts are read by people, in one zone. */
export const formatWhen = (iso: string) =>
  `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export const formatTrade = (trade: TradeFact) =>
  `${trade.id} (${trade.amount} ${trade.asset}, ${formatUsd(trade.usdCents)}, ${formatWhen(trade.at)})`;

export function nameOf(facts: IndexedFacts, partyId: string): string {
  const party = facts.partyById.get(partyId);
  return party ? `${party.displayName} (${partyId})` : partyId;
}

/** The case to link: the newest of the trades that has one. */
const linkedCase = (trades: readonly TradeFact[]) =>
  [...trades].reverse().find((trade) => trade.caseId)?.caseId ?? null;

export function buildCandidate(
  rule: RuleConfig,
  band: Band,
  fields: {
    partyId: string;
    trades: readonly TradeFact[];
    windowKey: string;
    details: string;
    exposure?: 'DIRECT' | 'INDIRECT';
    /** The case to link when it is not simply the newest trade's (a party's own trade among others). */
    caseId?: string | null;
  },
): AlertCandidate {
  const { trades } = fields;
  const oldest = trades[0];
  const newest = trades[trades.length - 1];
  if (!oldest || !newest) throw new Error(`Rule ${rule.id} built an alert without trades`);
  return {
    dedupeKey: `${rule.id}:${fields.partyId}:${fields.windowKey}`,
    ruleId: rule.id,
    ruleVersion: rule.version,
    partyId: fields.partyId,
    caseId: fields.caseId !== undefined ? fields.caseId : linkedCase(trades),
    level: band.level,
    score: LEVEL_SCORES[band.level],
    category: rule.category,
    exposure: fields.exposure ?? 'DIRECT',
    asset: newest.asset,
    amount: newest.amount,
    details: fields.details,
    tradeIds: trades.map((trade) => trade.id),
    windowStart: oldest.at,
    windowEnd: newest.at,
  };
}

/**
 * Windows anchored at a trade: starting from the oldest trade, the window holds every trade up to
 * `windowMs` later; when `fires` says the window is enough it becomes one alert and the next window
 * starts after it. Anchoring on trades (not on clock buckets) keeps a burst that straddles midnight in
 * one alert, and keeps every earlier window the same when newer trades arrive (the dedupe key names the
 * anchor).
 */
export interface TradeWindow {
  trades: TradeFact[];
  first: TradeFact;
  last: TradeFact;
}

export function anchoredWindows(
  trades: readonly TradeFact[],
  windowMs: number,
  fires: (window: TradeFact[]) => boolean,
): TradeWindow[] {
  const windows: TradeWindow[] = [];
  // Two pointers: the window's end only moves forward as its anchor does, so finding the ends costs one
  // pass over the trades however many windows are tried.
  let end = 0;
  for (let start = 0; start < trades.length; ) {
    const anchor = trades[start]!;
    const limit = timeOf(anchor) + windowMs;
    if (end < start) end = start;
    while (end + 1 < trades.length && timeOf(trades[end + 1]!) <= limit) end++;
    const window = trades.slice(start, end + 1);
    if (fires(window)) {
      windows.push({ trades: window, first: anchor, last: trades[end]! });
      start = end + 1;
    } else {
      start++;
    }
  }
  return windows;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Alerts of a rule that counts a party's trades in a window (structuring, velocity): for each party, the
 * trades that count, in windows anchored at a trade, each window whose count reaches a band one alert.
 */
export function countedWindowAlerts(
  facts: IndexedFacts,
  rule: RuleConfig,
  how: {
    windowMs: number;
    counts(trade: TradeFact): boolean;
    describe(partyId: string, window: TradeWindow): string;
  },
): AlertCandidate[] {
  const alerts: AlertCandidate[] = [];
  for (const [partyId, trades] of facts.tradesByParty) {
    const counted = trades.filter(how.counts);
    const fires = (window: TradeFact[]) => bandFor(window.length, rule.bands) !== null;
    for (const window of anchoredWindows(counted, how.windowMs, fires)) {
      alerts.push(
        buildCandidate(rule, bandFor(window.trades.length, rule.bands)!, {
          partyId,
          trades: window.trades,
          windowKey: window.first.id,
          details: how.describe(partyId, window),
        }),
      );
    }
  }
  return alerts;
}
