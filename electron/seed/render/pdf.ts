// A minimal hand-written PDF 1.4 writer: pages of filled rectangles, lines and text in the standard
// Helvetica fonts (every viewer has them, so nothing is embedded). Text is WinAnsi-encoded and written
// with octal escapes, which keeps the file ASCII apart from the binary marker comment.

import type { Rgb } from './canvas';

export const A4_WIDTH = 595;
export const A4_HEIGHT = 842;

export type PdfFont = 'regular' | 'bold';

export interface PdfTextStyle {
  font?: PdfFont;
  size?: number;
  color?: Rgb;
}

const FONT_RESOURCE: Record<PdfFont, string> = { regular: 'F1', bold: 'F2' };

// Helvetica advance widths (1/1000 em) for ASCII 32–126, from the standard AFM metrics.
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const AVERAGE_WIDTH = 556;

// WinAnsiEncoding agrees with Latin-1 except in 0x80–0x9F; '\0' marks the codes it leaves unused.
const WIN_ANSI_0X80 = '€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ';

function stripAccents(char: string): string {
  return char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** The WinAnsi byte for a character; unmappable characters lose their accent or become '?'. */
function winAnsiByte(char: string): number {
  const code = char.codePointAt(0) ?? 63;
  if ((code >= 32 && code <= 126) || (code >= 0xa0 && code <= 0xff)) return code;
  const special = WIN_ANSI_0X80.indexOf(char);
  if (special >= 0 && char !== '\0') return 0x80 + special;
  const base = stripAccents(char);
  return base !== char && base.length === 1 ? winAnsiByte(base) : 63;
}

/** A PDF literal string: parentheses and backslashes escaped, non-ASCII bytes as octal escapes. */
function pdfString(text: string): string {
  let body = '';
  for (const char of text) {
    const byte = winAnsiByte(char);
    if (char === '(' || char === ')' || char === '\\') body += `\\${char}`;
    else if (byte < 32 || byte > 126) body += `\\${byte.toString(8).padStart(3, '0')}`;
    else body += String.fromCharCode(byte);
  }
  return `(${body})`;
}

/**
 * Width of text in points for Helvetica; used to right-align amounts. Helvetica-Bold digits, separators
 * and spaces have the same widths, so bold numbers align too.
 */
function textWidth(text: string, size: number): number {
  let units = 0;
  for (const char of text) {
    const code = stripAccents(char).codePointAt(0) ?? 0;
    units += HELVETICA_WIDTHS[code - 32] ?? AVERAGE_WIDTH;
  }
  return (units * size) / 1000;
}

/** Shortens text with "..." to fit `maxWidth` points. */
export function fitPdfText(text: string, maxWidth: number, size: number): string {
  if (textWidth(text, size) <= maxWidth) return text;
  let shortened = text;
  while (shortened.length > 0 && textWidth(`${shortened}...`, size) > maxWidth)
    shortened = shortened.slice(0, -1);
  return `${shortened.trimEnd()}...`;
}

function num(value: number): string {
  return Number(value.toFixed(2)).toString();
}

function colorOperands(color: Rgb): string {
  return color.map((channel) => num(channel / 255)).join(' ');
}

/** The drawing operators of one page. Coordinates are in points from the top-left corner, like the canvas. */
export class PdfPage {
  private readonly operators: string[] = [];

  constructor(
    readonly width = A4_WIDTH,
    readonly height = A4_HEIGHT,
  ) {}

  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.operators.push(
      `${colorOperands(color)} rg ${num(x)} ${num(this.height - y - h)} ${num(w)} ${num(h)} re f`,
    );
  }

  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, lineWidth = 0.5): void {
    this.operators.push(
      `${colorOperands(color)} RG ${num(lineWidth)} w ${num(x0)} ${num(this.height - y0)} m ${num(x1)} ${num(this.height - y1)} l S`,
    );
  }

  /** Text whose baseline starts at (x, y). */
  text(
    x: number,
    y: number,
    text: string,
    { font = 'regular', size = 10, color = [0, 0, 0] }: PdfTextStyle = {},
  ): void {
    this.operators.push(
      `BT /${FONT_RESOURCE[font]} ${num(size)} Tf ${colorOperands(color)} rg ${num(x)} ${num(this.height - y)} Td ${pdfString(text)} Tj ET`,
    );
  }

  /** Text whose baseline ends at (right, y). */
  textRight(right: number, y: number, text: string, style: PdfTextStyle = {}): void {
    this.text(right - textWidth(text, style.size ?? 10), y, text, style);
  }

  contentStream(): string {
    return this.operators.join('\n');
  }
}

// Fixed object numbers; pages and their content streams follow from FIRST_PAGE_ID in pairs.
const CATALOG_ID = 1;
const PAGES_ID = 2;
const REGULAR_FONT_ID = 3;
const BOLD_FONT_ID = 4;
const INFO_ID = 5;
const FIRST_PAGE_ID = 6;

/** Serialises objects numbered from 1 in order, with an xref table whose offsets are byte-exact. */
function serialise(objects: string[]): Buffer {
  // The second line's high bytes tell transfer tools that the file is binary.
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(length);
    const chunk = Buffer.from(`${index + 1} 0 obj\n${body}\nendobj\n`, 'latin1');
    chunks.push(chunk);
    length += chunk.length;
  });
  const tail = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${offset.toString().padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root ${CATALOG_ID} 0 R /Info ${INFO_ID} 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
  ];
  chunks.push(Buffer.from(tail.join('\n'), 'latin1'));
  return Buffer.concat(chunks);
}

/** A complete PDF document of the given pages, with the two Helvetica fonts as shared resources. */
export function buildPdf(pages: PdfPage[], title: string): Buffer {
  const pageIds = pages.map((_, index) => FIRST_PAGE_ID + index * 2);
  const objects = [
    `<< /Type /Catalog /Pages ${PAGES_ID} 0 R >>`,
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title ${pdfString(title)} /Producer (Dispute Desk demo seed) >>`,
  ];
  const fonts = `/Font << /${FONT_RESOURCE.regular} ${REGULAR_FONT_ID} 0 R /${FONT_RESOURCE.bold} ${BOLD_FONT_ID} 0 R >>`;
  pages.forEach((page, index) => {
    const contentId = pageIds[index]! + 1;
    const stream = page.contentStream();
    objects.push(
      `<< /Type /Page /Parent ${PAGES_ID} 0 R /MediaBox [0 0 ${page.width} ${page.height}] ` +
        `/Resources << ${fonts} >> /Contents ${contentId} 0 R >>`,
      `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    );
  });
  return serialise(objects);
}
