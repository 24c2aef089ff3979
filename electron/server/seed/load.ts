// `--seed load --cases N`: N generated open disputes on top of the demo set, for benchmarks. 100,000 must
// seed in under a minute, so this path writes rows with prepared statements in a few big transactions and
// builds each case's feed row in JavaScript instead of reading it back (load-detail.ts produces exactly
// what readCaseDetail would; a test holds it to that). Resumable: each batch records its progress.
import { appendAudit } from '../audit/chain';
import { requiresFourEyes, usdEquivalent } from '../cases/create';
import type { ServerContext } from '../context';
import { escrowAccount, partyAccount } from '../ledger/escrow';
import { marketPrice, partialFiat, retailUsd, tradeAmounts } from './amounts';
import { EMPTY_FACTS, type ChatFacts, type ScenarioKind } from './chat';
import { chatFor } from './chat-scripts';
import { ROUTINE_KINDS } from './demo-plan';
import { formatCrypto, formatFiat, methodLabel } from './format';
import { loadCaseDetail, type LoadCaseRows } from './load-detail';
import {
  loadParties,
  loadPartyCount,
  loadPartyCountries,
  storeLoadFilePool,
  type LoadFilePool,
  type LoadParty,
} from './load-world';
import { readSeedMarker, writeSeedMarker } from './marker';
import { paymentAccount, receivingDetails } from './people';
import { paymentReference, receiptFileName } from './paperwork';
import { Prng } from './prng';
import { SCENARIOS } from './scenarios';
import { chatMoments, lineTime, slaTimes } from './timeline';
import { ASSET_WEIGHTS, localeOf, MARKETS, type Country } from './world';
import { fromMinorUnits, toMinorUnits, FIAT_DECIMALS } from '../../../shared/domain/money';
import type { SeedLogger } from './index';

export const FIRST_LOAD_CASE = 200001;
const BATCH_SIZE = 10_000;

interface Picks {
  markets: Uint8Array;
  buyers: Int32Array;
  sellers: Int32Array;
  /** How many load cases each party is in. */
  disputesIn: Int32Array;
}

