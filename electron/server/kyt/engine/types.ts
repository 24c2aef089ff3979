// What the KYT engine reads and what it answers. The engine is pure: the caller loads the facts (trades,
// parties, the address risk list and the on-chain hops between addresses) and stores the candidates; the
// same facts always give the same candidates, with the same dedupe keys.
import type { KytLevel } from '../../../../shared/domain/dispute';
import type { Asset } from '../../../../shared/domain/money';

/** One trade as the monitor sees it: who paid whom, how much, and which instruments were used. */
export interface TradeFact {
  id: string;
  /** The dispute opened on this trade, if any: an alert links to it. */
  caseId: string | null;
  at: string;
  buyerId: string;
  sellerId: string;
  asset: Asset;
  /** Decimal string in the asset's unit, as the API shows it. */
  amount: string;
  fiatCurrency: string;
  fiatAmount: string;
  /** The trade's worth in US cents at the configured demo rates. */
  usdCents: number;
  /** The address the seller funded the escrow from. */
  depositAddress: string | null;
  /** The address the buyer withdrew the released crypto to. */
  payoutAddress: string | null;
  /** The seller's receiving account for the fiat payment (bank or wallet account, normalised). */
  payoutAccount: string | null;
  /** sha256 of each payment receipt the buyer uploaded. */
  receiptSha256s: readonly string[];
  /** Which side lost the dispute on this trade, once decided. */
  disputeLoser: 'buyer' | 'seller' | null;
}

export interface PartyFact {
  id: string;
  displayName: string;
  accountCreatedAt: string;
}

export const RISK_CATEGORIES = ['sanctions', 'mixer', 'darknet', 'scam'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/** An address on the risk list (OFAC SDN, a known mixer, a darknet market, a reported scam). */
export interface RiskAddress {
  address: string;
  category: RiskCategory;
  /** Who listed it, in words: "OFAC SDN list", "Chainabuse report #…". */
  source: string;
}

/** Funds that moved on chain from one address to another: the graph indirect exposure walks. */
export interface AddressHop {
  from: string;
  to: string;
}

export interface KytFacts {
  trades: readonly TradeFact[];
  parties: readonly PartyFact[];
  riskAddresses: readonly RiskAddress[];
  hops: readonly AddressHop[];
}

export type Exposure = 'DIRECT' | 'INDIRECT';

/** An alert the engine wants raised. The store inserts it unless its dedupe key is already there. */
export interface AlertCandidate {
  dedupeKey: string;
  ruleId: string;
  ruleVersion: number;
  partyId: string;
  caseId: string | null;
  level: KytLevel;
  score: number;
  category: string;
  exposure: Exposure;
  asset: Asset;
  amount: string;
  /** Why it fired, in plain words with the facts (amounts, dates, counterparties). */
  details: string;
  /** The trades the alert is about, oldest first. */
  tradeIds: string[];
  windowStart: string;
  windowEnd: string;
}
