// The demo's trade history, written so that the KYT rules engine finds what a compliance reviewer should
// see: each flagged case tells a story (a deposit from a sanctioned address, a burst of trades, one
// receipt passed between two buyers...) as trades, risk-list entries and on-chain hops, and names the
// alert the engine must answer with. The seed runs the real monitor over it and checks the answer; nothing
// here writes an alert.
//
// Every party also gets a little ordinary history (a few retail trades weeks ago), so the engine reads a
// market rather than a list of suspects. It is kept away from the stories: older than any story's window
// and too small for any band.
import type { KytLevel } from '../../shared/domain/dispute';
import type { Asset } from '../../shared/domain/money';
import type { ServerConfig } from '../server/config';
import { KYT_RULE_SET } from '../server/kyt/engine/config';
import type { AddressHop, RiskCategory } from '../server/kyt/engine/types';
import { marketPrice, tradeAmounts, type TradeAmounts } from './amounts';
import type { CaseSpec } from './case-builder';
import type { PartyRegistry } from './demo-parties';
import { paymentAccount } from './people';
import type { ExpectedAlert, PlannedCase, PlannedParty, PlannedRiskAddress, PlannedTrade } from './plan';
import { Prng } from './prng';
import { MINUTE_MS, HOUR_MS } from './timeline';
import { address, walletAddress } from './wallets';
import { ASSET_WEIGHTS, type Market } from './world';

const DAY_MS = 24 * HOUR_MS;

export type KytPattern =
  /** The seller's deposit (or the buyer's payout) address is listed, or two hops from a listed one. */
  | { kind: 'exposure'; category: RiskCategory; distance: 'direct' | 'two_hops' }
  /** The party made `trades` trades (the case's included) within a day. */
  | { kind: 'velocity'; trades: number }
  /** The party made `trades` trades just under the reporting threshold within two days. */
  | { kind: 'structuring'; trades: number }
  /** The seller bought the same amount of the asset `minutes` before selling it in the case. */
  | { kind: 'rapid_in_out'; minutes: number }
  /** The buyer and seller traded back and forth in the days before the case. */
  | { kind: 'circular' }
  /** Another buyer gave the case's receipt file for a trade of their own. */
  | { kind: 'shared_receipt' }
  /** Another seller gave the case seller's receiving account. */
  | { kind: 'shared_payout_account' }
  /** The buyer's account is young and the trade large (the party's traits say how young). */
  | { kind: 'new_account' };

export interface KytStory {
  pattern: KytPattern;
  party: 'buyer' | 'seller';
  /** The level the engine must answer with; the seed stops if it answers otherwise. */
  level: KytLevel;
  /** Where compliance has taken the alert since the monitor raised it. */
  review?: { status: 'in_review' | 'dismissed' | 'escalated'; reason?: string };
}

export interface KytHistory {
  history: PlannedTrade[];
  riskAddresses: PlannedRiskAddress[];
  hops: AddressHop[];
  unlinkedAlerts: ExpectedAlert[];
}

const RULE_OF: Record<KytPattern['kind'], (category?: RiskCategory) => string> = {
  exposure: (category) => `${category!}_exposure`,
  velocity: () => KYT_RULE_SET.velocity.id,
  structuring: () => KYT_RULE_SET.structuring.id,
  rapid_in_out: () => KYT_RULE_SET.rapidInOut.id,
  circular: () => KYT_RULE_SET.circular.id,
  shared_receipt: () => KYT_RULE_SET.sharedReceipt.id,
  shared_payout_account: () => KYT_RULE_SET.sharedPayoutAccount.id,
  new_account: () => KYT_RULE_SET.newAccount.id,
};

const LISTED_BY: Record<RiskCategory, (prng: Prng) => string> = {
  sanctions: () => 'OFAC SDN list (sanctioned exchange)',
  mixer: () => 'Known mixing service (public attribution)',
  darknet: () => 'Darknet market cluster (law-enforcement attribution)',
  scam: (prng) => `Chainabuse report #${prng.int(10_000, 99_999)}`,
};

/** Ordinary history stays this far back, behind every story's window (the longest is circular's 7 days). */
const QUIET_HISTORY_DAYS = { from: 12, to: 90 };

class HistoryWriter {
  readonly history: PlannedTrade[] = [];
  readonly riskAddresses: PlannedRiskAddress[] = [];
  readonly hops: AddressHop[] = [];
  readonly unlinkedAlerts: ExpectedAlert[] = [];
  private next = 100_001;
  private readonly marketsByCountry = new Map<string, Market[]>();

  constructor(
    readonly now: Date,
    private readonly config: Pick<ServerConfig, 'usdRates'>,
    markets: readonly Market[],
  ) {
    for (const market of markets) {
      this.marketsByCountry.set(market.country, [...(this.marketsByCountry.get(market.country) ?? []), market]);
    }
  }

  marketsOf(country: string): Market[] {
    return this.marketsByCountry.get(country) ?? [];
  }

