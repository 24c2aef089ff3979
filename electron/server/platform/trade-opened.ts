// trade.opened: the seller's crypto is locked in escrow for a new trade. Parties the platform has not seen
// are created; known ones are refreshed only by an event newer than the last that described them. The
// trade opens without a dispute, its escrow is locked by a ledger movement, the exchange is told, and
// transaction monitoring runs over the trade's parties (KYT on live events).
import type { z } from 'zod';
import type { PlatformParty, tradeOpenedData } from '../../../shared/api/platform-events';
import {
  assetDecimals,
  FIAT_DECIMALS,
  InvalidAmountError,
  MAX_FIAT_AMOUNT,
  MAX_TRADE_AMOUNT,
  toMinorUnits,
  type Asset,
} from '../../../shared/domain/money';
import { recordTradeWithEscrow } from '../cases/create';
import { MissingUsdRateError, usdEquivalent } from '../cases/usd';
import { invalidRequest } from '../errors';
import { monitorNewTrades } from '../kyt/monitor';
import {
  countPartyTrade,
  findPlatformTrade,
  findTradeTerms,
  insertPlatformParty,
  refreshPlatformParty,
  tradeOfCase,
  tradeOfEscrow,
  type TradeTerms,
} from '../sql/platform-events';
import { caseIdOf } from './dispute-opened';
import { tradeConflict } from './errors';
import { applied, recordEventChange, unchanged, type EventInput, type EventResult } from './event-context';
import { announceEscrowMove } from './outbound';

type TradeOpened = z.infer<typeof tradeOpenedData>;

export const escrowIdOf = (tradeId: string) => `ESC-${tradeId}`;

/**
 * A positive amount the unit can hold, at most `maxWhole` whole units; the schema checked the format, not
 * the scale, zero or the size (money.ts says why there is a ceiling).
 */
function checkAmount(field: string, amount: string, decimals: number, maxWhole: bigint, unit: string): void {
  let minor: bigint;
  try {
    minor = toMinorUnits(amount, decimals);
  } catch (error) {
    if (!(error instanceof InvalidAmountError)) throw error;
    throw invalidRequest(`data.${field}: ${error.message}`);
  }
  if (minor <= 0n) throw invalidRequest(`data.${field}: must be more than zero`);
  if (minor > maxWhole * 10n ** BigInt(decimals)) {
    throw invalidRequest(`data.${field}: more than ${maxWhole.toString()} ${unit}, beyond any trade this platform takes`);
  }
}

function checkTrade(input: EventInput, trade: TradeOpened): void {
  if (trade.buyer.id === trade.seller.id) throw invalidRequest('data.seller.id: the seller cannot be the buyer');
  checkAmount('amount', trade.amount, assetDecimals(trade.asset), MAX_TRADE_AMOUNT[trade.asset as Asset], trade.asset);
  checkAmount('fiatAmount', trade.fiatAmount, FIAT_DECIMALS, MAX_FIAT_AMOUNT, trade.fiatCurrency);
  try {
    usdEquivalent(input.ctx.config, trade.fiatCurrency, trade.fiatAmount);
  } catch (error) {
    if (error instanceof MissingUsdRateError) throw invalidRequest(`data.fiatCurrency: ${error.message}`);
    throw error;
  }
}

function termsOf(trade: TradeOpened): TradeTerms {
  return {
    buyerId: trade.buyer.id,
    sellerId: trade.seller.id,
    asset: trade.asset,
    amountMinor: toMinorUnits(trade.amount, assetDecimals(trade.asset)),
    fiatCurrency: trade.fiatCurrency,
    fiatAmountMinor: toMinorUnits(trade.fiatAmount, 2),
  };
}

const TERM_FIELDS = ['buyerId', 'sellerId', 'asset', 'amountMinor', 'fiatCurrency', 'fiatAmountMinor'] as const;

/**
 * The trade ids are the exchange's, used as given, and the escrow and case ids derive from them: a trade
 * told again with other terms, or a new trade whose derived ids another trade holds (the seed's, or one
 * the platform made), is refused `trade_conflict` before anything is written. Keeping the first trade
 * silently would leave the exchange believing in an escrow the platform never locked.
 * Answers whether the trade is known already (told again with the same terms).
 */
