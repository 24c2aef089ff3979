// The simulated market: an endless, seeded stream of trades. Most go well, some are called off, some
// become disputes (the demo seed's scenarios), some buyers fail their Proof of Life, and now and then a
// story of several trades is played that the KYT rules engine should catch (electron/server/kyt/engine:
// structuring, rapid in-out, a new account trading high value, one payout account given by two sellers,
// circular trading, one receipt passed between two buyers).
import type { Asset } from '../../shared/domain/money';
import { assetDecimals, toMinorUnits } from '../../shared/domain/money';
import type { ScenarioKind } from '../seed/chat';
import { Prng } from '../seed/prng';
import { MARKETS, type Market } from '../seed/world';
import type { TradePlan } from './plan';
import { planTrade, type Receipt, type TradeEnding, type TradeSpec } from './trade';
import { accountOf, nameOf, TraderPool, type Trader } from './world';

export interface MarketOptions {
  /** Names the world: the same seed gives the same traders and the same trades. */
  seed: string;
  /** Tells this run's trades from another run's on the same server (trade ids are unique per run). */
  runId: string;
  /** When the run starts; account ages are counted back from it. */
  start: Date;
  /** Demo conversion rates, as the server is configured (DEFAULT_USD_RATES). */
  usdRates: Record<string, string>;
  /** Whether MetaMap webhooks can be sent (the simulator has METAMAP_WEBHOOK_SECRET): Proof of Life stories. */
  proofOfLife: boolean;
}

type Story = 'completed' | 'cancelled' | 'disputed' | 'proof_of_life_failed' | 'kyt';
type KytStory = 'structuring' | 'rapid_in_out' | 'new_account' | 'shared_payout_account' | 'circular';

/** Disputes by how often they come up; the Proof of Life ones come as their own story. */
const DISPUTE_WEIGHTS: readonly (readonly [ScenarioKind, number])[] = [
  ['paid_not_released', 22],
  ['seller_unresponsive', 12],
  ['buyer_unresponsive', 10],
  ['underpayment', 8],
  ['fake_receipt', 8],
  ['edited_amount', 6],
  ['edited_payer', 4],
  ['reused_receipt', 6],
  ['third_party', 6],
  ['mutual_cancellation', 6],
];

/** The receipts a later buyer may pass off as their own. */
const KEPT_RECEIPTS = 40;

export class SimulatedMarket {
  private readonly prng: Prng;
  private readonly traders: TraderPool;
  private readonly queue: TradePlan[] = [];
  private readonly receipts: Receipt[] = [];
  private tradeCount = 0;

  constructor(private readonly options: MarketOptions) {
    this.prng = new Prng(`simulator:${options.seed}`);
    this.traders = new TraderPool(options.seed, options.start);
  }

  /** The next trade to open; the trades of a story come one after another. */
  nextTrade(): TradePlan {
    if (this.queue.length === 0) this.queue.push(...this.story());
    return this.queue.shift()!;
  }

  private story(): TradePlan[] {
    const { prng } = this;
    const story = prng.weighted<Story>([
      ['completed', 58],
      ['cancelled', 12],
      ['disputed', 20],
      ['proof_of_life_failed', this.options.proofOfLife ? 4 : 0],
      ['kyt', 6],
    ]);
    const market = this.market();
    const [buyer, seller] = this.pair(market);
    switch (story) {
      case 'completed': {
        const proofOfLife = this.options.proofOfLife && prng.chance(0.1);
        return [
          this.trade({
            market,
            buyer,
            seller,
            ending: proofOfLife ? { kind: 'completed', proofOfLife: 'verified' } : { kind: 'completed' },
          }),
        ];
      }
      case 'cancelled':
        return [this.trade({ market, buyer, seller, ending: { kind: 'cancelled' } })];
      case 'disputed':
        return [this.dispute(market, buyer, seller)];
      case 'proof_of_life_failed': {
        const failure = prng.pick(['face_mismatch', 'selfie_fraud'] as const);
        // Most sellers take it to a dispute (they were paid); some call it off before any payment.
        const ending: TradeEnding = prng.chance(0.7)
          ? { kind: 'disputed', scenario: failure }
          : { kind: 'refused', proofOfLife: failure };
        return [this.trade({ market, buyer, seller, ending })];
      }
      case 'kyt':
        return this.kytStory(market);
    }
  }

  private dispute(market: Market, buyer: Trader, seller: Trader): TradePlan {
    const { prng } = this;
    const scenario = prng.weighted(DISPUTE_WEIGHTS);
    const paidUp = scenario === 'paid_not_released' || scenario === 'seller_unresponsive';
    const ending: TradeEnding = {
      kind: 'disputed',
      scenario,
      // A release that crosses the buyer's dispute; a seller who tries to release once the dispute is open.
      ...(paidUp && prng.chance(0.15) ? { lateRelease: true } : {}),
      ...(paidUp && prng.chance(0.15) ? { releaseAnyway: true } : {}),
    };
    // A reused receipt is another buyer's file (the shared-receipt rule sees two buyers with one file).
    const reusable =
      scenario === 'reused_receipt'
        ? this.receipts.filter((receipt) => receipt.buyerId !== buyer.id && receipt.marketKey === market.key)
        : [];
    if (reusable.length === 0) return this.trade({ market, buyer, seller, ending });
    const receipt = prng.pick(reusable);
    const kytStory = `shared receipt: ${nameOf(buyer)} uploads the receipt ${receipt.buyerId} gave for ${receipt.tradeId}`;
    return this.trade({ market, buyer, seller, ending, reusableReceipt: receipt, kytStory });
  }