  amounts(prng: Prng, market: Market, asset: Asset, usd: number): TradeAmounts {
    return tradeAmounts(asset, marketPrice(asset, market, this.config.usdRates, prng.int(-40, 40)), usd);
  }

  trade(
    buyer: PlannedParty,
    seller: PlannedParty,
    market: Market,
    amounts: TradeAmounts,
    at: Date,
    overrides: Partial<Pick<PlannedTrade, 'payoutAccount' | 'receipts'>> = {},
  ): PlannedTrade {
    if (at.getTime() > this.now.getTime()) throw new Error(`Seed: a history trade at ${at.toISOString()} is in the future`);
    const trade: PlannedTrade = {
      id: `TRD-H${this.next++}`,
      buyerId: buyer.id,
      sellerId: seller.id,
      market,
      amounts,
      at,
      depositAddress: walletAddress(seller.id, amounts.asset),
      payoutAddress: walletAddress(buyer.id, amounts.asset),
      payoutAccount: paymentAccount(seller.person, seller.seed, market).account,
      receipts: [],
      ...overrides,
    };
    this.history.push(trade);
    return trade;
  }

  list(prng: Prng, category: RiskCategory, asset: Asset): string {
    const listed = address(prng, asset);
    this.riskAddresses.push({
      address: listed,
      category,
      source: LISTED_BY[category](prng),
      listedAt: new Date(this.now.getTime() - prng.int(30, 400) * DAY_MS),
    });
    return listed;
  }
}

interface StoryContext {
  prng: Prng;
  planned: PlannedCase;
  party: PlannedParty;
  other: PlannedParty;
  /** Parties of the same country with no story, to trade with. */
  quiet: () => PlannedParty;
  /** A party made for the story (someone outside the disputes). */
  stranger: () => PlannedParty;
}

const minutesBefore = (at: Date, minutes: number) => new Date(at.getTime() - minutes * MINUTE_MS);

/** Writes the story's trades and listings; returns the alerts it makes for parties other than `party`. */
function tell(writer: HistoryWriter, story: KytStory, ctx: StoryContext): ExpectedAlert[] {
  const { prng, planned, party, other } = ctx;
  const { market, amounts } = planned;
  const caseAt = planned.tradeCreatedAt;
  const pattern = story.pattern;
  const asBuyer = story.party === 'buyer';
  const trade = (counterparty: PlannedParty, tradeAmounts: TradeAmounts, at: Date) =>
    asBuyer ? writer.trade(party, counterparty, market, tradeAmounts, at) : writer.trade(counterparty, party, market, tradeAmounts, at);
  switch (pattern.kind) {
    case 'exposure': {
      // A wallet used for this trade only: the party's usual wallet stays clean, so one alert, not one per trade.
      const used = address(prng, amounts.asset);
      const listed = writer.list(prng, pattern.category, amounts.asset);
      if (pattern.distance === 'direct') {
        if (asBuyer) planned.instruments.payoutAddress = listed;
        else planned.instruments.depositAddress = listed;
        return [];
      }
      const between = address(prng, amounts.asset);
      // Funds flow listed → between → deposit; or payout → between → listed.
      const path = asBuyer ? [used, between, listed] : [listed, between, used];
      writer.hops.push({ from: path[0]!, to: path[1]! }, { from: path[1]!, to: path[2]! });
      if (asBuyer) planned.instruments.payoutAddress = used;
      else planned.instruments.depositAddress = used;
      return [];
    }
    case 'velocity': {
      const earlier = pattern.trades - 1;
      const gap = Math.floor((20 * 60) / earlier);
      for (let k = 1; k <= earlier; k++) {
        trade(ctx.quiet(), writer.amounts(prng, market, amounts.asset, prng.int(40, 400)), minutesBefore(caseAt, k * gap + prng.int(0, 20)));
      }
      return [];
    }
    case 'structuring': {
      for (let k = 1; k < pattern.trades; k++) {
        trade(ctx.quiet(), writer.amounts(prng, market, 'USDT', prng.int(9_150, 9_650)), minutesBefore(caseAt, k * 9 * 60 + prng.int(0, 90)));
      }
      return [];
    }
    case 'rapid_in_out': {
      // The seller bought what they sell, minutes before, from someone else.
      writer.trade(party, ctx.quiet(), market, amounts, minutesBefore(caseAt, pattern.minutes));
      return [];
    }
    case 'circular': {
      const [buyer, seller] = asBuyer ? [party, other] : [other, party];
      const small = () => writer.amounts(prng, market, amounts.asset, prng.int(80, 300));
      writer.trade(seller, buyer, market, small(), minutesBefore(caseAt, 3 * 24 * 60 + prng.int(0, 120)));
      writer.trade(buyer, seller, market, small(), minutesBefore(caseAt, 2 * 24 * 60 + prng.int(0, 120)));
      writer.trade(seller, buyer, market, small(), minutesBefore(caseAt, 24 * 60 + prng.int(0, 120)));
      return [alertFor(story, other.id, planned.id)];
    }
    case 'shared_receipt': {
      const receipt = planned.evidence.find((item) => item.kind === 'receipt' && item.uploader === 'buyer');
      if (!receipt) throw new Error(`${planned.id}: a shared receipt story needs the buyer's receipt`);
      const at = new Date(Math.min(caseAt.getTime() + DAY_MS, writer.now.getTime() - 2 * HOUR_MS));
      const buyer = ctx.stranger();
      writer.trade(buyer, ctx.quiet(), market, writer.amounts(prng, market, amounts.asset, prng.int(300, 700)), at, {
        receipts: [receipt.key],
      });
      return [alertFor(story, buyer.id, null)];
    }
    case 'shared_payout_account': {
      const seller = ctx.stranger();
      writer.trade(ctx.quiet(), seller, market, writer.amounts(prng, market, amounts.asset, prng.int(200, 500)), minutesBefore(caseAt, 26 * 60), {
        payoutAccount: planned.instruments.payoutAccount,
      });
      return [alertFor(story, seller.id, null)];
    }
    case 'new_account':
      return [];
  }
}

