// The world of the generated load cases: a pool of parties spread over the markets' countries, each with
// an onboarding check, and a small pool of pre-rendered files they all share (rendering one image per
// case would take longer than writing a hundred thousand cases).
import type { KycStatus } from '../../shared/domain/dispute';
import type { ServerConfig } from '../server/config';
import type { Db } from '../server/db/open';
import { putEvidence, type StoredEvidence } from '../server/evidence/store';
import { marketPrice, tradeAmounts } from './amounts';
import { metamapVerificationId } from './demo-parties';
import { localIso } from './format';
import { renderBankStatementPdf, renderIdPhotoPng, renderReceiptJpeg, renderReceiptPng, renderSelfieFramesJpeg, type ReceiptSpec } from './images';
import { paymentReference, sellerStatement } from './paperwork';
import { paymentAccount, personFor, syntheticPersonSpec, type Person } from './people';
import { Prng } from './prng';
import { localeOf, MARKETS, type Country } from './world';

const DAY_MS = 86_400_000;
const POOL_PEOPLE = 6;

export const FIRST_LOAD_PARTY = 200001;
export const FIRST_LOAD_CHECK = 200001;

export interface LoadParty {
  id: string;
  person: Person;
  kycStatus: KycStatus;
  accountCreatedAt: string;
  tradeCount: number;
  disputeCount: number;
  check: {
    id: string;
    status: KycStatus;
    livenessScore: number;
    faceMatchScore: number;
    idPhoto: string;
    frame: string;
    providerVerificationId: string;
    createdAt: string;
    completedAt: string;
  };
}

export interface PoolFile extends StoredEvidence {
  format: 'png' | 'jpeg' | 'pdf';
}

export interface LoadFilePool {
  /** One receipt per market, by market key. */
  receipts: Map<string, PoolFile>;
  /** One statement per chat language. */
  statements: Map<string, PoolFile>;
  idPhotos: StoredEvidence[];
  selfies: StoredEvidence[];
}

/** Countries in proportion to their markets' share of disputes, for handing out parties. */
function countryCycle(): Country[] {
  const weights = new Map<Country, number>();
  for (const market of MARKETS) weights.set(market.country, (weights.get(market.country) ?? 0) + market.weight);
  return [...weights].flatMap(([country, weight]) => Array<Country>(weight).fill(country));
}

// About two disputes per party over the day and a half the open disputes span: many more and every party
// would trade at a pace the KYT monitor rightly calls velocity, or pass crypto through within the hour.
export const loadPartyCount = (cases: number) => Math.max(200, cases);

/** Party j's country: every country gets parties as soon as there are a couple hundred of them. */
export function loadPartyCountries(parties: number): Country[] {
  const cycle = countryCycle();
  return Array.from({ length: parties }, (_, index) => cycle[index % cycle.length]!);
}

