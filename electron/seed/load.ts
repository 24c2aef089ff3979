// `--seed load --cases N`: N generated open disputes on top of the demo set, for benchmarks. 100,000 must
// seed in under a minute, so this path writes through the server's repositories in a few big transactions
// and reads each batch's feed rows back with one readCaseDetails per batch. Resumable: each batch records
// its progress. The last batch runs the KYT monitor over every trade, so the engine has a market's worth
// of trades to read: each load trade carries its wallets and receiving account, and a few parties trade in
// bursts (structuring, velocity) without a dispute.
import { appendAudit } from '../server/audit/chain';
import { requiresFourEyes, usdEquivalent } from '../server/cases/create';
import type { Evidence } from '../../shared/api/types';
import type { MessageSender } from '../../shared/domain/dispute';
import type { ServerContext } from '../server/context';
import { recordCaseChanges } from '../server/feed/changes';
import { escrowAccount, partyAccount } from '../server/ledger/escrow';
import type { Db } from '../server/db/open';
import { insertCase, insertTrade } from '../server/sql/cases';
import { insertEscrow, insertLedgerEntry } from '../server/sql/escrow';
import { insertCaseEvidence } from '../server/sql/evidence';
import { insertLivenessCheck } from '../server/sql/liveness';
import { insertMessage } from '../server/sql/messages';
import { insertParty } from '../server/sql/parties';
import { marketPrice, partialFiat, retailUsd, tradeAmounts } from './amounts';
import { EMPTY_FACTS, type ChatFacts, type ScenarioKind } from './chat';
import { chatFor } from './chat-scripts';
import { ROUTINE_KINDS } from './demo-plan';
import { formatCrypto, formatFiat, methodLabel } from './format';
import {
  loadParties,
  loadPartyCount,
  loadPartyCountries,
  storeLoadFilePool,
  type LoadFilePool,
  type LoadParty,
} from './load-world';
import { readSeedMarker, writeSeedMarker } from './marker';
import { partyRecord, paymentAccount, receivingDetails } from './people';
import { paymentReference, receiptFileName } from './paperwork';
import { Prng } from './prng';
import { SCENARIOS } from './scenarios';
import { chatMoments, lineTime, slaTimes } from './timeline';
import { walletAddress } from './wallets';
import { ASSET_WEIGHTS, localeOf, MARKETS, type Country } from './world';
import { fromMinorUnits, toMinorUnits, FIAT_DECIMALS, type Asset } from '../../shared/domain/money';
import { monitorWithinWrite } from '../server/kyt/monitor';
import type { SeedLogger } from './index';

export const FIRST_LOAD_CASE = 200001;
const BATCH_SIZE = 10_000;

/** One generated case: open, unassigned, with its parties' chat and the pool files they attached. */
interface LoadCaseRows {
  id: string;
  tradeId: string;
  escrowId: string;
  buyer: LoadParty;
  seller: LoadParty;
  asset: string;
  amountMinor: bigint;
  fiatCurrency: string;
  fiatMinor: bigint;
  price: string;
  paymentMethod: string;
  depositAddress: string;
  payoutAddress: string;
  payoutAccount: string;
  tradeCreatedAt: string;
  paidAt: string;
  openedAt: string;
  slaDueAt: string;
  reason: string;
  openedBy: 'buyer' | 'seller';
  fourEyes: boolean;
  usdEquivalent: string;
  messages: { id: string; sender: MessageSender; body: string; at: string; evidence: string[] }[];
  evidence: Evidence[];
}

interface Picks {
  markets: Uint8Array;
  buyers: Int32Array;
  sellers: Int32Array;
  /** How many load cases each party is in. */
  disputesIn: Int32Array;
}

/**
 * Who trades with whom in which market, for every case up front: parties' dispute counts need it. Half of
 * each country's parties buy and the other half sell (retail buyers, merchants), as on a real P2P market;
 * a party that did both within the hour would rightly be a rapid in-out alert.
 */
function pickParticipants(cases: number, countries: readonly Country[]): Picks {
  const byCountry = new Map<Country, number[]>();
  countries.forEach((country, index) => {
    const local = byCountry.get(country);
    if (local) local.push(index);
    else byCountry.set(country, [index]);
  });
  const weightedMarkets = MARKETS.map((market, index) => [index, market.weight] as const);
  const picks: Picks = {
    markets: new Uint8Array(cases),
    buyers: new Int32Array(cases),
    sellers: new Int32Array(cases),
    disputesIn: new Int32Array(countries.length),
  };
  for (let i = 0; i < cases; i++) {
    const prng = new Prng(`load-pick:${i}`);
    const marketIndex = prng.weighted(weightedMarkets);
    const local = byCountry.get(MARKETS[marketIndex]!.country)!;
    const buyerAt = 2 * prng.int(0, Math.floor((local.length - 1) / 2));
    const sellerAt = 2 * prng.int(0, Math.floor((local.length - 2) / 2)) + 1;
    picks.markets[i] = marketIndex;
    picks.buyers[i] = local[buyerAt]!;
    picks.sellers[i] = local[sellerAt]!;
    picks.disputesIn[local[buyerAt]!]! += 1;
    picks.disputesIn[local[sellerAt]!]! += 1;
  }
  return picks;
}

