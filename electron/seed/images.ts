// Evidence files for the demo data set (DESIGN §4): payment receipts (PNG and JPEG), a bank statement
// (PDF), synthetic ID photos and liveness selfie frames. Everything is drawn in JavaScript because users
// have no image tools, and every output is a pure function of its spec, so a reseed is byte-identical
// and a "reused" receipt has the same sha256 as its original.

import { fromMinorUnits, toMinorUnits } from '../../shared/domain/money';
import { fitText, hexColor, measureText, mix, RasterCanvas, wrapText } from './render/canvas';
import type { Rgb, TextStyle } from './render/canvas';
import { encodeJpeg, encodePng } from './render/encode';
import { drawPortrait, faceLookFor } from './render/face';
import type { FaceLook, HeadPose } from './render/face';
import { A4_HEIGHT, A4_WIDTH, buildPdf, fitPdfText, PdfPage } from './render/pdf';
import { randomBetween, randomInt, seededRandom, stableIndex } from './render/random';
import type { Random } from './render/random';

export type EvidenceLocale = 'es' | 'pt' | 'en';

export interface ReceiptSpec {
  bank: string;
  /** As in PAYMENT_METHODS; "Bank transfer" is translated for es and pt. */
  method: string;
  /** Decimal string with at most 2 decimals, e.g. "1250.5". */
  amount: string;
  currency: string;
  payerName: string;
  payerAccount: string;
  payeeName: string;
  payeeAccount: string;
  reference: string;
  /** ISO date-time; shown as written (its own offset), not converted to the machine's time zone. */
  paidAt: string;
  locale: EvidenceLocale;
  /** Varies the receipt's operation id and barcode; two receipts with equal specs are identical files. */
  seed: string;
}

export interface StatementRow {
  /** ISO date (or date-time). */
  date: string;
  description: string;
  /** Signed decimal string: negative for debits. */
  amount: string;
  /** Signed decimal string: the balance after this row. */
  balance: string;
}

export interface StatementSpec {
  bank: string;
  accountHolder: string;
  accountNumber: string;
  currency: string;
  /** ISO dates. */
  periodStart: string;
  periodEnd: string;
  rows: StatementRow[];
  /** Language of the labels; Spanish when absent. */
  locale?: EvidenceLocale;
}

export interface SyntheticPersonSpec {
  fullName: string;
  documentNumber: string;
  /** ISO date, e.g. "1990-05-12". */
  birthDate: string;
  /** Country name as printed on the card, or an ISO 3166 alpha-2 code of a country we know. */
  country: string;
  /** Index into the skin tone palette (wraps around). */
  skinTone: number;
  /** Index into the hair colour palette (wraps around). */
  hairColor: number;
  seed: string;
}

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [33, 37, 41];
const MUTED: Rgb = [108, 117, 125];
const SUCCESS: Rgb = [25, 135, 84];

// ---------------------------------------------------------------------------------------------------
// Formatting shared by receipts and statements

const CURRENCY_SYMBOLS: Record<string, string> = {
  VES: 'Bs.',
  COP: '$',
  ARS: '$',
  MXN: '$',
  BRL: 'R$',
  PEN: 'S/',
  USD: 'US$',
  EUR: '€',
};

/** "-1234567.5" → "-1.234.567,50" (es, pt) or "-1,234,567.50" (en), without going through floats. */
function formatAmount(amount: string, locale: EvidenceLocale): string {
  const negative = amount.trim().startsWith('-');
  const [whole = '0', fraction = ''] = fromMinorUnits(
    toMinorUnits(amount.trim().replace(/^-/, ''), 2),
    2,
  ).split('.');
  const [thousands, decimal] = locale === 'en' ? [',', '.'] : ['.', ','];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  return `${negative ? '-' : ''}${grouped}${decimal}${fraction}`;
}

function formatMoney(amount: string, currency: string, locale: EvidenceLocale): string {
  return `${CURRENCY_SYMBOLS[currency] ?? currency} ${formatAmount(amount, locale)}`;
}

