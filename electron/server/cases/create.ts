// Creating the world a dispute lives in: parties, a trade with its escrow locked, and the case itself.
// Used by the seed and by tests; the platform's trading side would call the same functions.
import { randomUUID } from 'node:crypto';
import type { KycStatus } from '../../../shared/domain/dispute';
import { assetDecimals, FIAT_DECIMALS, toMinorUnits } from '../../../shared/domain/money';
import type { ServerContext } from '../context';
import { recordCaseChange } from '../feed/changes';
import { linkAlertsToNewCase, monitorNewTrades } from '../kyt/monitor';
import { lockEscrow } from '../ledger/escrow';
import { insertCase, insertTrade, insertTradeReceipts } from '../sql/cases';
import { insertEscrow } from '../sql/escrow';
import { insertParty } from '../sql/parties';
import { requiresFourEyes, usdEquivalent } from './usd';

export { requiresFourEyes, usdEquivalent } from './usd';

export interface NewParty {
  id?: string;
  displayName: string;
  kycStatus: KycStatus;
  country: string;
  accountCreatedAt: Date;
  tradeCount: number;
  disputeCount: number;
}

export function createParty(ctx: ServerContext, party: NewParty): string {
  const id = party.id ?? `PTY-${randomUUID()}`;
  insertParty(ctx.db, {
    id,
    displayName: party.displayName,
    kycStatus: party.kycStatus,
    country: party.country,
    accountCreatedAt: party.accountCreatedAt.toISOString(),
    tradeCount: party.tradeCount,
    disputeCount: party.disputeCount,
  });
  return id;
}

/** A trade as the platform's trading side records it, with the instruments transaction monitoring follows. */
export interface NewTrade {
  tradeId?: string;
  buyerId: string;
  sellerId: string;
  asset: string;
  amount: string;
  fiatCurrency: string;
  fiatAmount: string;
  price: string;
  paymentMethod: string;
  tradeCreatedAt: Date;
  paidAt: Date | null;
  /** The address the seller funded the escrow from. */
  depositAddress?: string | null;
  /** The address the buyer withdrew the crypto to. */
  payoutAddress?: string | null;
  /** The seller's receiving account for the fiat payment. */
  payoutAccount?: string | null;
  /** sha256 of each payment receipt the buyer gave. */
  receiptSha256s?: readonly string[];
}

function insertNewTrade(ctx: ServerContext, trade: NewTrade, tradeId: string, disputedAt: string | null): void {
  insertTrade(ctx.db, {
    id: tradeId,
    buyerId: trade.buyerId,
    sellerId: trade.sellerId,
    asset: trade.asset,
    amountMinor: toMinorUnits(trade.amount, assetDecimals(trade.asset)),
    fiatCurrency: trade.fiatCurrency,
    fiatAmountMinor: toMinorUnits(trade.fiatAmount, FIAT_DECIMALS),
    price: trade.price,
    paymentMethod: trade.paymentMethod,
    createdAt: trade.tradeCreatedAt.toISOString(),
    paidAt: trade.paidAt?.toISOString() ?? null,
    disputedAt,
    depositAddress: trade.depositAddress ?? null,
    payoutAddress: trade.payoutAddress ?? null,
    payoutAccount: trade.payoutAccount ?? null,
  });
  insertTradeReceipts(ctx.db, tradeId, trade.receiptSha256s ?? []);
}

export interface RecordOptions {
  /**
   * Run transaction monitoring over the new trade's parties right away (the default). The seeds record
   * their whole history first and run the monitor once over it.
   */
  monitor?: boolean;
}

/** Records a trade that completed without a dispute. Call inside ctx.write(). */
export function recordTrade(ctx: ServerContext, trade: NewTrade, options: RecordOptions = {}): string {
  const tradeId = trade.tradeId ?? `TRD-${randomUUID()}`;
  // Checked before anything is written: a trade whose worth cannot be told cannot be monitored either.
  usdEquivalent(ctx.config, trade.fiatCurrency, trade.fiatAmount);
  insertNewTrade(ctx, trade, tradeId, null);
  if (options.monitor ?? true) monitorNewTrades(ctx, [tradeId]);
  return tradeId;
}