/** Renders and stores the shared files. Call inside a write transaction; storing twice is harmless. */
export function storeLoadFilePool(db: Db, now: Date, config: Pick<ServerConfig, 'usdRates'>): LoadFilePool {
  const receipts = new Map<string, PoolFile>();
  MARKETS.forEach((market, index) => {
    const prng = new Prng(`load-pool:${market.key}`);
    const [payerSeed, payeeSeed] = [`load-pool:payer:${market.key}`, `load-pool:payee:${market.key}`];
    const [payer, payee] = [personFor(payerSeed, market.country), personFor(payeeSeed, market.country)];
    const payerAccount = paymentAccount(payer, payerSeed, market);
    const amounts = tradeAmounts('USDT', marketPrice('USDT', market, config.usdRates, 0), 100 + 50 * index);
    const paidAt = new Date(now.getTime() - (index + 3) * 3_600_000);
    const spec: ReceiptSpec = {
      bank: payerAccount.bank,
      method: market.method,
      amount: amounts.fiatAmount,
      currency: market.currency,
      payerName: payer.fullName,
      payerAccount: payerAccount.account,
      payeeName: payee.fullName,
      payeeAccount: paymentAccount(payee, payeeSeed, market).account,
      reference: paymentReference(prng, market, paidAt),
      paidAt: localIso(paidAt, market.country),
      locale: localeOf(market.country),
      seed: `load-pool:${market.key}`,
    };
    const format = index % 3 === 2 ? 'jpeg' : 'png';
    const bytes = format === 'png' ? renderReceiptPng(spec) : renderReceiptJpeg(spec);
    receipts.set(market.key, { ...putEvidence(db, bytes, now), format });
  });
  const statements = new Map<string, PoolFile>();
  for (const marketKey of ['CO-NEQUI', 'BR-PIX']) {
    const market = MARKETS.find((candidate) => candidate.key === marketKey)!;
    const holder = personFor(`load-pool:holder:${market.key}`, market.country);
    const account = paymentAccount(holder, `load-pool:holder:${market.key}`, market);
    const spec = sellerStatement(new Prng(`load-pool:statement:${market.key}`), {
      market,
      locale: localeOf(market.country),
      holder: holder.fullName,
      bank: account.bank,
      accountNumber: account.account,
      tradeFiatMinor: 50_000_00n,
      others: [1, 2, 3].map((n) => personFor(`load-pool:other:${market.key}:${n}`, market.country).fullName),
      until: now,
      credit: null,
    });
    statements.set(localeOf(market.country), { ...putEvidence(db, renderBankStatementPdf(spec), now), format: 'pdf' });
  }
  const people = Array.from({ length: POOL_PEOPLE }, (_, index) => {
    const country = MARKETS[index % MARKETS.length]!.country;
    return syntheticPersonSpec(personFor(`load-pool:person:${index}`, country), `load-pool:person:${index}`);
  });
  return {
    receipts,
    statements,
    idPhotos: people.map((person) => putEvidence(db, renderIdPhotoPng(person), now)),
    selfies: people.map((person) => putEvidence(db, renderSelfieFramesJpeg(person, 1)[0]!, now)),
  };
}

/** The load parties, with dispute counts that include the load cases each one is in. */
export function loadParties(now: Date, countries: readonly Country[], disputesIn: Int32Array, pool: LoadFilePool): LoadParty[] {
  return countries.map((country, index) => {
    const number = FIRST_LOAD_PARTY + index;
    const id = `PTY-${number}`;
    const prng = new Prng(`load-party:${id}`);
    const person = personFor(`load:${id}`, country);
    const kycStatus: KycStatus = prng.chance(0.06) ? 'reviewNeeded' : 'verified';
    const ageDays = prng.int(15, 1600);
    const accountCreated = now.getTime() - ageDays * DAY_MS - prng.int(0, 86_399) * 1000;
    const checkCreated = accountCreated + prng.int(3, 40) * 60_000;
    const disputeCount = disputesIn[index]! + prng.weighted<number>([
      [0, 70],
      [1, 20],
      [2, 10],
    ]);
    const verified = kycStatus === 'verified';
    return {
      id,
      person,
      kycStatus,
      accountCreatedAt: new Date(accountCreated).toISOString(),
      tradeCount: Math.max(prng.int(3, Math.max(4, Math.round(ageDays * 0.9))), disputeCount * 4),
      disputeCount,
      check: {
        id: `LVC-${FIRST_LOAD_CHECK + index}`,
        status: kycStatus,
        livenessScore: verified ? prng.score(0.9, 0.99) : prng.score(0.55, 0.72),
        faceMatchScore: verified ? prng.score(0.86, 0.98) : prng.score(0.6, 0.74),
        idPhoto: pool.idPhotos[index % pool.idPhotos.length]!.sha256,
        frame: pool.selfies[index % pool.selfies.length]!.sha256,
        providerVerificationId: metamapVerificationId(prng),
        createdAt: new Date(checkCreated).toISOString(),
        completedAt: new Date(checkCreated + prng.int(60, 300) * 1000).toISOString(),
      },
    };
  });
}