/** Who trades with whom in which market, for every case up front: parties' dispute counts need it. */
function pickParticipants(cases: number, countries: readonly Country[]): Picks {
  const byCountry = new Map<Country, number[]>();
  countries.forEach((country, index) => byCountry.set(country, [...(byCountry.get(country) ?? []), index]));
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
    const buyerAt = prng.int(0, local.length - 1);
    const sellerAt = (buyerAt + prng.int(1, local.length - 1)) % local.length;
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
    sellerAccount: receivingDetails(market, paymentAccount(seller.person, seller.id, market), seller.person),
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

function loadStatements(ctx: ServerContext) {
  const db = ctx.db;
  return {
    party: db.prepare(
      `INSERT INTO parties (id, display_name, kyc_status, country, account_created_at, trade_count, dispute_count)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    check: db.prepare(
      `INSERT INTO liveness_checks (id, party_id, case_id, trigger, status, liveness_score, face_match_score, document_type,
                                    id_photo, frames, error_code, provider, provider_verification_id, requested_by,
                                    created_at, completed_at)
       VALUES (?, ?, NULL, 'onboarding', ?, ?, ?, ?, ?, ?, NULL, 'metamap', ?, NULL, ?, ?)`,
    ),
    trade: db.prepare(
      `INSERT INTO trades (id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor, price,
                           payment_method, created_at, paid_at, disputed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    escrow: db.prepare(`INSERT INTO escrows (id, trade_id, asset, amount_minor, state, updated_at) VALUES (?, ?, ?, ?, 'held', ?)`),
    ledger: db.prepare(
      `INSERT INTO ledger_entries (movement_id, escrow_id, account, asset, amount_minor, kind, at) VALUES (?, ?, ?, ?, ?, 'lock', ?)`,
    ),
    dispute: db.prepare(
      `INSERT INTO cases (id, trade_id, escrow_id, status, reason, opened_by, opened_at, sla_due_at, four_eyes, usd_equivalent, updated_at)
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?)`,
    ),
    message: db.prepare('INSERT INTO messages (id, case_id, sender, author_id, body, evidence, at) VALUES (?, ?, ?, NULL, ?, ?, ?)'),
    evidence: db.prepare(
      'INSERT INTO case_evidence (case_id, sha256, kind, uploader, file_name, uploaded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    change: db.prepare("INSERT INTO changes (type, entity_id, data, at) VALUES ('case', ?, ?, ?)"),
  };
}

function writeParties(statements: ReturnType<typeof loadStatements>, parties: readonly LoadParty[]): void {
  for (const party of parties) {
    statements.party.run(
      party.id,
      party.person.displayName,
      party.kycStatus,
      party.person.country,
      party.accountCreatedAt,
      party.tradeCount,
      party.disputeCount,
    );
    const check = party.check;
    statements.check.run(
      check.id,
      party.id,
      check.status,
      check.livenessScore,
      check.faceMatchScore,
      party.person.documentType,
      check.idPhoto,
      JSON.stringify([check.frame]),
      check.providerVerificationId,
      check.createdAt,
      check.completedAt,
    );
  }
}

function writeCase(statements: ReturnType<typeof loadStatements>, rows: LoadCaseRows, detailJson: string, now: string): void {
  statements.trade.run(
    rows.tradeId,
    rows.buyer.id,
    rows.seller.id,
    rows.asset,
    rows.amountMinor,
    rows.fiatCurrency,
    rows.fiatMinor,
    rows.price,
    rows.paymentMethod,
    rows.tradeCreatedAt,
    rows.paidAt,
    rows.openedAt,
  );
  statements.escrow.run(rows.escrowId, rows.tradeId, rows.asset, rows.amountMinor, rows.tradeCreatedAt);
  // The lock movement, as lockEscrow writes it: out of the seller's account into the escrow's.
  const movementId = `MOV-LOCK-${rows.escrowId}`;
  statements.ledger.run(movementId, rows.escrowId, partyAccount(rows.seller.id), rows.asset, -rows.amountMinor, rows.tradeCreatedAt);
  statements.ledger.run(movementId, rows.escrowId, escrowAccount(rows.escrowId), rows.asset, rows.amountMinor, rows.tradeCreatedAt);
  statements.dispute.run(
    rows.id,
    rows.tradeId,
    rows.escrowId,
    rows.reason,
    rows.openedBy,
    rows.openedAt,
    rows.slaDueAt,
    rows.fourEyes ? 1 : 0,
    rows.usdEquivalent,
    rows.openedAt,
  );
  for (const message of rows.messages) {
    statements.message.run(message.id, rows.id, message.sender, message.body, JSON.stringify(message.evidence), message.at);
  }
  for (const item of rows.evidence) {
    statements.evidence.run(rows.id, item.sha256, item.kind, item.uploader, item.fileName, item.uploadedAt);
  }
  statements.change.run(rows.id, detailJson, now);
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
  const detailContext = { now, fourEyesThresholdUsd: ctx.config.fourEyesThresholdUsd };
  const nowIso = ctx.now().toISOString();
  for (let from = marker?.written ?? 0; from < target; from += batchSize) {
    ctx.write(() => {
      const statements = loadStatements(ctx);
      if (!pool) {
        pool = storeLoadFilePool(ctx.db, now, ctx.config);
        parties = loadParties(now, countries, picks.disputesIn, pool);
        if (from === 0) writeParties(statements, parties);
      }
      const until = Math.min(target, from + batchSize);
      for (let index = from; index < until; index++) {
        const rows = generateLoadCase(index, now, ctx.config, picks, parties, pool);
        writeCase(statements, rows, JSON.stringify(loadCaseDetail(rows, detailContext)), nowIso);
      }
      ctx.markChanged();
      writeSeedMarker(ctx.db, 'load', { seededAt: now.toISOString(), count: target, written: until });
      if (until === target) {
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
