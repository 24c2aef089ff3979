// Amounts, sizes and times in the reader's language. Amounts arrive as decimal strings and stay strings:
// Intl formats a numeric string exactly, where a float would round a satoshi away.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formattingLocale } from '../../i18n';

export interface CaseFormatters {
  /** "300.00 USDT", "0.0036 BTC": crypto with the asset's code after it. */
  crypto(amount: string, asset: string): string;
  /** "Bs. 11.304,00", "$468.00": fiat with its currency as the locale writes it. */
  fiat(amount: string, currency: string): string;
  /** A price or other plain decimal, grouped and with the locale's decimal mark. */
  decimal(amount: string): string;
  dateTime(iso: string): string;
  bytes(size: number): string;
  percent(score: number): string;
  integer(value: number): string;
}

// Intl.NumberFormat takes numeric strings at run time (ES2023); its types still say number.
const asNumeric = (value: string) => value as unknown as number;

export function useCaseFormatters(): CaseFormatters {
  const { i18n } = useTranslation();
  const locale = formattingLocale(i18n.resolvedLanguage ?? i18n.language);
  return useMemo(() => {
    const cryptoFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 8 });
    const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    const integerFormat = new Intl.NumberFormat(locale);
    const kilobytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 });
    const megabytes = new Intl.NumberFormat(locale, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
    const byteFormat = new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte' });
    return {
      crypto: (amount, asset) => `${cryptoFormat.format(asNumeric(amount))} ${asset}`,
      fiat: (amount, currency) =>
        new Intl.NumberFormat(locale, { style: 'currency', currency }).format(asNumeric(amount)),
      decimal: (amount) => cryptoFormat.format(asNumeric(amount)),
      dateTime: (iso) => dateFormat.format(new Date(iso)),
      bytes: (size) =>
        size >= 1_000_000
          ? megabytes.format(size / 1_000_000)
          : size >= 1_000
            ? kilobytes.format(size / 1_000)
            : byteFormat.format(size),
      percent: (score) => percentFormat.format(score),
      integer: (value) => integerFormat.format(value),
    };
  }, [locale]);
}