/** Generates the rows of load case `index` (0-based). Deterministic: a function of the index and `now`. */
function generateLoadCase(
  index: number,
  now: Date,
  config: ServerContext['config'],
  picks: Picks,
  parties: readonly LoadParty[],
  pool: LoadFilePool,
  wallets: Wallets,
): LoadCaseRows {
  const number = FIRST_LOAD_CASE + index;
  const prng = new Prng(`load-case:${index}`);
  const market = MARKETS[picks.markets[index]!]!;
  const locale = localeOf(market.country);
  const buyer = parties[picks.buyers[index]!]!;
  const seller = parties[picks.sellers[index]!]!;
  const kind: ScenarioKind = prng.weighted(ROUTINE_KINDS);
  const scenario = SCENARIOS[kind];
  const asset = prng.weighted(ASSET_WEIGHTS);
  const amounts = tradeAmounts(asset, marketPrice(asset, market, config.usdRates, prng.int(-60, 60)), retailUsd(prng));
  const usd = usdEquivalent(config, market.currency, amounts.fiatAmount);
  const fourEyes = requiresFourEyes(config, usd);
  const { openedAt, slaDueAt } = slaTimes(prng, now, { decided: false, longWindow: fourEyes });
  const variant = prng.int(0, 2);
  const moments = chatMoments(prng, chatFor(locale, kind, variant, EMPTY_FACTS), openedAt);
  const sellerAccount = paymentAccount(seller.person, seller.id, market);
  const receiptAmount = scenario.receipt === 'partial' ? partialFiat(amounts.fiatMinor, prng.int(78, 93)) : amounts.fiatAmount;
  const facts: ChatFacts = {
    buyer: buyer.person.firstName,
    seller: seller.person.firstName,
    buyerName: buyer.person.displayName,
    sellerName: seller.person.displayName,
    crypto: formatCrypto(amounts.amount, asset),
    asset,
    fiat: formatFiat(amounts.fiatAmount, market.currency),
    receiptFiat: formatFiat(receiptAmount, market.currency),
    shortFiat: formatFiat(
      fromMinorUnits(amounts.fiatMinor - toMinorUnits(receiptAmount, FIAT_DECIMALS), FIAT_DECIMALS),
      market.currency,
    ),
    method: methodLabel(market.method, locale),
    sellerAccount: receivingDetails(market, sellerAccount, seller.person),
    receiptAccount: '',
    receiptPayer: '',
    reference: paymentReference(prng, market, moments.paidAt),
    openedBy: scenario.openedBy,
  };
  const receipt = pool.receipts.get(market.key)!;
  const statement = pool.statements.get(locale)!;
  const evidence: LoadCaseRows['evidence'] = [];
  const timed = chatFor(locale, kind, variant, facts).map((line) => ({ line, at: lineTime(moments, line) }));
  timed.sort((a, b) => a.at.getTime() - b.at.getTime());
  const messages = timed.map(({ line, at }, position) => {
    const file = line.attach === 'receipt' ? receipt : line.attach === 'statement' ? statement : null;
    if (file) {
      evidence.push({
        sha256: file.sha256,
        kind: line.attach === 'receipt' ? 'receipt' : 'statement',
        mime: file.mime,
        size: file.size,
        uploader: line.from === 'seller' ? 'seller' : 'buyer',
        uploadedAt: at.toISOString(),
        fileName:
          file.format === 'pdf'
            ? `${locale === 'pt' ? 'extrato' : 'extracto'}_${at.toISOString().slice(0, 10)}.pdf`
            : receiptFileName(prng, file.format, at, market.country),
      });
    }
    return {
      id: `MSG-${number}-${String(position + 1).padStart(2, '0')}`,
      sender: line.from,
      body: line.text,
      at: at.toISOString(),
      evidence: file ? [file.sha256] : [],
    };
  });
  return {
    id: `DSP-${number}`,
    tradeId: `TRD-${number}`,
    escrowId: `ESC-${number}`,
    buyer,
    seller,
    asset,
    amountMinor: amounts.amountMinor,
    fiatCurrency: market.currency,
    fiatMinor: amounts.fiatMinor,
    price: amounts.price,
    paymentMethod: market.method,
    depositAddress: wallets.of(seller.id, asset),
    payoutAddress: wallets.of(buyer.id, asset),
    payoutAccount: sellerAccount.account,
    tradeCreatedAt: moments.tradeCreatedAt.toISOString(),
    paidAt: moments.paidAt.toISOString(),
    openedAt: openedAt.toISOString(),
    slaDueAt: slaDueAt.toISOString(),
    reason: scenario.reason({
      fiat: facts.fiat,
      method: market.method,
      receiptFiat: facts.receiptFiat,
      receiptPayer: '',
      receiptAccount: '',
      reference: facts.reference,
      otherCaseId: '',
    }),
    openedBy: scenario.openedBy,
    fourEyes,
    usdEquivalent: usd,
    messages,
    evidence,
  };
}