/** Splits an ISO date or date-time into display strings, keeping the wall-clock time as written. */
function formatDateTime(iso: string, locale: EvidenceLocale): { date: string; time: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!match) return { date: iso, time: '' };
  const [, year, month, day, hour, minute, second = '00'] = match;
  const date = locale === 'en' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
  return { date, time: hour === undefined ? '' : `${hour}:${minute}:${second}` };
}

// Brand colours of banks and wallets that appear in the demo data; others get a stable colour by name.
const KNOWN_BRANDS: ReadonlyArray<readonly [string, string]> = [
  ['banco de venezuela', '#c8102e'],
  ['banesco', '#00853f'],
  ['mercantil', '#0033a0'],
  ['provincial', '#004481'],
  ['bbva', '#004481'],
  ['bancolombia', '#fdda24'],
  ['nequi', '#da0081'],
  ['daviplata', '#e30613'],
  ['mercado pago', '#009ee3'],
  ['nubank', '#820ad1'],
  ['itaú', '#ec7000'],
  ['bradesco', '#cc092f'],
  ['zelle', '#6d1ed4'],
  ['santander', '#ec0000'],
  ['bcp', '#002a8d'],
  ['banorte', '#eb0029'],
];
const FALLBACK_BRANDS = [
  '#1d4ed8',
  '#047857',
  '#b91c1c',
  '#7c3aed',
  '#0f766e',
  '#c2410c',
  '#be185d',
  '#334155',
];

function brandColor(name: string): Rgb {
  const lower = name.toLowerCase();
  const known = KNOWN_BRANDS.find(([key]) => lower.includes(key));
  return hexColor(known ? known[1] : FALLBACK_BRANDS[stableIndex(lower, FALLBACK_BRANDS.length)]!);
}

/** White on dark brand colours, ink on light ones (Bancolombia yellow). */
function textColorOn(background: Rgb): Rgb {
  const luminance = 0.299 * background[0] + 0.587 * background[1] + 0.114 * background[2];
  return luminance > 160 ? INK : WHITE;
}

/** "Banco de Venezuela" → "BV", "Nequi" → "NE": the monogram in the logo circle. */
function initials(name: string): string {
  // Skips lowercase particles such as "de" and "do" so they do not become the second initial.
  const words = (name.match(/\p{L}+/gu) ?? []).filter((word) => word.length > 3 || /^\p{Lu}/u.test(word));
  const first = words[0] ?? '';
  const last = words[words.length - 1] ?? '';
  return (words.length > 1 ? `${first[0]}${last[0]}` : first.slice(0, 2)).toUpperCase();
}

// ---------------------------------------------------------------------------------------------------
// Payment receipts

const RECEIPT_WIDTH = 480;
const RECEIPT_HEIGHT = 800;
const RECEIPT_JPEG_QUALITY = 85;

const RECEIPT_TEXT = {
  es: {
    title: 'Comprobante de pago',
    payer: 'Pagador',
    payee: 'Beneficiario',
    method: 'Método de pago',
    reference: 'Referencia',
    status: 'Estado',
    success: 'Exitosa',
    operation: 'Operación',
    footer: 'Conserve este comprobante.',
  },
  pt: {
    title: 'Comprovante de pagamento',
    payer: 'Pagador',
    payee: 'Recebedor',
    method: 'Forma de pagamento',
    reference: 'Referência',
    status: 'Situação',
    success: 'Concluída',
    operation: 'Operação',
    footer: 'Guarde este comprovante.',
  },
  en: {
    title: 'Payment receipt',
    payer: 'Payer',
    payee: 'Payee',
    method: 'Payment method',
    reference: 'Reference',
    status: 'Status',
    success: 'Completed',
    operation: 'Transaction',
    footer: 'Keep this receipt for your records.',
  },
} as const;

