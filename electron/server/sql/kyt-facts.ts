// What the KYT engine reads, loaded from the store: trades with the instruments they used (addresses,
// receiving account, the buyer's receipts) and how their dispute ended, the parties, the risk list and the
// on-chain hops. One pass per table whatever the number of trades (the monitor runs over the 100,000-case
// load seed), or, for the monitor's incremental run, only the trades of a few parties.
import { assetDecimals, fromMinorUnits, type Asset } from '../../../shared/domain/money';
import type { Db } from '../db/open';
import type { AddressHop, KytFacts, PartyFact, RiskAddress, TradeFact } from '../kyt/engine/types';
import { prepared } from './statements';

/** US cents of a fiat amount in its minor units, at the configured rates. */
export type UsdCents = (fiatCurrency: string, fiatMinor: bigint) => number;

interface TradeFactRow {
  id: string;
  caseId: string | null;
  at: string;
  buyerId: string;
  sellerId: string;
  asset: Asset;
  amountMinor: number | bigint;
  fiatCurrency: string;
  fiatMinor: number | bigint;
  depositAddress: string | null;
  payoutAddress: string | null;
  payoutAccount: string | null;
  outcome: 'release' | 'refund' | null;
}

// The dispute's executed verdict names the loser: a release goes against the seller, a refund the buyer.
const TRADE_SELECT = `
  SELECT t.id, c.id AS caseId, t.created_at AS at, t.buyer_id AS buyerId, t.seller_id AS sellerId, t.asset,
         t.amount_minor AS amountMinor, t.fiat_currency AS fiatCurrency, t.fiat_amount_minor AS fiatMinor,
         t.deposit_address AS depositAddress, t.payout_address AS payoutAddress, t.payout_account AS payoutAccount,
         v.outcome
  FROM trades t
  LEFT JOIN cases c ON c.trade_id = t.id
  LEFT JOIN verdicts v ON v.case_id = c.id AND v.state = 'executed'`;

const PARTY_TRADES = `
  WHERE t.id IN (SELECT id FROM trades WHERE buyer_id IN (SELECT value FROM json_each(@parties))
                 UNION SELECT id FROM trades WHERE seller_id IN (SELECT value FROM json_each(@parties)))`;

// The receipts the buyer gave for each trade, as the platform recorded them when they were given (a
// dispute's evidence repeats them; the load seed's evidence is a pool of stand-in files shared by every
// case, which would read as one receipt passed around by thousands of buyers). A seller's upload
// (`trade.receipt` with uploadedBy 'seller', such as a bank statement showing nothing arrived) is not a
// payment the buyer claims: a seller using one statement for two trades passes no receipt around. Seeded
// rows predate the column (NULL) and are all the buyer's.
const BUYER_RECEIPT = "uploaded_by IS NOT 'seller'";
const RECEIPTS = `SELECT trade_id AS tradeId, sha256 FROM trade_receipts WHERE ${BUYER_RECEIPT}`;

function receiptsByTrade(rows: readonly { tradeId: string; sha256: string }[]): Map<string, string[]> {
  const byTrade = new Map<string, string[]>();
  for (const { tradeId, sha256 } of rows) {
    const list = byTrade.get(tradeId);
    if (list) list.push(sha256);
    else byTrade.set(tradeId, [sha256]);
  }
  return byTrade;
}

function toTradeFact(row: TradeFactRow, receipts: ReadonlyMap<string, string[]>, usdCents: UsdCents): TradeFact {
  const fiatMinor = BigInt(row.fiatMinor);
  return {
    id: row.id,
    caseId: row.caseId,
    at: row.at,
    buyerId: row.buyerId,
    sellerId: row.sellerId,
    asset: row.asset,
    amount: fromMinorUnits(BigInt(row.amountMinor), assetDecimals(row.asset)),
    fiatCurrency: row.fiatCurrency,
    fiatAmount: fromMinorUnits(fiatMinor, 2),
    usdCents: usdCents(row.fiatCurrency, fiatMinor),
    depositAddress: row.depositAddress,
    payoutAddress: row.payoutAddress,
    payoutAccount: row.payoutAccount,
    receiptSha256s: receipts.get(row.id) ?? [],
    disputeLoser: row.outcome === 'release' ? 'seller' : row.outcome === 'refund' ? 'buyer' : null,
  };
}

