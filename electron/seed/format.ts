// Amounts and times written the way the parties of each market write them in a chat or a bank prints them.
import type { FiatCurrency } from '../../shared/domain/money';
import { UTC_OFFSET_MINUTES, type ChatLocale, type Country, type PaymentMethod } from './world';

const FIAT_STYLE: Record<FiatCurrency, { symbol: string; thousands: string; decimal: string; dropZeroCents: boolean }> = {
  VES: { symbol: 'Bs. ', thousands: '.', decimal: ',', dropZeroCents: false },
  COP: { symbol: '$', thousands: '.', decimal: ',', dropZeroCents: true },
  ARS: { symbol: '$', thousands: '.', decimal: ',', dropZeroCents: true },
  MXN: { symbol: '$', thousands: ',', decimal: '.', dropZeroCents: false },
  BRL: { symbol: 'R$ ', thousands: '.', decimal: ',', dropZeroCents: false },
  PEN: { symbol: 'S/ ', thousands: ',', decimal: '.', dropZeroCents: false },
  USD: { symbol: '$', thousands: ',', decimal: '.', dropZeroCents: true },
};

/** "1850000.00" in COP → "$1.850.000"; "9125.50" in VES → "Bs. 9.125,50". */
export function formatFiat(amount: string, currency: FiatCurrency): string {
  const style = FIAT_STYLE[currency];
  const [whole = '0', cents = '00'] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, style.thousands);
  const fraction = style.dropZeroCents && cents === '00' ? '' : `${style.decimal}${cents}`;
  return `${style.symbol}${grouped}${fraction}`;
}

/** "0.00650000" BTC → "0.0065 BTC"; "250.000000" USDT → "250 USDT". */
export function formatCrypto(amount: string, asset: string): string {
  const trimmed = amount.includes('.') ? amount.replace(/0+$/, '').replace(/\.$/, '') : amount;
  return `${trimmed} ${asset}`;
}

export function methodLabel(method: PaymentMethod, locale: ChatLocale): string {
  if (method !== 'Bank transfer') return method;
  return locale === 'pt' ? 'transferência' : 'transferencia';
}

/** The wall-clock time in the party's country with its offset, e.g. "2026-11-24T08:15:00-04:00". */
export function localIso(at: Date, country: Country): string {
  const offset = UTC_OFFSET_MINUTES[country];
  const shifted = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The amount a forger types over a receipt: two digits of the whole part swapped (1,850,000 → 1,580,000),
 * or a zero dropped when the digits are all alike.
 */
export function forgedAmount(amount: string): string {
  const [whole = '0', cents = '00'] = amount.split('.');
  for (let i = 1; i < whole.length - 1; i++) {
    if (whole[i] !== whole[i + 1]) {
      return `${whole.slice(0, i)}${whole[i + 1]}${whole[i]}${whole.slice(i + 2)}.${cents}`;
    }
  }
  return `${whole.length > 1 ? whole.slice(0, -1) : whole}.${cents}`;
}
