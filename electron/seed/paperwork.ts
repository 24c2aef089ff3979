// The details banks print: operation references in each network's format, the names files get on a
// phone, and a seller's statement for the day of the trade.
import { FIAT_DECIMALS, fromMinorUnits, toMinorUnits } from '../../shared/domain/money';
import { localIso } from './format';
import type { StatementRow, StatementSpec } from './images';
import type { Prng } from './prng';
import type { ChatLocale, Country, Market } from './world';

const ALPHANUMERIC = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function alphanumeric(prng: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[prng.int(0, ALPHANUMERIC.length - 1)];
  return out;
}

/** A payment reference as the network prints it (a PIX end-to-end id, a SPEI tracking key, ...). */
export function paymentReference(prng: Prng, market: Market, paidAt: Date): string {
  const stamp = paidAt.toISOString().replace(/\D/g, '').slice(0, 12);
  switch (market.method) {
    case 'PIX':
      return `E${prng.digits(8)}${stamp}${alphanumeric(prng, 11)}`;
    case 'Zelle':
      return alphanumeric(prng, 10);
    case 'Nequi':
      return `M${prng.digits(7, true)}`;
    case 'Mercado Pago':
      return prng.digits(11, true);
    case 'Pago Móvil':
      return prng.digits(12, true);
    case 'Bank transfer':
      return market.country === 'MX' ? `MBAN01${stamp.slice(2, 8)}${prng.digits(10)}` : prng.digits(10, true);
  }
}

/** What a phone calls a screenshot or a forwarded image. */
export function receiptFileName(prng: Prng, format: 'png' | 'jpeg', at: Date, country: Country): string {
  const local = localIso(at, country);
  const date = local.slice(0, 10);
  const time = local.slice(11, 19);
  if (format === 'png') return `Screenshot_${date.replaceAll('-', '')}-${time.replaceAll(':', '')}.png`;
  return prng.chance(0.5)
    ? `WhatsApp Image ${date} at ${time.replaceAll(':', '.')}.jpeg`
    : `IMG-${date.replaceAll('-', '')}-WA${prng.digits(4)}.jpg`;
}

const EVERYDAY_LINES: Record<ChatLocale, readonly string[]> = {
  es: [
    'Compra POS Supermercado',
    'Pago servicio de telefonía',
    'Retiro cajero automático',
    'Compra en línea',
    'Pago tarjeta de crédito',
    'Comisión mantenimiento',
    'Compra POS Farmacia',
  ],
  pt: ['Compra no débito - Supermercado', 'Pagamento de boleto - Energia', 'Uber *Trip', 'Compra no débito - Farmácia', 'Pagamento de fatura', 'iFood'],
};

const TRANSFER_IN: Record<ChatLocale, (name: string) => string> = {
  es: (name) => `Transferencia recibida de ${name}`,
  pt: (name) => `Pix recebido - ${name}`,
};
const TRANSFER_OUT: Record<ChatLocale, (name: string) => string> = {
  es: (name) => `Transferencia enviada a ${name}`,
  pt: (name) => `Pix enviado - ${name}`,
};

export interface StatementInput {
  market: Market;
  locale: ChatLocale;
  holder: string;
  bank: string;
  accountNumber: string;
  /** The trade's fiat amount in minor units: the statement's other movements are sized around it. */
  tradeFiatMinor: bigint;
  /** Names of other people who paid or were paid that day. */
  others: readonly string[];
  /** The day the statement ends (the dispute). */
  until: Date;
  /** A credit that did arrive (an underpayment), or null when nothing arrived. */
  credit: { amount: string; from: string; at: Date } | null;
}

/** A seller's statement for the days around the trade, with a running balance that adds up. */
export function sellerStatement(prng: Prng, input: StatementInput): StatementSpec {
  const entries: { at: Date; description: string; minor: bigint }[] = [];
  const scale = input.tradeFiatMinor > 0n ? input.tradeFiatMinor : 100_00n;
  const untilMs = input.until.getTime();
  const count = prng.int(5, 8);
  for (let i = 0; i < count; i++) {
    const at = new Date(untilMs - prng.int(30, 60 * 60) * 60_000);
    const incoming = prng.chance(0.35);
    const share = BigInt(prng.int(2, incoming ? 60 : 25));
    const minor = (scale * share) / 100n;
    const description = incoming
      ? TRANSFER_IN[input.locale](prng.pick(input.others))
      : prng.chance(0.3)
        ? TRANSFER_OUT[input.locale](prng.pick(input.others))
        : prng.pick(EVERYDAY_LINES[input.locale]);
    entries.push({ at, description, minor: incoming ? minor : -minor });
  }
  if (input.credit) {
    entries.push({
      at: input.credit.at,
      description: TRANSFER_IN[input.locale](input.credit.from),
      minor: toMinorUnits(input.credit.amount, FIAT_DECIMALS),
    });
  }
  entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  // Open with enough money that the balance never goes below zero, plus some.
  let lowest = 0n;
  let running = 0n;
  for (const entry of entries) {
    running += entry.minor;
    if (running < lowest) lowest = running;
  }
  let balance = -lowest + (scale * BigInt(prng.int(20, 120))) / 100n;
  const rows: StatementRow[] = entries.map((entry) => {
    balance += entry.minor;
    return {
      date: localIso(entry.at, input.market.country),
      description: entry.description,
      amount: fromMinorUnits(entry.minor, FIAT_DECIMALS),
      balance: fromMinorUnits(balance, FIAT_DECIMALS),
    };
  });
  const first = entries[0]?.at ?? input.until;
  return {
    bank: input.bank,
    accountHolder: input.holder,
    accountNumber: input.accountNumber,
    currency: input.market.currency,
    periodStart: localIso(first, input.market.country).slice(0, 10),
    periodEnd: localIso(input.until, input.market.country).slice(0, 10),
    rows,
    locale: input.locale,
  };
}