function writeParties(db: Db, parties: readonly LoadParty[]): void {
  for (const party of parties) {
    insertParty(db, partyRecord(party));
    const check = party.check;
    insertLivenessCheck(db, {
      id: check.id,
      partyId: party.id,
      caseId: null,
      trigger: 'onboarding',
      status: check.status,
      livenessScore: check.livenessScore,
      faceMatchScore: check.faceMatchScore,
      documentType: party.person.documentType,
      idPhoto: check.idPhoto,
      frames: [check.frame],
      errorCode: null,
      providerVerificationId: check.providerVerificationId,
      requestedBy: null,
      createdAt: check.createdAt,
      completedAt: check.completedAt,
    });
  }
}

function writeCase(db: Db, rows: LoadCaseRows): void {
  insertTrade(db, {
    id: rows.tradeId,
    buyerId: rows.buyer.id,
    sellerId: rows.seller.id,
    asset: rows.asset,
    amountMinor: rows.amountMinor,
    fiatCurrency: rows.fiatCurrency,
    fiatAmountMinor: rows.fiatMinor,
    price: rows.price,
    paymentMethod: rows.paymentMethod,
    createdAt: rows.tradeCreatedAt,
    paidAt: rows.paidAt,
    disputedAt: rows.openedAt,
    depositAddress: rows.depositAddress,
    payoutAddress: rows.payoutAddress,
    payoutAccount: rows.payoutAccount,
  });
  insertEscrow(db, { id: rows.escrowId, tradeId: rows.tradeId, asset: rows.asset, amountMinor: rows.amountMinor, at: rows.tradeCreatedAt });
  // The lock movement, as lockEscrow writes it (out of the seller's account into the escrow's), with an id
  // derived from the escrow's so that a resumed run writes the same rows.
  const lock = { movementId: `MOV-LOCK-${rows.escrowId}`, escrowId: rows.escrowId, asset: rows.asset, kind: 'lock' as const, at: rows.tradeCreatedAt };
  insertLedgerEntry(db, { ...lock, account: partyAccount(rows.seller.id), amountMinor: -rows.amountMinor });
  insertLedgerEntry(db, { ...lock, account: escrowAccount(rows.escrowId), amountMinor: rows.amountMinor });
  insertCase(db, {
    id: rows.id,
    tradeId: rows.tradeId,
    escrowId: rows.escrowId,
    reason: rows.reason,
    openedBy: rows.openedBy,
    openedAt: rows.openedAt,
    slaDueAt: rows.slaDueAt,
    fourEyes: rows.fourEyes,
    usdEquivalent: rows.usdEquivalent,
  });
  for (const message of rows.messages) {
    insertMessage(db, { ...message, caseId: rows.id, authorId: null });
  }
  for (const item of rows.evidence) {
    insertCaseEvidence(db, {
      caseId: rows.id,
      sha256: item.sha256,
      kind: item.kind,
      uploader: item.uploader,
      fileName: item.fileName,
      at: item.uploadedAt,
    });
  }
}

/** Each party's wallet per asset, drawn once: a party funds and withdraws from the same address. */
class Wallets {
  private readonly known = new Map<string, string>();
  of(partyId: string, asset: Asset): string {
    const key = `${partyId}:${asset}`;
    let found = this.known.get(key);
    if (!found) {
      found = walletAddress(partyId, asset);
      this.known.set(key, found);
    }
    return found;
  }
}

/** One party in this many trades in a burst; the two kinds alternate. */
const BURST_EVERY = 250;

/**
 * Trades without a dispute for a few parties, in the patterns transaction monitoring looks for: three
 * purchases just under the 10,000 USD reporting threshold in two days (structuring), or a dozen small
 * sales in a day (velocity). The counterparty is the next party of the same country.
 */