const TRANSLATED_METHODS: Record<string, Record<EvidenceLocale, string>> = {
  'Bank transfer': { es: 'Transferencia bancaria', pt: 'Transferência bancária', en: 'Bank transfer' },
};

export function renderReceiptPng(receipt: ReceiptSpec): Buffer {
  return encodePng(drawReceipt(receipt));
}

/** The same receipt as a JPEG, as it arrives when a screenshot is forwarded through a messenger. */
export function renderReceiptJpeg(receipt: ReceiptSpec): Buffer {
  return encodeJpeg(drawReceipt(receipt), RECEIPT_JPEG_QUALITY);
}

function drawReceipt(receipt: ReceiptSpec): RasterCanvas {
  const brand = brandColor(receipt.bank);
  const canvas = new RasterCanvas(RECEIPT_WIDTH, RECEIPT_HEIGHT, mix(brand, WHITE, 0.9));
  const text = RECEIPT_TEXT[receipt.locale];
  const random = seededRandom(`receipt:${receipt.seed}`);
  drawReceiptHeader(canvas, receipt.bank, brand);
  canvas.fillRoundedRect(20, 100, RECEIPT_WIDTH - 40, RECEIPT_HEIGHT - 120, 14, WHITE);
  drawSuccessBadge(canvas, RECEIPT_WIDTH / 2, 146);

  const { date, time } = formatDateTime(receipt.paidAt, receipt.locale);
  drawCentred(canvas, 192, text.title, INK, { scale: 2, bold: true });
  drawCentred(canvas, 222, `${date}  ${time}`.trim(), MUTED, { scale: 2 });
  const money = formatMoney(receipt.amount, receipt.currency, receipt.locale);
  const amountScale = measureText(money, 4) <= RECEIPT_WIDTH - 80 ? 4 : 3;
  drawCentred(canvas, 256, fitText(money, RECEIPT_WIDTH - 80, amountScale), INK, {
    scale: amountScale,
    bold: true,
  });
  drawDashedRule(canvas, 318);

  const method = TRANSLATED_METHODS[receipt.method]?.[receipt.locale] ?? receipt.method;
  let y = 336;
  y = drawField(canvas, y, text.payer, [receipt.payerName, receipt.payerAccount]);
  y = drawField(canvas, y, text.payee, [receipt.payeeName, receipt.payeeAccount]);
  y = drawField(canvas, y, text.method, [method]);
  y = drawField(canvas, y, text.reference, [receipt.reference]);
  drawField(canvas, y, text.status, [text.success], SUCCESS);
  drawDashedRule(canvas, 672);

  const operationId = randomHex(random, 12);
  drawBarcode(canvas, random, 60, 688, RECEIPT_WIDTH - 120, 34);
  drawCentred(canvas, 734, `${text.operation}: ${operationId}`, MUTED, { scale: 1 });
  drawCentred(canvas, 752, text.footer, MUTED, { scale: 1 });
  return canvas;
}

function drawReceiptHeader(canvas: RasterCanvas, bank: string, brand: Rgb): void {
  const onBrand = textColorOn(brand);
  canvas.fillRect(0, 0, RECEIPT_WIDTH, 132, brand);
  canvas.fillCircle(52, 50, 26, onBrand);
  const monogram = initials(bank);
  canvas.text(52 - measureText(monogram, 2) / 2, 43, monogram, brand, { scale: 2, bold: true });
  canvas.text(92, 40, fitText(bank, RECEIPT_WIDTH - 112, 3), onBrand, { scale: 3, bold: true });
}

function drawSuccessBadge(canvas: RasterCanvas, cx: number, cy: number): void {
  canvas.fillCircle(cx, cy, 28, SUCCESS);
  canvas.line(cx - 13, cy + 1, cx - 4, cy + 10, WHITE, 5);
  canvas.line(cx - 4, cy + 10, cx + 13, cy - 9, WHITE, 5);
}

