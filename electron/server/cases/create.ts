// Creating the world a dispute lives in: parties, a trade with its escrow locked, and the case itself.
// Used by the seed and by tests; the platform's trading side would call the same functions.
import { randomUUID } from 'node:crypto';
import type { KycStatus } from '../../../shared/domain/dispute';
import { assetDecimals, FIAT_DECIMALS, fromMinorUnits, toMinorUnits } from '../../../shared/domain/money';
import type { ServerConfig } from '../config';
import type { ServerContext } from '../context';
import { recordCaseChange } from '../feed/changes';
import { lockEscrow } from '../ledger/escrow';
import { insertCase, insertTrade } from '../sql/cases';
import { insertEscrow } from '../sql/escrow';
import { insertParty } from '../sql/parties';

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

const RATE_SCALE = 10n ** 6n;

/** The USD value of a fiat amount at the configured demo rate, as a 2-decimal string. */
export function usdEquivalent(config: Pick<ServerConfig, 'usdRates'>, fiatCurrency: string, fiatAmount: string): string {
  const rate = config.usdRates[fiatCurrency];
  if (!rate) throw new Error(`No USD rate configured for ${fiatCurrency}`);
  const fiatCents = toMinorUnits(fiatAmount, FIAT_DECIMALS);
  const rateScaled = toMinorUnits(rate, 6);
  return fromMinorUnits((fiatCents * RATE_SCALE) / rateScaled, FIAT_DECIMALS);
}

export function requiresFourEyes(config: Pick<ServerConfig, 'usdRates' | 'fourEyesThresholdUsd'>, usd: string): boolean {
  return toMinorUnits(usd, FIAT_DECIMALS) >= toMinorUnits(config.fourEyesThresholdUsd, FIAT_DECIMALS);
}

export interface NewDispute {
  caseId?: string;
  tradeId?: string;
  escrowId?: string;
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

/**
 * Records a trade whose escrow is locked and opens its dispute. Call inside ctx.write(). With
 * `recordChange: false` the caller records the feed row itself once the case's messages, evidence and
 * checks are in place (the seed does), so the first feed row is already complete.
 */
export function openDispute(ctx: ServerContext, dispute: NewDispute, recordChange = true): OpenedDispute {
  const suffix = randomUUID();
  const ids = {
    caseId: dispute.caseId ?? `DSP-${suffix}`,
    tradeId: dispute.tradeId ?? `TRD-${suffix}`,
    escrowId: dispute.escrowId ?? `ESC-${suffix}`,
  };
  const amountMinor = toMinorUnits(dispute.amount, assetDecimals(dispute.asset));
  const fiatMinor = toMinorUnits(dispute.fiatAmount, FIAT_DECIMALS);
  const usd = usdEquivalent(ctx.config, dispute.fiatCurrency, dispute.fiatAmount);
  const openedAt = dispute.openedAt.toISOString();
  insertTrade(ctx.db, {
    id: ids.tradeId,
    buyerId: dispute.buyerId,
    sellerId: dispute.sellerId,
    asset: dispute.asset,
    amountMinor,
    fiatCurrency: dispute.fiatCurrency,
    fiatAmountMinor: fiatMinor,
    price: dispute.price,
    paymentMethod: dispute.paymentMethod,
    createdAt: dispute.tradeCreatedAt.toISOString(),
    paidAt: dispute.paidAt?.toISOString() ?? null,
    disputedAt: openedAt,
  });
  insertEscrow(ctx.db, {
    id: ids.escrowId,
    tradeId: ids.tradeId,
    asset: dispute.asset,
    amountMinor,
    at: dispute.tradeCreatedAt.toISOString(),
  });
  lockEscrow(ctx.db, ids.escrowId, dispute.tradeCreatedAt);
  insertCase(ctx.db, {
    id: ids.caseId,
    tradeId: ids.tradeId,
    escrowId: ids.escrowId,
    reason: dispute.reason,
    openedBy: dispute.openedBy,
    openedAt,
    slaDueAt: dispute.slaDueAt.toISOString(),
    fourEyes: requiresFourEyes(ctx.config, usd),
    usdEquivalent: usd,
  });
  if (recordChange) recordCaseChange(ctx, ids.caseId, { bumpVersion: false });
  return ids;
}
