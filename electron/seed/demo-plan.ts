// The demo data set (DESIGN §4): a list of hand-picked disputes that each show one thing an agent,
// a compliance reviewer or a supervisor must handle, then routine disputes to fill a realistic queue.
import type { ServerConfig } from '../server/config';
import { DemoCaseBuilder, type CaseSpec } from './case-builder';
import type { ScenarioKind } from './chat';
import { IdSequence, PartyRegistry } from './demo-parties';
import type { DemoPlan, EvidenceSource } from './plan';
import { planKytHistory } from './kyt-stories';
import { Prng } from './prng';
import { MARKETS } from './world';

export const DEMO_SEED = 'ccoins-demo-v1';
/** The featured and routine disputes, then the verdict history. */
export const ROUTINE_UNTIL = 64;
export const FIRST_DEMO_CASE = 100001;

const FEATURED: readonly CaseSpec[] = [
  { kind: 'paid_not_released', market: 'VE-PAGOMOVIL', asset: 'USDT', usd: 180, sla: 'soon' },
  { kind: 'fake_receipt', market: 'CO-NEQUI', asset: 'USDT', usd: 420, buyer: { traits: { accountAgeDays: 3, tradeCount: 1, priorDisputes: 0 } } },
  { kind: 'edited_amount', market: 'CO-NEQUI', asset: 'USDT', usd: 470, buyer: { traits: { accountAgeDays: 9, tradeCount: 2, priorDisputes: 0 } } },
  { kind: 'edited_payer', market: 'MX-SPEI', asset: 'USDT', usd: 650 },
  {
    ref: 'reused-first',
    kind: 'paid_not_released',
    market: 'VE-PAGOMOVIL',
    asset: 'USDT',
    usd: 300,
    buyer: { name: 'receipt-reuser', traits: { accountAgeDays: 41, priorDisputes: 1 } },
    seller: { name: 'reuse-victim' },
    reason: (f) =>
      `Paid but not released: the buyer says they paid two orders of ${f.fiat} by ${f.method}; the seller received one payment and has released neither.`,
  },
  { kind: 'reused_receipt', market: 'VE-PAGOMOVIL', sameTradeAs: 'reused-first', buyer: { name: 'receipt-reuser' }, seller: { name: 'reuse-victim' } },
  { kind: 'underpayment', market: 'BR-PIX', asset: 'USDT', usd: 900 },
  { kind: 'third_party', market: 'AR-MERCADOPAGO', asset: 'USDT', usd: 350 },
  { kind: 'seller_unresponsive', market: 'PE-TRANSFER', asset: 'USDC', usd: 260, sla: 'breached' },
  { kind: 'buyer_unresponsive', market: 'MX-MERCADOPAGO', asset: 'USDT', usd: 140 },
  { kind: 'face_mismatch', market: 'CO-TRANSFER', asset: 'BTC', usd: 1900 },
  { kind: 'selfie_fraud', market: 'BR-PIX', asset: 'USDT', usd: 1200, buyer: { traits: { accountAgeDays: 6, tradeCount: 2, kycStatus: 'reviewNeeded', priorDisputes: 0 } } },
  {
    kind: 'paid_not_released',
    market: 'VE-ZELLE',
    asset: 'BTC',
    usd: 2400,
    kyt: [
      {
        pattern: { kind: 'exposure', category: 'sanctions', distance: 'direct' },
        party: 'seller',
        level: 'SEVERE',
        review: {
          status: 'escalated',
          reason: 'Direct exposure to a sanctioned exchange. Escalated to the MLRO; the escrow stays on hold until the seller documents where the BTC came from.',
        },
      },
    ],
    hold: true,
    notes: [{ author: 'carla', body: 'The monitor held this escrow: the seller funded it straight from an address on the OFAC SDN list. Asked the seller for proof of the source of funds (EDD).' }],
  },
  {
    kind: 'seller_unresponsive',
    market: 'AR-TRANSFER',
    asset: 'USDT',
    usd: 1800,
    kyt: [{ pattern: { kind: 'exposure', category: 'darknet', distance: 'two_hops' }, party: 'seller', level: 'HIGH', review: { status: 'in_review' } }],
    hold: true,
    notes: [{ author: 'carla', body: 'The deposit traces to a darknet market cluster two hops back. Keeping the hold while I review the seller’s other deposits.' }],
  },
  { kind: 'paid_not_released', market: 'BR-PIX', asset: 'ETH', usd: 1300, chatVariant: 1, kyt: [{ pattern: { kind: 'exposure', category: 'mixer', distance: 'two_hops' }, party: 'buyer', level: 'MEDIUM' }] },
  { kind: 'paid_not_released', market: 'PE-TRANSFER', asset: 'USDT', usd: 700, kyt: [{ pattern: { kind: 'velocity', trades: 8 }, party: 'buyer', level: 'LOW' }] },
  {
    kind: 'underpayment',
    market: 'MX-SPEI',
    asset: 'USDT',
    usd: 9600,
    chatVariant: 1,
    buyer: { traits: { accountAgeDays: 420 } },
    kyt: [
      {
        pattern: { kind: 'structuring', trades: 3 },
        party: 'buyer',
        level: 'MEDIUM',
        review: { status: 'escalated', reason: 'Three trades just under the threshold in two days; escalated for a structuring review.' },
      },
    ],
  },
  {
    kind: 'paid_not_released',
    market: 'CO-TRANSFER',
    asset: 'BTC',
    usd: 3100,
    kyt: [{ pattern: { kind: 'exposure', category: 'scam', distance: 'direct' }, party: 'seller', level: 'HIGH', review: { status: 'in_review' } }],
    hold: true,
    lifecycle: { status: 'in_review', agent: 'bruno' },
    notes: [{ author: 'bruno', body: 'Receipt looks right, but the escrow is on a compliance hold: no verdict until Carla lifts it.' }],
  },
  {
    kind: 'seller_unresponsive',
    market: 'VE-PAGOMOVIL',
    asset: 'USDT',
    usd: 260,
    chatVariant: 1,
    kyt: [
      {
        pattern: { kind: 'velocity', trades: 8 },
        party: 'seller',
        level: 'LOW',
        review: { status: 'dismissed', reason: 'A merchant’s ordinary day: small Pago Móvil sales to different buyers. No action needed.' },
      },
    ],
  },
  {
    kind: 'paid_not_released',
    market: 'BR-PIX',
    asset: 'BTC',
    usd: 14_200,
    buyer: { traits: { accountAgeDays: 11, tradeCount: 2, priorDisputes: 0 } },
    kyt: [{ pattern: { kind: 'new_account' }, party: 'buyer', level: 'MEDIUM' }],
  },
  { kind: 'seller_unresponsive', market: 'MX-SPEI', asset: 'USDT', usd: 18_500, sla: 'soon' },
  {
    kind: 'paid_not_released',
    market: 'AR-TRANSFER',
    asset: 'USDT',
    usd: 12_300,
    // Established accounts: a young one trading this much would raise a new-account alert.
    buyer: { traits: { accountAgeDays: 540 } },
    seller: { traits: { accountAgeDays: 860 } },
    lifecycle: { status: 'pending_approval', agent: 'ana' },
    notes: [{ author: 'ana', body: 'Receipt and the seller’s statement match: CBU, amount and time. Proposed a release; it needs a supervisor’s approval (four-eyes).' }],
  },
  {
    kind: 'paid_not_released',
    market: 'CO-TRANSFER',
    asset: 'USDT',
    usd: 11_000,
    lifecycle: { status: 'resolved', agent: 'ana' },
    kyt: [{ pattern: { kind: 'rapid_in_out', minutes: 9 }, party: 'seller', level: 'HIGH' }],
  },
  { kind: 'mutual_cancellation', market: 'CO-NEQUI', asset: 'USDT', usd: 90 },
  { kind: 'mutual_cancellation', market: 'AR-MERCADOPAGO', asset: 'USDT', usd: 120, lifecycle: { status: 'resolved', agent: 'bruno' } },
  {
    kind: 'paid_not_released',
    market: 'VE-PAGOMOVIL',
    usd: 350,
    chatVariant: 2,
    buyer: { name: 'repeat-buyer-1' },
    seller: { name: 'repeat-seller-1' },
    lifecycle: { status: 'resolved', agent: 'ana' },
  },
  {
    kind: 'seller_unresponsive',
    market: 'VE-PAGOMOVIL',
    usd: 400,
    buyer: { name: 'repeat-buyer-1' },
    seller: { name: 'repeat-seller-1' },
    kyt: [{ pattern: { kind: 'circular' }, party: 'buyer', level: 'MEDIUM' }],
  },
  {
    kind: 'fake_receipt',
    market: 'VE-TRANSFER',
    asset: 'USDT',
    usd: 520,
    buyer: { name: 'repeat-buyer-2' },
    seller: { name: 'repeat-seller-2' },
    lifecycle: { status: 'resolved', agent: 'bruno' },
    kyt: [{ pattern: { kind: 'shared_receipt' }, party: 'buyer', level: 'HIGH' }],
  },
  { kind: 'buyer_unresponsive', market: 'VE-TRANSFER', usd: 610, chatVariant: 1, buyer: { name: 'repeat-buyer-2' }, seller: { name: 'repeat-seller-2' } },
  { kind: 'buyer_unresponsive', market: 'PE-TRANSFER', usd: 330, lifecycle: { status: 'resolved', agent: 'ana' } },
  {
    kind: 'paid_not_released',
    market: 'BR-PIX',
    asset: 'USDT',
    usd: 760,
    lifecycle: { status: 'in_review', agent: 'ana' },
    seller: { traits: { accountAgeDays: 12, tradeCount: 4 } },
    agentAskedProofOfLife: 'seller',
    notes: [{ author: 'ana', body: 'The PIX receipt looks genuine (end-to-end id format is right). Seller account is 12 days old: asked for a new Proof of Life before deciding.' }],
  },
  {
    kind: 'underpayment',
    market: 'CO-NEQUI',
    usd: 380,
    lifecycle: { status: 'in_review', agent: 'ana' },
    kyt: [{ pattern: { kind: 'shared_payout_account' }, party: 'seller', level: 'MEDIUM' }],
  },
  { kind: 'third_party', market: 'MX-SPEI', usd: 540, lifecycle: { status: 'in_review', agent: 'bruno' } },
  { kind: 'seller_unresponsive', market: 'VE-ZELLE', asset: 'USDT', usd: 450, sla: 'breached', lifecycle: { status: 'in_review', agent: 'bruno' } },
  { kind: 'paid_not_released', market: 'AR-MERCADOPAGO', usd: 230, sellerAskedProofOfLife: true },
  { kind: 'seller_unresponsive', market: 'MX-MERCADOPAGO', usd: 280, lifecycle: { status: 'resolved', agent: 'bruno' } },
];