/** A label in grey and its value lines below it; returns where the next field starts. */
function drawField(
  canvas: RasterCanvas,
  top: number,
  label: string,
  values: string[],
  valueColor = INK,
): number {
  const left = 44;
  const maxWidth = RECEIPT_WIDTH - 2 * left;
  canvas.text(left, top, label, MUTED, { scale: 2 });
  let y = top + 24;
  values.forEach((value, index) => {
    canvas.text(left, y, fitText(value, maxWidth, 2), valueColor, { scale: 2, bold: index === 0 });
    y += 24;
  });
  return y + 10;
}

function drawCentred(canvas: RasterCanvas, y: number, text: string, color: Rgb, style: TextStyle): void {
  canvas.text((canvas.width - measureText(text, style.scale)) / 2, y, text, color, style);
}

function drawDashedRule(canvas: RasterCanvas, y: number): void {
  for (let x = 36; x < RECEIPT_WIDTH - 36; x += 12) canvas.fillRect(x, y, 6, 2, [206, 212, 218]);
}

/** Bars of random widths: it only has to look like a barcode, not scan as one. */
function drawBarcode(
  canvas: RasterCanvas,
  random: Random,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  for (let bar = x; bar < x + width;) {
    const barWidth = randomInt(random, 1, 4);
    canvas.fillRect(bar, y, barWidth, height, INK);
    bar += barWidth + randomInt(random, 1, 3);
  }
}

function randomHex(random: Random, length: number): string {
  let hex = '';
  while (hex.length < length) hex += randomInt(random, 0, 15).toString(16).toUpperCase();
  return hex;
}

// ---------------------------------------------------------------------------------------------------
// Bank statement (PDF)

const STATEMENT_TEXT = {
  es: {
    title: 'Estado de cuenta',
    holder: 'Titular',
    account: 'Cuenta',
    currency: 'Moneda',
    period: 'Período',
    to: 'al',
    opening: 'Saldo inicial',
    closing: 'Saldo final',
    columns: ['Fecha', 'Descripción', 'Monto', 'Saldo'],
    page: 'Página',
    of: 'de',
    footer: 'Documento generado electrónicamente. No requiere firma ni sello.',
  },
  pt: {
    title: 'Extrato bancário',
    holder: 'Titular',
    account: 'Conta',
    currency: 'Moeda',
    period: 'Período',
    to: 'a',
    opening: 'Saldo inicial',
    closing: 'Saldo final',
    columns: ['Data', 'Descrição', 'Valor', 'Saldo'],
    page: 'Página',
    of: 'de',
    footer: 'Documento gerado eletronicamente. Dispensa assinatura.',
  },
  en: {
    title: 'Account statement',
    holder: 'Account holder',
    account: 'Account',
    currency: 'Currency',
    period: 'Period',
    to: 'to',
    opening: 'Opening balance',
    closing: 'Closing balance',
    columns: ['Date', 'Description', 'Amount', 'Balance'],
    page: 'Page',
    of: 'of',
    footer: 'Electronically generated document. No signature required.',
  },
} as const;

const PAGE_MARGIN = 40;
const ROW_HEIGHT = 18;
const FIRST_PAGE_TABLE_TOP = 200;
const NEXT_PAGE_TABLE_TOP = 120;
const TABLE_BOTTOM = A4_HEIGHT - 70;
const COLUMN_X = {
  date: PAGE_MARGIN,
  description: 112,
  amountRight: 455,
  balanceRight: A4_WIDTH - PAGE_MARGIN,
};
const DEBIT: Rgb = [176, 42, 55];
const ZEBRA: Rgb = [244, 246, 248];