const alertFor = (story: KytStory, partyId: string, caseId: string | null): ExpectedAlert => ({
  ruleId: RULE_OF[story.pattern.kind](story.pattern.kind === 'exposure' ? story.pattern.category : undefined),
  partyId,
  caseId,
  level: story.level,
  status: 'open',
  decisionReason: null,
});

/** A few retail trades weeks ago for every party whose account is old enough. */
function quietHistory(writer: HistoryWriter, parties: readonly PlannedParty[], byCountry: Map<string, PlannedParty[]>) {
  for (const party of parties) {
    const prng = new Prng(`history:${party.id}`);
    const peers = (byCountry.get(party.person.country) ?? []).filter((peer) => peer.id !== party.id);
    const markets = writer.marketsOf(party.person.country);
    for (let n = prng.int(1, 3); n > 0 && peers.length > 0; n--) {
      const peer = prng.pick(peers);
      const opened = Math.max(party.accountCreatedAt.getTime(), peer.accountCreatedAt.getTime());
      const at = new Date(writer.now.getTime() - prng.int(QUIET_HISTORY_DAYS.from * 24, QUIET_HISTORY_DAYS.to * 24) * HOUR_MS);
      if (at.getTime() < opened + DAY_MS) continue;
      const market = prng.pick(markets);
      const amounts = writer.amounts(prng, market, prng.weighted(ASSET_WEIGHTS), prng.int(20, 1_500));
      if (prng.chance(0.5)) writer.trade(party, peer, market, amounts, at);
      else writer.trade(peer, party, market, amounts, at);
    }
  }
}

/**
 * The history behind the demo's KYT alerts: fills each case's instruments and expected alerts, and
 * returns the trades without a dispute, the risk list and the hops. Call once every case is built, so that
 * the parties it adds are numbered after every dispute's.
 */
export function planKytHistory(
  now: Date,
  config: Pick<ServerConfig, 'usdRates'>,
  markets: readonly Market[],
  parties: PartyRegistry,
  cases: readonly PlannedCase[],
  specs: readonly CaseSpec[],
): KytHistory {
  const writer = new HistoryWriter(now, config, markets);
  const inStories = new Set(
    cases.flatMap((planned, index) => (specs[index]?.kyt?.length ? [planned.buyerId, planned.sellerId] : [])),
  );
  const everyone = [...parties.all];
  const byCountry = new Map<string, PlannedParty[]>();
  for (const party of everyone) byCountry.set(party.person.country, [...(byCountry.get(party.person.country) ?? []), party]);
  quietHistory(writer, everyone, byCountry);

  cases.forEach((planned, index) => {
    const stories = specs[index]?.kyt ?? [];
    stories.forEach((story, storyIndex) => {
      const prng = new Prng(`kyt-story:${planned.id}:${storyIndex}`);
      const byId = (id: string) => everyone.find((party) => party.id === id)!;
      const [party, other] =
        story.party === 'buyer' ? [byId(planned.buyerId), byId(planned.sellerId)] : [byId(planned.sellerId), byId(planned.buyerId)];
      const country = party.person.country;
      const quiet = (byCountry.get(country) ?? []).filter((candidate) => !inStories.has(candidate.id));
      const unlinked = tell(writer, story, {
        prng,
        planned,
        party,
        other,
        quiet: () => prng.pick(quiet),
        stranger: () => parties.party(country, `stranger:${planned.id}:${storyIndex}`),
      });
      planned.expectedAlerts.push({
        ...alertFor(story, party.id, planned.id),
        status: story.review?.status ?? 'open',
        decisionReason: story.review?.reason ?? null,
      });
      for (const alert of unlinked) (alert.caseId ? planned.expectedAlerts : writer.unlinkedAlerts).push(alert);
    });
    // Only an escrow still held can be frozen: a decided case's alert raises no hold.
    planned.expectHold =
      planned.status !== 'resolved' && planned.expectedAlerts.some((alert) => alert.level === 'SEVERE' || alert.level === 'HIGH');
  });
  return { history: writer.history, riskAddresses: writer.riskAddresses, hops: writer.hops, unlinkedAlerts: writer.unlinkedAlerts };
}