/** Accounts old enough that a large trade raises no new-account alert. */
const ESTABLISHED = { buyer: { traits: { accountAgeDays: 610 } }, seller: { traits: { accountAgeDays: 940 } } } as const;
const decided = (agent: 'ana' | 'bruno', daysAgo: number, sentBack?: number) =>
  ({ status: 'resolved', agent, daysAgo, ...(sentBack ? { sentBack } : {}) }) as const;

/**
 * The verdict history a supervisor reads (issue #9): disputes Ana and Bruno decided over the last four
 * weeks, releases and refunds, four-eyes ones approved by Sofia (two of them sent back once first), and
 * two more proposals awaiting approval. They come after the routine disputes so that every earlier case
 * keeps its id.
 */
export const HISTORY: readonly CaseSpec[] = [
  { kind: 'paid_not_released', market: 'VE-PAGOMOVIL', asset: 'USDT', usd: 210, lifecycle: decided('ana', 1) },
  { kind: 'buyer_unresponsive', market: 'CO-NEQUI', asset: 'USDT', usd: 160, lifecycle: decided('bruno', 1) },
  { kind: 'paid_not_released', market: 'BR-PIX', asset: 'USDT', usd: 11_800, ...ESTABLISHED, lifecycle: decided('bruno', 2, 1) },
  { kind: 'underpayment', market: 'MX-SPEI', asset: 'USDT', usd: 480, lifecycle: decided('ana', 3) },
  { kind: 'seller_unresponsive', market: 'PE-TRANSFER', asset: 'USDC', usd: 320, lifecycle: decided('bruno', 4) },
  { kind: 'fake_receipt', market: 'VE-TRANSFER', asset: 'USDT', usd: 560, lifecycle: decided('ana', 5) },
  { kind: 'paid_not_released', market: 'AR-TRANSFER', asset: 'USDT', usd: 10_600, ...ESTABLISHED, lifecycle: decided('ana', 6) },
  { kind: 'third_party', market: 'CO-TRANSFER', asset: 'USDT', usd: 700, lifecycle: decided('bruno', 8) },
  { kind: 'paid_not_released', market: 'MX-MERCADOPAGO', asset: 'USDT', usd: 260, lifecycle: decided('ana', 9) },
  { kind: 'mutual_cancellation', market: 'AR-MERCADOPAGO', asset: 'USDT', usd: 140, lifecycle: decided('bruno', 10) },
  { kind: 'seller_unresponsive', market: 'CO-TRANSFER', asset: 'BTC', usd: 12_900, ...ESTABLISHED, lifecycle: decided('ana', 12, 1) },
  { kind: 'buyer_unresponsive', market: 'VE-PAGOMOVIL', asset: 'USDT', usd: 230, lifecycle: decided('ana', 13) },
  { kind: 'paid_not_released', market: 'PE-TRANSFER', asset: 'USDT', usd: 390, lifecycle: decided('bruno', 15) },
  { kind: 'underpayment', market: 'BR-PIX', asset: 'USDT', usd: 850, lifecycle: decided('bruno', 17) },
  { kind: 'edited_amount', market: 'CO-NEQUI', asset: 'USDT', usd: 440, lifecycle: decided('ana', 19) },
  { kind: 'paid_not_released', market: 'VE-ZELLE', asset: 'USDT', usd: 15_200, ...ESTABLISHED, lifecycle: decided('bruno', 21) },
  { kind: 'seller_unresponsive', market: 'MX-SPEI', asset: 'USDT', usd: 610, lifecycle: decided('ana', 23) },
  { kind: 'fake_receipt', market: 'BR-PIX', asset: 'USDT', usd: 520, lifecycle: decided('bruno', 25) },
  { kind: 'paid_not_released', market: 'MX-SPEI', asset: 'USDT', usd: 13_400, ...ESTABLISHED, lifecycle: { status: 'pending_approval', agent: 'bruno' } },
  { kind: 'buyer_unresponsive', market: 'CO-TRANSFER', asset: 'USDT', usd: 10_900, ...ESTABLISHED, lifecycle: { status: 'pending_approval', agent: 'ana' } },
];

