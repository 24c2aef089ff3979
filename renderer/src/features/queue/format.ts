// Amounts, dates and durations in the user's locale. Amounts stay decimal strings: Intl formats them
// without turning them into floats first.
import { ASSET_DECIMALS } from '../../../../shared/domain/money';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter as T;
}

type Decimal = `${number}`;

export function formatCount(locale: string, count: number): string {
  return cached(`count:${locale}`, () => new Intl.NumberFormat(locale)).format(count);
}

export function formatAssetAmount(locale: string, amount: string, asset: string): string {
  const decimals = (ASSET_DECIMALS as Record<string, number>)[asset] ?? 8;
  const formatter = cached(`asset:${locale}:${decimals}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: decimals }));
  return formatter.format(amount as Decimal);
}

export function formatFiat(locale: string, amount: string, currency: string): string {
  const formatter = cached(`fiat:${locale}:${currency}`, () => {
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code' });
    } catch {
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
  });
  return formatter.format(amount as Decimal);
}

export function formatDateTime(locale: string, iso: string): string {
  return cached(`dt:${locale}`, () => new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })).format(new Date(iso));
}

/** "2h 05m", "12m 04s", "3d 4h": precise where it matters (close to the deadline), short elsewhere. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.floor(Math.abs(milliseconds) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const pad = (value: number) => String(value).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  return `${minutes}m ${pad(seconds % 60)}s`;
}