/** A bank statement listing the rows, split over as many A4 pages as they need. */
export function renderBankStatementPdf(spec: StatementSpec): Buffer {
  const locale = spec.locale ?? 'es';
  const text = STATEMENT_TEXT[locale];
  const brand = brandColor(spec.bank);
  const rowsByPage = paginate(spec.rows);
  const pages = rowsByPage.map((rows, index) => {
    const page = new PdfPage();
    drawStatementHeader(page, spec, brand, text.title);
    if (index === 0) drawStatementSummary(page, spec, locale);
    drawStatementTable(page, rows, index === 0 ? FIRST_PAGE_TABLE_TOP : NEXT_PAGE_TABLE_TOP, locale);
    drawStatementFooter(page, `${text.page} ${index + 1} ${text.of} ${rowsByPage.length}`, text.footer);
    return page;
  });
  return buildPdf(pages, `${text.title} - ${spec.bank}`);
}

/** Splits rows into pages; the first page holds fewer because of the account summary. An empty
 * statement still gets one page. */
function paginate(rows: StatementRow[]): StatementRow[][] {
  const capacity = (tableTop: number) => Math.floor((TABLE_BOTTOM - tableTop) / ROW_HEIGHT) - 1;
  const pages = [rows.slice(0, capacity(FIRST_PAGE_TABLE_TOP))];
  for (let start = pages[0]!.length; start < rows.length; start += capacity(NEXT_PAGE_TABLE_TOP)) {
    pages.push(rows.slice(start, start + capacity(NEXT_PAGE_TABLE_TOP)));
  }
  return pages;
}

function drawStatementHeader(page: PdfPage, spec: StatementSpec, brand: Rgb, title: string): void {
  const onBrand = textColorOn(brand);
  page.fillRect(0, 0, A4_WIDTH, 80, brand);
  page.text(PAGE_MARGIN, 48, fitPdfText(spec.bank, 320, 20), { font: 'bold', size: 20, color: onBrand });
  page.textRight(A4_WIDTH - PAGE_MARGIN, 48, title, { font: 'bold', size: 13, color: onBrand });
}

function drawStatementSummary(page: PdfPage, spec: StatementSpec, locale: EvidenceLocale): void {
  const text = STATEMENT_TEXT[locale];
  const start = formatDateTime(spec.periodStart, locale).date;
  const end = formatDateTime(spec.periodEnd, locale).date;
  const details: Array<[string, string]> = [
    [text.holder, spec.accountHolder],
    [text.account, spec.accountNumber],
    [text.currency, spec.currency],
    [text.period, `${start} ${text.to} ${end}`],
  ];
  details.forEach(([label, value], index) => {
    const y = 115 + index * 18;
    page.text(PAGE_MARGIN, y, `${label}:`, { font: 'bold', size: 10 });
    page.text(PAGE_MARGIN + 95, y, fitPdfText(value, 230, 10), { size: 10 });
  });
  const first = spec.rows[0];
  const last = spec.rows[spec.rows.length - 1];
  const opening = first ? subtractDecimal(first.balance, first.amount) : '0';
  const closing = last ? last.balance : '0';
  page.fillRect(360, 100, A4_WIDTH - PAGE_MARGIN - 360, 56, ZEBRA);
  page.text(372, 122, text.opening, { size: 10 });
  page.textRight(A4_WIDTH - PAGE_MARGIN - 12, 122, formatAmount(opening, locale), { size: 10 });
  page.text(372, 144, text.closing, { font: 'bold', size: 10 });
  page.textRight(A4_WIDTH - PAGE_MARGIN - 12, 144, formatAmount(closing, locale), { font: 'bold', size: 10 });
}

