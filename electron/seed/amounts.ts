// Trade amounts that add up: price in fiat per unit (2 decimals), the crypto amount at its ledger precision
// and the fiat amount = amount × price rounded half-up to the cent, all in BigInt minor units.
import { assetDecimals, FIAT_DECIMALS, fromMinorUnits, toMinorUnits, type Asset } from '../../shared/domain/money';
import type { Prng } from './prng';
import { ASSET_USD_PRICE, type Market } from './world';

export interface TradeAmounts {
  asset: Asset;
  /** Decimal string at the asset's precision, e.g. "0.00650000". */
  amount: string;
  amountMinor: bigint;
  /** Fiat per unit of the asset, 2 decimals. */
  price: string;
  fiatAmount: string;
  fiatMinor: bigint;
}

/** Rounds a / b half-up, for non-negative a and positive b. */
export const divRound = (a: bigint, b: bigint) => (2n * a + b) / (2n * b);

/** The asset's price in the market's currency: reference USD price × demo rate × P2P premium ± spread. */
export function marketPrice(asset: Asset, market: Market, usdRates: Record<string, string>, spreadBp: number): string {
  const rate = usdRates[market.currency];
  if (!rate) throw new Error(`No USD rate configured for ${market.currency}`);
  const usdCents = toMinorUnits(ASSET_USD_PRICE[asset], FIAT_DECIMALS);
  const rateMicro = toMinorUnits(rate, 6);
  const premium = BigInt(10_000 + market.premiumBp + spreadBp);
  const cents = divRound(usdCents * rateMicro * premium, 1_000_000n * 10_000n);
  // Colombian pesos are quoted in whole pesos.
  const quoted = market.currency === 'COP' ? divRound(cents, 100n) * 100n : cents;
  return fromMinorUnits(quoted, FIAT_DECIMALS);
}

/** How many decimal places a person would type for an amount of this asset. */
const TYPED_DECIMALS: Record<Asset, number> = { USDT: 0, USDC: 0, BTC: 5, ETH: 4 };

export function fiatFor(amountMinor: bigint, asset: Asset, price: string): bigint {
  return divRound(amountMinor * toMinorUnits(price, FIAT_DECIMALS), 10n ** BigInt(assetDecimals(asset)));
}

/** A trade worth about `targetUsd`, with the crypto amount rounded the way people type it. */
export function tradeAmounts(asset: Asset, price: string, targetUsd: number): TradeAmounts {
  const decimals = assetDecimals(asset);
  const typed = TYPED_DECIMALS[asset];
  const units = targetUsd / Number(ASSET_USD_PRICE[asset]);
  const typedUnits = Math.max(1, Math.round(units * 10 ** typed));
  const amountMinor = BigInt(typedUnits) * 10n ** BigInt(decimals - typed);
  const fiatMinor = fiatFor(amountMinor, asset, price);
  return {
    asset,
    amount: fromMinorUnits(amountMinor, decimals),
    amountMinor,
    price,
    fiatAmount: fromMinorUnits(fiatMinor, FIAT_DECIMALS),
    fiatMinor,
  };
}

/** A typical dispute's size in USD: mostly small retail trades, a long tail up to a few thousand. */
export function retailUsd(prng: Prng): number {
  const [min, max] = prng.weighted<readonly [number, number]>([
    [[15, 120], 35],
    [[120, 600], 40],
    [[600, 2500], 20],
    [[2500, 6000], 5],
  ]);
  return prng.int(min, max);
}

/** Fiat amount as a 2-decimal string of a fraction of the trade's, rounded to whole units (a partial payment). */
export function partialFiat(fiatMinor: bigint, percent: number): string {
  const whole = (fiatMinor * BigInt(percent)) / 100n / 100n;
  return fromMinorUnits(whole * 100n, FIAT_DECIMALS);
}