function writeBursts(db: Db, now: Date, config: ServerContext['config'], parties: readonly LoadParty[], wallets: Wallets): void {
  for (let index = 0; index < parties.length; index += BURST_EVERY) {
    const party = parties[index]!;
    const peer = parties.slice(index + 1).find((candidate) => candidate.person.country === party.person.country);
    if (!peer) continue;
    const prng = new Prng(`load-burst:${party.id}`);
    const market = prng.pick(MARKETS.filter((candidate) => candidate.country === party.person.country));
    const structuring = (index / BURST_EVERY) % 2 === 0;
    const count = structuring ? 3 : 12;
    for (let k = 0; k < count; k++) {
      const asset: Asset = structuring ? 'USDT' : prng.weighted(ASSET_WEIGHTS);
      const usd = structuring ? prng.int(9_150, 9_650) : prng.int(30, 250);
      const amounts = tradeAmounts(asset, marketPrice(asset, market, config.usdRates, prng.int(-40, 40)), usd);
      const hoursAgo = structuring ? 30 + k * 14 : 26 + k * 1.5;
      const at = new Date(now.getTime() - hoursAgo * 3_600_000 - prng.int(0, 50) * 60_000).toISOString();
      const [buyer, seller] = structuring ? [party, peer] : [peer, party];
      insertTrade(db, {
        id: `TRD-B${party.id.slice(4)}-${k + 1}`,
        buyerId: buyer.id,
        sellerId: seller.id,
        asset,
        amountMinor: amounts.amountMinor,
        fiatCurrency: market.currency,
        fiatAmountMinor: amounts.fiatMinor,
        price: amounts.price,
        paymentMethod: market.method,
        createdAt: at,
        paidAt: at,
        disputedAt: null,
        depositAddress: wallets.of(seller.id, asset),
        payoutAddress: wallets.of(buyer.id, asset),
        payoutAccount: paymentAccount(seller.person, seller.id, market).account,
      });
    }
  }
}

/**
 * Seeds `count` load cases unless they are there already; carries on after an interrupted run. Each batch
 * of `batchSize` cases is one transaction.
 */
export function seedLoadCases(ctx: ServerContext, count: number, log: SeedLogger, batchSize = BATCH_SIZE): void {
  if (count <= 0) return;
  const marker = readSeedMarker(ctx.db, 'load');
  if (marker && (marker.written ?? 0) >= marker.count) {
    log.info(`${marker.count} load cases already seeded at ${marker.seededAt}; nothing to do.`);
    return;
  }
  if (marker && marker.count !== count) {
    log.info(`Carrying on the interrupted load seed of ${marker.count} cases (asked for ${count}).`);
  }
  const started = performance.now();
  // A resumed run keeps the first run's clock, so its cases are the ones the first run would have written.
  const now = marker ? new Date(marker.seededAt) : ctx.now();
  const target = marker?.count ?? count;
  const countries = loadPartyCountries(loadPartyCount(target));
  const picks = pickParticipants(target, countries);
  let pool: LoadFilePool | null = null;
  let parties: LoadParty[] = [];
  const wallets = new Wallets();
  for (let from = marker?.written ?? 0; from < target; from += batchSize) {
    ctx.write(() => {
      if (!pool) {
        pool = storeLoadFilePool(ctx.db, now, ctx.config);
        parties = loadParties(now, countries, picks.disputesIn, pool);
        if (from === 0) {
          writeParties(ctx.db, parties);
          writeBursts(ctx.db, now, ctx.config, parties, wallets);
        }
      }
      const until = Math.min(target, from + batchSize);
      const caseIds: string[] = [];
      for (let index = from; index < until; index++) {
        const rows = generateLoadCase(index, now, ctx.config, picks, parties, pool, wallets);
        writeCase(ctx.db, rows);
        caseIds.push(rows.id);
      }
      // Account ages are as of the seed's clock, which a resumed run keeps.
      recordCaseChanges(ctx, caseIds, { bumpVersion: false, readAt: now });
      writeSeedMarker(ctx.db, 'load', { seededAt: now.toISOString(), count: target, written: until });
      if (until === target) {
        // In the last batch's write, so that a seed marked complete has been monitored too.
        const monitored = monitorWithinWrite(ctx);
        log.info(`KYT monitor over ${monitored.evaluatedTrades} trades: ${monitored.raised.length} alerts, ${monitored.heldCases.length} holds.`);
        appendAudit(ctx.db, ctx.now(), {
          actor: 'system',
          action: 'seed.load',
          subject: 'load',
          data: { cases: target, parties: parties.length, firstCase: `DSP-${FIRST_LOAD_CASE}` },
        });
      }
    });
  }
  log.info(`Seeded ${target} load cases in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