function drawStatementTable(page: PdfPage, rows: StatementRow[], top: number, locale: EvidenceLocale): void {
  const [dateLabel, descriptionLabel, amountLabel, balanceLabel] = STATEMENT_TEXT[locale].columns;
  const headerStyle = { font: 'bold', size: 9, color: WHITE } as const;
  page.fillRect(PAGE_MARGIN, top, A4_WIDTH - 2 * PAGE_MARGIN, ROW_HEIGHT, [52, 58, 64]);
  page.text(COLUMN_X.date + 4, top + 12.5, dateLabel, headerStyle);
  page.text(COLUMN_X.description, top + 12.5, descriptionLabel, headerStyle);
  page.textRight(COLUMN_X.amountRight - 4, top + 12.5, amountLabel, headerStyle);
  page.textRight(COLUMN_X.balanceRight - 4, top + 12.5, balanceLabel, headerStyle);
  rows.forEach((row, index) => {
    const y = top + (index + 1) * ROW_HEIGHT;
    if (index % 2 === 1) page.fillRect(PAGE_MARGIN, y, A4_WIDTH - 2 * PAGE_MARGIN, ROW_HEIGHT, ZEBRA);
    const baseline = y + 12.5;
    const debit = row.amount.trim().startsWith('-');
    page.text(COLUMN_X.date + 4, baseline, formatDateTime(row.date, locale).date, { size: 9 });
    page.text(COLUMN_X.description, baseline, fitPdfText(row.description, 250, 9), { size: 9 });
    page.textRight(COLUMN_X.amountRight - 4, baseline, formatAmount(row.amount, locale), {
      size: 9,
      color: debit ? DEBIT : INK,
    });
    page.textRight(COLUMN_X.balanceRight - 4, baseline, formatAmount(row.balance, locale), { size: 9 });
  });
  const bottom = top + (rows.length + 1) * ROW_HEIGHT;
  page.line(PAGE_MARGIN, bottom, A4_WIDTH - PAGE_MARGIN, bottom, [173, 181, 189]);
}

function drawStatementFooter(page: PdfPage, pageLabel: string, notice: string): void {
  const y = A4_HEIGHT - 36;
  page.line(PAGE_MARGIN, y - 14, A4_WIDTH - PAGE_MARGIN, y - 14, [206, 212, 218]);
  page.text(PAGE_MARGIN, y, notice, { size: 8, color: MUTED });
  page.textRight(A4_WIDTH - PAGE_MARGIN, y, pageLabel, { size: 8, color: MUTED });
}

/** a − b for signed decimal strings, exactly (statement balances must add up to the cent). */
function subtractDecimal(a: string, b: string): string {
  return fromMinorUnits(signedMinorUnits(a) - signedMinorUnits(b), 2);
}

function signedMinorUnits(amount: string): bigint {
  const trimmed = amount.trim();
  const magnitude = toMinorUnits(trimmed.replace(/^-/, ''), 2);
  return trimmed.startsWith('-') ? -magnitude : magnitude;
}

// ---------------------------------------------------------------------------------------------------
// Synthetic ID card

const ID_WIDTH = 640;
const ID_HEIGHT = 400;
const ID_PHOTO = { x: 28, y: 104, width: 176, height: 216 };
const MRZ_LENGTH = 36;

const COUNTRY_NAMES: Record<string, string> = {
  VE: 'Venezuela',
  CO: 'Colombia',
  AR: 'Argentina',
  MX: 'México',
  BR: 'Brasil',
  PE: 'Perú',
  CL: 'Chile',
  EC: 'Ecuador',
  US: 'Estados Unidos',
  ES: 'España',
};

function countryName(country: string): string {
  return COUNTRY_NAMES[country.toUpperCase()] ?? country;
}

export function renderIdPhotoPng(person: SyntheticPersonSpec): Buffer {
  const random = seededRandom(`id-card:${person.seed}`);
  const country = countryName(person.country);
  const brand = brandColor(`country:${country}`);
  const canvas = new RasterCanvas(ID_WIDTH, ID_HEIGHT, mix(brand, WHITE, 0.9));
  drawGuilloche(canvas, random, mix(brand, WHITE, 0.7));

  canvas.fillRect(0, 0, ID_WIDTH, 84, brand);
  const onBrand = textColorOn(brand);
  drawCentred(canvas, 16, fitText(country.toUpperCase(), ID_WIDTH - 40, 3), onBrand, {
    scale: 3,
    bold: true,
  });
  drawCentred(canvas, 54, 'DOCUMENTO DE IDENTIDAD', onBrand, { scale: 2 });

  canvas.fillRect(
    ID_PHOTO.x - 3,
    ID_PHOTO.y - 3,
    ID_PHOTO.width + 6,
    ID_PHOTO.height + 6,
    mix(brand, INK, 0.4),
  );
  canvas.drawCanvas(drawIdPortrait(faceLookFor(person)), ID_PHOTO.x, ID_PHOTO.y);
  drawIdFields(canvas, person, country, mix(brand, INK, 0.5));
  drawSignature(canvas, random, 420, 266, 180, 40);
  drawMrz(canvas, person, country);
  return encodePng(canvas);
}