function checkTradeIds(input: EventInput, trade: TradeOpened): 'known' | 'new' {
  const { db } = input.ctx;
  const known = findTradeTerms(db, trade.tradeId);
  if (known) {
    const told = termsOf(trade);
    const differing = TERM_FIELDS.filter((field) => known[field] !== told[field]);
    if (differing.length > 0) {
      throw tradeConflict(
        `data.tradeId: trade ${trade.tradeId} was opened already with another ${differing.join(', ')}; a trade id names one trade.`,
      );
    }
    return 'known';
  }
  const escrowHolder = tradeOfEscrow(db, escrowIdOf(trade.tradeId));
  if (escrowHolder !== null) {
    throw tradeConflict(`data.tradeId: escrow ${escrowIdOf(trade.tradeId)} belongs to trade ${escrowHolder}; give this trade another id.`);
  }
  const caseHolder = tradeOfCase(db, caseIdOf(trade.tradeId));
  if (caseHolder !== null) {
    throw tradeConflict(`data.tradeId: case ${caseIdOf(trade.tradeId)} belongs to trade ${caseHolder}; give this trade another id.`);
  }
  return 'new';
}

/** Creates a party seen for the first time, or refreshes a known one if this event is the newest about it. */
function upsertParty(input: EventInput, party: PlatformParty): 'created' | 'refreshed' | 'unchanged' {
  const row = {
    id: party.id,
    displayName: party.displayName,
    kycStatus: party.kycStatus,
    country: party.country,
    accountCreatedAt: new Date(party.accountCreatedAt).toISOString(),
    seenAt: input.at,
  };
  if (insertPlatformParty(input.ctx.db, row)) return 'created';
  return refreshPlatformParty(input.ctx.db, row) ? 'refreshed' : 'unchanged';
}

export function applyTradeOpened(input: EventInput, trade: TradeOpened): EventResult {
  const { ctx } = input;
  checkTrade(input, trade);
  const known = checkTradeIds(input, trade) === 'known';
  const parties = { buyer: upsertParty(input, trade.buyer), seller: upsertParty(input, trade.seller) };
  // A trade opens once: a second trade.opened for it (another webhook-id, the same terms) can only tell
  // newer party facts. A completed trade of the history the platform holds (recorded without an escrow)
  // is not opened either.
  if (known) {
    const caseId = findPlatformTrade(ctx.db, trade.tradeId)?.caseId ?? null;
    const refreshed = parties.buyer === 'refreshed' || parties.seller === 'refreshed';
    if (refreshed) recordEventChange(input, { id: trade.tradeId, caseId }, 'platform.parties_refreshed', { parties });
    return refreshed ? applied(caseId) : unchanged(caseId);
  }
  const escrowId = escrowIdOf(trade.tradeId);
  const openedAt = new Date(input.at);
  const movementId = recordTradeWithEscrow(
    ctx,
    {
      buyerId: trade.buyer.id,
      sellerId: trade.seller.id,
      asset: trade.asset,
      amount: trade.amount,
      fiatCurrency: trade.fiatCurrency,
      fiatAmount: trade.fiatAmount,
      price: trade.price,
      paymentMethod: trade.paymentMethod,
      tradeCreatedAt: openedAt,
      paidAt: null,
      depositAddress: trade.depositAddress ?? null,
      payoutAccount: trade.payoutAccount ?? null,
    },
    { tradeId: trade.tradeId, escrowId },
    null,
  );
  countPartyTrade(ctx.db, [trade.buyer.id, trade.seller.id], 'trade_count');
  recordEventChange(input, { id: trade.tradeId, caseId: null }, 'escrow.locked', { escrowId, movementId, parties });
  announceEscrowMove(
    ctx,
    {
      type: 'escrow.locked',
      escrowId,
      tradeId: trade.tradeId,
      caseId: null,
      asset: trade.asset,
      amountMinor: toMinorUnits(trade.amount, assetDecimals(trade.asset)),
      beneficiaryPartyId: null,
      movementId,
      cause: 'trade.opened',
    },
    input.now,
  );
  monitorNewTrades(ctx, [trade.tradeId]);
  return applied(null);
}
