// Amounts cross every boundary as decimal strings and are computed as integer minor units in BigInt,
// never as floats (DESIGN §2).

export const ASSET_DECIMALS = { BTC: 8, ETH: 8, USDT: 6, USDC: 6 } as const;
export type Asset = keyof typeof ASSET_DECIMALS;
export const ASSETS = Object.keys(ASSET_DECIMALS) as Asset[];

export const FIAT_CURRENCIES = ['VES', 'COP', 'ARS', 'MXN', 'BRL', 'PEN', 'USD'] as const;
export type FiatCurrency = (typeof FIAT_CURRENCIES)[number];
export const FIAT_DECIMALS = 2;

/**
 * The most one trade may move, in whole units: far above any real P2P trade (1,000 BTC is tens of millions
 * of dollars), and low enough that minor units stay below 10^14, so that SQLite's 64-bit integers hold
 * the amounts and any party's sums over them (more than 90,000 trades at the ceiling before 2^63).
 */
export const MAX_TRADE_AMOUNT: Record<Asset, bigint> = {
  BTC: 1_000n,
  ETH: 10_000n,
  USDT: 100_000_000n,
  USDC: 100_000_000n,
};
/** The ceiling of a trade's fiat side, in whole units of any currency: 100 million dollars in pesos is 4×10^11 COP. */
export const MAX_FIAT_AMOUNT = 1_000_000_000_000n;

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

export class InvalidAmountError extends Error {
  readonly code = 'invalid_amount';
}

/** "1250.5" with 2 decimals → 125050n. Refuses more fractional digits than the unit has. */
export function toMinorUnits(amount: string, decimals: number): bigint {
  if (!DECIMAL.test(amount)) throw new InvalidAmountError(`Not a decimal amount: ${amount}`);
  const [whole = '0', fraction = ''] = amount.split('.');
  if (fraction.length > decimals) {
    throw new InvalidAmountError(`${amount} has more than ${decimals} decimal places`);
  }
  return BigInt(whole + fraction.padEnd(decimals, '0'));
}

/** 125050n with 2 decimals → "1250.50". Always prints every decimal place. */
export function fromMinorUnits(minor: bigint, decimals: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

export function assetDecimals(asset: string): number {
  const decimals = (ASSET_DECIMALS as Record<string, number>)[asset];
  if (decimals === undefined) throw new InvalidAmountError(`Unknown asset: ${asset}`);
  return decimals;
}