function drawIdPortrait(look: FaceLook): RasterCanvas {
  const portrait = new RasterCanvas(ID_PHOTO.width, ID_PHOTO.height, [214, 226, 236]);
  drawPortrait(portrait, look, { cx: ID_PHOTO.width / 2, cy: 96, radius: 64, yaw: 0, roll: 0 });
  return portrait;
}

function drawIdFields(
  canvas: RasterCanvas,
  person: SyntheticPersonSpec,
  country: string,
  labelColor: Rgb,
): void {
  const left = 228;
  const maxWidth = ID_WIDTH - left - 24;
  const fields: Array<[string, string[]]> = [
    ['APELLIDOS Y NOMBRES', wrapText(person.fullName.toUpperCase(), maxWidth, 2).slice(0, 2)],
    ['N° DE DOCUMENTO', [person.documentNumber]],
    ['FECHA DE NACIMIENTO', [formatDateTime(person.birthDate, 'es').date]],
    ['NACIONALIDAD', [country.toUpperCase()]],
  ];
  let y = 104;
  for (const [label, lines] of fields) {
    canvas.text(left, y, label, labelColor, { scale: 1, bold: true });
    y += 14;
    for (const line of lines) {
      canvas.text(left, y, fitText(line, maxWidth, 2), INK, { scale: 2, bold: true });
      y += 22;
    }
    y += 8;
  }
}

/** Fine wavy lines like the security print of real cards; phase and frequency come from the seed. */
function drawGuilloche(canvas: RasterCanvas, random: Random, color: Rgb): void {
  for (let wave = 0; wave < 6; wave++) {
    const baseY = randomBetween(random, 100, canvas.height - 80);
    const amplitude = randomBetween(random, 8, 30);
    const frequency = randomBetween(random, 0.01, 0.04);
    const phase = randomBetween(random, 0, Math.PI * 2);
    const points: Array<[number, number]> = [];
    for (let x = 0; x <= canvas.width; x += 4)
      points.push([x, baseY + amplitude * Math.sin(x * frequency + phase)]);
    canvas.polyline(points, color);
  }
}

/**
 * A cursive-looking scribble: a prolate cycloid (a point on a rolling wheel's extended spoke) draws
 * handwriting-like loops; the loops swell and shrink along the stroke like letters of a name.
 */
function drawSignature(
  canvas: RasterCanvas,
  random: Random,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const loops = randomInt(random, 4, 7);
  const turn = loops * Math.PI * 2;
  const advance = width / turn;
  const spoke = advance * randomBetween(random, 1.4, 2.2);
  const slant = randomBetween(random, 0.2, 0.5);
  const points: Array<[number, number]> = [];
  for (let step = 0; step <= 300; step++) {
    const t = (step / 300) * turn;
    const swell = 0.45 + 0.55 * Math.sin((step / 300) * Math.PI + randomBetween(random, -0.05, 0.05));
    const dy = -Math.cos(t) * (height / 2) * swell;
    points.push([x + advance * t - spoke * Math.sin(t) - slant * dy, y + height / 2 + dy]);
  }
  canvas.polyline(points, [30, 45, 110], 2);
}

/** ASCII capitals and digits only, as machine-readable zones allow; other characters become '<'. */
function mrzText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '<');
}