export const DEMO_CASE_COUNT = ROUTINE_UNTIL + HISTORY.length;

export const ROUTINE_KINDS: readonly (readonly [ScenarioKind, number])[] = [
  ['paid_not_released', 40],
  ['seller_unresponsive', 25],
  ['buyer_unresponsive', 20],
  ['underpayment', 15],
];

/**
 * An everyday open dispute: one of the common scenarios in a market drawn by its share of disputes. Half
 * the sellers are the market's busy merchants, who see a dispute every few hundred trades.
 */
function routineSpec(prng: Prng): CaseSpec {
  const market = prng.weighted(MARKETS.map((candidate) => [candidate, candidate.weight] as const));
  const merchant = prng.chance(0.5)
    ? {
        name: `merchant:${market.country}:${prng.int(1, 2)}`,
        traits: { accountAgeDays: prng.int(600, 1500), tradeCount: prng.int(900, 4200), priorDisputes: prng.int(4, 18) },
      }
    : undefined;
  return {
    kind: prng.weighted(ROUTINE_KINDS),
    market: market.key,
    chatVariant: prng.int(0, 2),
    sellerAskedProofOfLife: prng.chance(0.12),
    ...(merchant ? { seller: merchant } : {}),
  };
}

/** The whole demo data set for a seeding at `now`. Pure: the same inputs always give the same plan. */
export function buildDemoPlan(now: Date, config: Pick<ServerConfig, 'usdRates' | 'fourEyesThresholdUsd'>): DemoPlan {
  const files = new Map<string, EvidenceSource>();
  const checkIds = new IdSequence('LVC', 100001);
  const parties = new PartyRegistry(now, files, checkIds);
  const builder = new DemoCaseBuilder(now, config, parties, files, checkIds);
  const prng = new Prng(DEMO_SEED);
  const specs = [...FEATURED];
  while (specs.length < ROUTINE_UNTIL) specs.push(routineSpec(prng));
  specs.push(...HISTORY);
  const cases = specs.map((spec, index) => builder.build(spec, FIRST_DEMO_CASE + index));
  const history = planKytHistory(now, config, MARKETS, parties, cases, specs);
  // A history of disputes implies at least a few trades per dispute.
  for (const party of parties.all) party.tradeCount = Math.max(party.tradeCount, party.disputeCount * 4);
  return { parties: parties.all, cases, files, ...history };
}