export interface NewDispute extends NewTrade {
  caseId?: string;
  escrowId?: string;
  openedAt: Date;
  slaDueAt: Date;
  reason: string;
  openedBy: 'buyer' | 'seller';
}

export interface OpenedDispute {
  caseId: string;
  tradeId: string;
  escrowId: string;
}

export interface OpenOptions extends RecordOptions {
  /**
   * Record the case's first feed row now (the default). The seed records it itself once the case's
   * messages, evidence and checks are in place, so the first feed row is already complete.
   */
  recordChange?: boolean;
}

/** The dispute on a trade whose escrow is already locked: what the case needs beyond the trade itself. */
export interface NewCase {
  caseId?: string;
  tradeId: string;
  escrowId: string;
  /** The trade's fiat side, which decides the case's USD worth and whether it needs four eyes. */
  fiatCurrency: string;
  fiatAmount: string;
  openedAt: Date;
  slaDueAt: Date;
  reason: string;
  openedBy: 'buyer' | 'seller';
}

/**
 * Opens the case of a dispute on an existing trade and escrow (the exchange's `dispute.opened`, or
 * openDispute below): the alerts transaction monitoring raised on the trade before join it (and an open
 * SEVERE or HIGH one holds its escrow), then it records its first feed row and runs transaction monitoring
 * over the trade's parties unless told otherwise. Call inside ctx.write(). Returns the case id.
 */
export function openCase(ctx: ServerContext, dispute: NewCase, options: OpenOptions = {}): string {
  const caseId = dispute.caseId ?? `DSP-${randomUUID()}`;
  const usd = usdEquivalent(ctx.config, dispute.fiatCurrency, dispute.fiatAmount);
  insertCase(ctx.db, {
    id: caseId,
    tradeId: dispute.tradeId,
    escrowId: dispute.escrowId,
    reason: dispute.reason,
    openedBy: dispute.openedBy,
    openedAt: dispute.openedAt.toISOString(),
    slaDueAt: dispute.slaDueAt.toISOString(),
    fourEyes: requiresFourEyes(ctx.config, usd),
    usdEquivalent: usd,
  });
  linkAlertsToNewCase(ctx, dispute.tradeId, caseId);
  const recordChange = options.recordChange ?? true;
  if (recordChange) recordCaseChange(ctx, caseId, { bumpVersion: false });
  if (options.monitor ?? recordChange) monitorNewTrades(ctx, [dispute.tradeId]);
  return caseId;
}

/**
 * Records a trade and locks its escrow (the seller's crypto moves into the escrow account); returns the
 * lock's ledger movement. Call inside ctx.write().
 */
export function recordTradeWithEscrow(
  ctx: ServerContext,
  trade: NewTrade,
  ids: { tradeId: string; escrowId: string },
  disputedAt: string | null,
): string {
  insertNewTrade(ctx, trade, ids.tradeId, disputedAt);
  insertEscrow(ctx.db, {
    id: ids.escrowId,
    tradeId: ids.tradeId,
    asset: trade.asset,
    amountMinor: toMinorUnits(trade.amount, assetDecimals(trade.asset)),
    at: trade.tradeCreatedAt.toISOString(),
  });
  return lockEscrow(ctx.db, ids.escrowId, trade.tradeCreatedAt);
}

/**
 * Records a trade whose escrow is locked and opens its dispute, then runs transaction monitoring over the
 * trade's parties (an alert it raises can hold the new escrow at once). Call inside ctx.write().
 */
export function openDispute(ctx: ServerContext, dispute: NewDispute, options: OpenOptions = {}): OpenedDispute {
  const suffix = randomUUID();
  const ids = {
    caseId: dispute.caseId ?? `DSP-${suffix}`,
    tradeId: dispute.tradeId ?? `TRD-${suffix}`,
    escrowId: dispute.escrowId ?? `ESC-${suffix}`,
  };
  // Checked before anything is written: a trade whose worth cannot be told cannot be judged either.
  usdEquivalent(ctx.config, dispute.fiatCurrency, dispute.fiatAmount);
  recordTradeWithEscrow(ctx, dispute, ids, dispute.openedAt.toISOString());
  openCase(ctx, { ...dispute, ...ids }, options);
  return ids;
}
