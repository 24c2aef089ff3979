// A trade's worth in US dollars at the configured demo rates: four-eyes compares it with its threshold and
// transaction monitoring with its bands. One conversion for both, in BigInt minor units.
import { FIAT_DECIMALS, fromMinorUnits, toMinorUnits } from '../../../shared/domain/money';
import type { ServerConfig } from '../config';

const RATE_SCALE = 10n ** 6n;

export class MissingUsdRateError extends Error {
  readonly code = 'missing_usd_rate';
  constructor(readonly currency: string) {
    super(`No USD rate configured for ${currency}`);
  }
}

/** The US cents a fiat amount (in its minor units) is worth at the configured rate, rounded down. */
export function usdCentsOf(config: Pick<ServerConfig, 'usdRates'>, fiatCurrency: string, fiatMinor: bigint): bigint {
  const rate = config.usdRates[fiatCurrency];
  if (!rate) throw new MissingUsdRateError(fiatCurrency);
  return (fiatMinor * RATE_SCALE) / toMinorUnits(rate, 6);
}

/** The USD value of a fiat amount at the configured demo rate, as a 2-decimal string. */
export function usdEquivalent(config: Pick<ServerConfig, 'usdRates'>, fiatCurrency: string, fiatAmount: string): string {
  return fromMinorUnits(usdCentsOf(config, fiatCurrency, toMinorUnits(fiatAmount, FIAT_DECIMALS)), FIAT_DECIMALS);
}

export function requiresFourEyes(config: Pick<ServerConfig, 'usdRates' | 'fourEyesThresholdUsd'>, usd: string): boolean {
  return toMinorUnits(usd, FIAT_DECIMALS) >= toMinorUnits(config.fourEyesThresholdUsd, FIAT_DECIMALS);
}
