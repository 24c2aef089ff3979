// The platform's markets as the demo data knows them: which fiat currency, payment method and banks go
// together in each country, and the language its people chat in.
import type { Asset, FiatCurrency } from '../../shared/domain/money';

export type Country = 'VE' | 'CO' | 'AR' | 'MX' | 'BR' | 'PE';
export type ChatLocale = 'es' | 'pt';

export type PaymentMethod = 'Pago Móvil' | 'Zelle' | 'Nequi' | 'Mercado Pago' | 'PIX' | 'Bank transfer';

export interface Market {
  key: string;
  country: Country;
  currency: FiatCurrency;
  method: PaymentMethod;
  /** Banks or wallets a party of this market pays from or into. */
  banks: readonly string[];
  /** P2P premium over the reference rate, in basis points (bolívars and pesos trade above it). */
  premiumBp: number;
  /** How often this market shows up among disputes. */
  weight: number;
}

export const MARKETS: readonly Market[] = [
  { key: 'VE-PAGOMOVIL', country: 'VE', currency: 'VES', method: 'Pago Móvil', banks: ['Banesco', 'Banco de Venezuela', 'Mercantil', 'BBVA Provincial', 'BNC'], premiumBp: 300, weight: 16 },
  { key: 'VE-TRANSFER', country: 'VE', currency: 'VES', method: 'Bank transfer', banks: ['Banesco', 'Banco de Venezuela', 'Mercantil', 'BBVA Provincial'], premiumBp: 280, weight: 5 },
  { key: 'VE-ZELLE', country: 'VE', currency: 'USD', method: 'Zelle', banks: ['Bank of America', 'Chase', 'Wells Fargo'], premiumBp: 350, weight: 8 },
  { key: 'CO-NEQUI', country: 'CO', currency: 'COP', method: 'Nequi', banks: ['Nequi'], premiumBp: 120, weight: 9 },
  { key: 'CO-TRANSFER', country: 'CO', currency: 'COP', method: 'Bank transfer', banks: ['Bancolombia', 'Davivienda', 'Banco de Bogotá'], premiumBp: 100, weight: 5 },
  { key: 'AR-MERCADOPAGO', country: 'AR', currency: 'ARS', method: 'Mercado Pago', banks: ['Mercado Pago'], premiumBp: 250, weight: 9 },
  { key: 'AR-TRANSFER', country: 'AR', currency: 'ARS', method: 'Bank transfer', banks: ['Banco Galicia', 'Banco Nación', 'Brubank'], premiumBp: 230, weight: 4 },
  { key: 'MX-SPEI', country: 'MX', currency: 'MXN', method: 'Bank transfer', banks: ['BBVA México', 'Banorte', 'Santander'], premiumBp: 80, weight: 7 },
  { key: 'MX-MERCADOPAGO', country: 'MX', currency: 'MXN', method: 'Mercado Pago', banks: ['Mercado Pago'], premiumBp: 90, weight: 3 },
  { key: 'BR-PIX', country: 'BR', currency: 'BRL', method: 'PIX', banks: ['Nubank', 'Itaú', 'Bradesco', 'Banco do Brasil', 'Banco Inter'], premiumBp: 60, weight: 12 },
  { key: 'PE-TRANSFER', country: 'PE', currency: 'PEN', method: 'Bank transfer', banks: ['BCP', 'Interbank', 'BBVA Perú'], premiumBp: 70, weight: 5 },
];

export function market(key: string): Market {
  const found = MARKETS.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`Unknown market ${key}`);
  return found;
}

export const localeOf = (country: Country): ChatLocale => (country === 'BR' ? 'pt' : 'es');

/** Wall-clock offsets, so a receipt shows the time its bank would print. */
export const UTC_OFFSET_MINUTES: Record<Country, number> = {
  VE: -240,
  CO: -300,
  AR: -180,
  MX: -360,
  BR: -180,
  PE: -300,
};

/** Reference prices in USD at the time of the demo data set. */
export const ASSET_USD_PRICE: Record<Asset, string> = {
  USDT: '1.00',
  USDC: '1.00',
  BTC: '97250.00',
  ETH: '3480.00',
};

export const ASSET_WEIGHTS: readonly (readonly [Asset, number])[] = [
  ['USDT', 60],
  ['USDC', 10],
  ['BTC', 20],
  ['ETH', 10],
];