/** Two machine-readable-zone lines in the style of ICAO TD2 (not check-digit valid: it is a demo card). */
function drawMrz(canvas: RasterCanvas, person: SyntheticPersonSpec, country: string): void {
  const words = person.fullName.split(/\s+/).filter(Boolean);
  // Latin American names usually end with two surnames; with fewer than four words, one given name.
  const givenCount = Math.max(1, Math.floor(words.length / 2));
  const given = mrzText(words.slice(0, givenCount).join(' '));
  const surnames = mrzText(words.slice(givenCount).join(' '));
  const birth = person.birthDate.replace(/-/g, '').slice(2, 8);
  const lines = [
    `ID${mrzText(country).slice(0, 3)}${mrzText(person.documentNumber)}`,
    `${birth}<${surnames}<<${given}`,
  ].map((line) => line.padEnd(MRZ_LENGTH, '<').slice(0, MRZ_LENGTH));
  canvas.fillRect(0, 336, ID_WIDTH, ID_HEIGHT - 336, [246, 246, 240]);
  lines.forEach((line, index) => canvas.text(28, 346 + index * 24, line, INK, { scale: 2 }));
}

// ---------------------------------------------------------------------------------------------------
// Liveness selfie frames

const SELFIE_WIDTH = 320;
const SELFIE_HEIGHT = 400;
const SELFIE_JPEG_QUALITY = 80;

/**
 * Frames of a "turn your head" liveness video: the same synthetic face sweeping from one side to the
 * other with a little tilt and hand shake. `differentPerson` films someone else in the same room,
 * which is what a failed face match looks like.
 */
export function renderSelfieFramesJpeg(
  person: SyntheticPersonSpec,
  count: number,
  opts: { differentPerson?: boolean } = {},
): Buffer[] {
  const look = faceLookFor(person, opts.differentPerson ?? false);
  const room = drawRoom(seededRandom(`room:${person.seed}`));
  return Array.from({ length: count }, (_, index) => {
    const random = seededRandom(`selfie:${person.seed}:${opts.differentPerson ? 'other' : 'self'}:${index}`);
    const frame = new RasterCanvas(SELFIE_WIDTH, SELFIE_HEIGHT);
    frame.drawCanvas(room, 0, 0);
    drawPortrait(frame, look, selfiePose(index, count, random));
    frame.addVignette(0.35);
    frame.addNoise(random, 6);
    return encodeJpeg(frame, SELFIE_JPEG_QUALITY);
  });
}

function selfiePose(index: number, count: number, random: Random): HeadPose {
  const progress = count > 1 ? index / (count - 1) : 0.5;
  return {
    cx: SELFIE_WIDTH / 2 + 10 * Math.sin(progress * Math.PI * 2) + randomBetween(random, -3, 3),
    cy: 172 + randomBetween(random, -3, 3),
    radius: 88,
    yaw: -0.32 + 0.64 * progress,
    roll: 0.07 * Math.sin(progress * Math.PI * 2) + randomBetween(random, -0.02, 0.02),
  };
}

/** A plain wall with a window and a picture frame: the background every frame of one session shares. */
function drawRoom(random: Random): RasterCanvas {
  const wall = mix([232, 220, 200], [200, 214, 226], random());
  const room = new RasterCanvas(SELFIE_WIDTH, SELFIE_HEIGHT);
  room.fillGradient(0, 0, SELFIE_WIDTH, SELFIE_HEIGHT, mix(wall, WHITE, 0.2), mix(wall, INK, 0.25));
  const windowX = randomInt(random, -40, 220);
  room.fillRect(windowX, 30, 120, 150, mix(wall, INK, 0.3));
  room.fillGradient(windowX + 6, 36, 108, 138, [214, 232, 248], [186, 212, 236]);
  const frameX = windowX > 110 ? randomInt(random, 10, 60) : randomInt(random, 230, 270);
  room.fillRect(frameX, 60, 60, 46, mix(wall, INK, 0.5));
  room.fillRect(frameX + 5, 65, 50, 36, mix([120, 160, 110], wall, random() * 0.5));
  return room;
}