const PARTY_SELECT = 'SELECT id, display_name AS displayName, account_created_at AS accountCreatedAt FROM parties';

const riskAddresses = (db: Db) =>
  prepared(db, 'SELECT address, category, source FROM risk_addresses ORDER BY address').all() as RiskAddress[];

const addressHops = (db: Db) =>
  prepared(db, 'SELECT from_address AS "from", to_address AS "to" FROM address_hops').all() as AddressHop[];

/** Every trade the platform recorded, with everything the rules read. */
export function loadAllKytFacts(db: Db, usdCents: UsdCents): KytFacts {
  const receipts = receiptsByTrade(prepared(db, RECEIPTS).all() as { tradeId: string; sha256: string }[]);
  const rows = prepared(db, TRADE_SELECT).all() as TradeFactRow[];
  return {
    trades: rows.map((row) => toTradeFact(row, receipts, usdCents)),
    parties: prepared(db, PARTY_SELECT).all() as PartyFact[],
    riskAddresses: riskAddresses(db),
    hops: addressHops(db),
  };
}

/** Every trade of these parties (as buyer or seller), their counterparties, the risk list and the hops. */
export function loadKytFactsOfParties(db: Db, partyIds: readonly string[], usdCents: UsdCents): KytFacts {
  const parties = JSON.stringify(partyIds);
  const rows = prepared(db, `${TRADE_SELECT} ${PARTY_TRADES}`).all({ parties }) as TradeFactRow[];
  const tradeIds = JSON.stringify(rows.map((row) => row.id));
  const receipts = receiptsByTrade(
    prepared(db, `${RECEIPTS} AND trade_id IN (SELECT value FROM json_each(?))`).all(tradeIds) as {
      tradeId: string;
      sha256: string;
    }[],
  );
  const involved = new Set(partyIds);
  for (const row of rows) involved.add(row.buyerId).add(row.sellerId);
  return {
    trades: rows.map((row) => toTradeFact(row, receipts, usdCents)),
    parties: prepared(db, `${PARTY_SELECT} WHERE id IN (SELECT value FROM json_each(?))`).all(
      JSON.stringify([...involved]),
    ) as PartyFact[],
    riskAddresses: riskAddresses(db),
    hops: addressHops(db),
  };
}

/**
 * The parties who used an instrument that one of these parties' trades used: a buyer who gave the same
 * receipt file, a seller who gave the same receiving account. Rules about shared instruments need every
 * use of the instrument, so an incremental run loads these parties' trades too.
 */
export function partiesSharingInstruments(db: Db, partyIds: readonly string[]): string[] {
  const rows = prepared(
    db,
    `WITH own AS (SELECT id, payout_account FROM trades t ${PARTY_TRADES}),
          shas AS (SELECT sha256 FROM trade_receipts WHERE ${BUYER_RECEIPT} AND trade_id IN (SELECT id FROM own))
     SELECT t.buyer_id AS id FROM trade_receipts r JOIN trades t ON t.id = r.trade_id
     WHERE r.${BUYER_RECEIPT} AND r.sha256 IN (SELECT sha256 FROM shas)
     UNION
     SELECT seller_id FROM trades
     WHERE payout_account IN (SELECT payout_account FROM own WHERE payout_account IS NOT NULL)`,
  ).all({ parties: JSON.stringify(partyIds) }) as { id: string }[];
  return rows.map((row) => row.id);
}

/** The buyer and seller of each of these trades. */
export function partiesOfTrades(db: Db, tradeIds: readonly string[]): string[] {
  const rows = prepared(
    db,
    `SELECT buyer_id AS id FROM trades WHERE id IN (SELECT value FROM json_each(@trades))
     UNION SELECT seller_id FROM trades WHERE id IN (SELECT value FROM json_each(@trades))`,
  ).all({ trades: JSON.stringify(tradeIds) }) as { id: string }[];
  return rows.map((row) => row.id);
}