  private kytStory(market: Market): TradePlan[] {
    const { prng } = this;
    const kind = prng.pick<KytStory>([
      'structuring',
      'rapid_in_out',
      'new_account',
      'shared_payout_account',
      'circular',
    ]);
    const done: TradeEnding = { kind: 'completed' };
    switch (kind) {
      case 'structuring': {
        // Trades worth just under the 10,000 USD reporting threshold (the premium and spread stay under it).
        const buyer = this.traders.draw(prng, market.country);
        const count = prng.int(3, 5);
        return Array.from({ length: count }, (_, index) =>
          this.trade({
            market,
            buyer,
            seller: this.traders.draw(prng, market.country, [buyer]),
            ending: done,
            asset: 'USDT',
            usd: prng.int(9_050, 9_450),
            ...(index === 0
              ? { kytStory: `structuring: ${nameOf(buyer)} makes ${count} trades just under 10,000 USD` }
              : {}),
          }),
        );
      }
      case 'rapid_in_out': {
        const [trader, first] = this.pair(market);
        const asset = prng.pick<Asset>(['USDT', 'BTC', 'ETH']);
        const bought = this.trade({
          market,
          buyer: trader,
          seller: first,
          ending: done,
          asset,
          usd: prng.int(800, 4_000),
          kytStory: `rapid in-out: ${nameOf(trader)} buys ${asset} and sells it on within minutes`,
        });
        const boughtMinor = toMinorUnits(openedAmount(bought), assetDecimals(asset));
        const sold = this.trade({
          market,
          buyer: this.traders.draw(prng, market.country, [trader, first]),
          seller: trader,
          ending: done,
          asset,
          amountMinor: (boughtMinor * BigInt(prng.int(90, 100))) / 100n,
        });
        return [bought, sold];
      }
      case 'new_account': {
        const ageDays = prng.int(2, 20);
        const buyer = this.traders.newTrader(prng, market.country, ageDays);
        const seller = this.traders.draw(prng, market.country, [buyer]);
        return [
          this.trade({
            market,
            buyer,
            seller,
            ending: done,
            usd: prng.int(5_500, 9_000),
            kytStory: `new account: ${nameOf(buyer)}, ${ageDays} days on the exchange, trades over 5,000 USD`,
          }),
        ];
      }
      case 'shared_payout_account': {
        const [buyer, first] = this.pair(market);
        const second = this.traders.draw(prng, market.country, [buyer, first]);
        const account = accountOf(first, market).account;
        return [
          this.trade({
            market,
            buyer,
            seller: first,
            ending: done,
            kytStory: `shared payout account: ${nameOf(first)} and ${nameOf(second)} give the same account`,
          }),
          this.trade({
            market,
            buyer: this.traders.draw(prng, market.country, [second]),
            seller: second,
            ending: done,
            payoutAccount: account,
          }),
        ];
      }
      case 'circular': {
        const [a, b] = this.pair(market);
        return [0, 1, 2, 3].map((index) =>
          this.trade({
            market,
            buyer: index % 2 === 0 ? a : b,
            seller: index % 2 === 0 ? b : a,
            ending: done,
            asset: 'USDT',
            usd: prng.int(300, 1_500),
            ...(index === 0
              ? { kytStory: `circular trading: ${nameOf(a)} and ${nameOf(b)} trade back and forth` }
              : {}),
          }),
        );
      }
    }
  }

  private trade(spec: Omit<TradeSpec, 'tradeId'>): TradePlan {
    const tradeId = `T-${this.options.runId}-${String(++this.tradeCount).padStart(5, '0')}`;
    const { plan, receipt } = planTrade({ ...spec, tradeId }, this.options.usdRates);
    if (receipt && receipt.tradeId === tradeId) {
      this.receipts.push(receipt);
      if (this.receipts.length > KEPT_RECEIPTS) this.receipts.shift();
    }
    return plan;
  }

  private market(): Market {
    return this.prng.weighted(MARKETS.map((market) => [market, market.weight] as const));
  }

  private pair(market: Market): [Trader, Trader] {
    const buyer = this.traders.draw(this.prng, market.country);
    return [buyer, this.traders.draw(this.prng, market.country, [buyer])];
  }
}

function openedAmount(plan: TradePlan): string {
  const first = plan.steps[0]?.delivery;
  if (first?.channel !== 'platform' || first.event.type !== 'trade.opened')
    throw new Error(`${plan.tradeId} does not start with trade.opened`);
  return first.event.data.amount;
}
