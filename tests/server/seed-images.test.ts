import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { sniffMime } from '../../electron/server/evidence/sniff';
import {
  renderBankStatementPdf,
  renderIdPhotoPng,
  renderReceiptJpeg,
  renderReceiptPng,
  renderSelfieFramesJpeg,
  type ReceiptSpec,
  type StatementSpec,
  type SyntheticPersonSpec,
} from '../../electron/seed/images';
import { glyphPixels } from '../../electron/seed/render/font';

const receipt: ReceiptSpec = {
  bank: 'Banco de Venezuela',
  method: 'Pago Móvil',
  amount: '1250.5',
  currency: 'VES',
  payerName: 'María José Pérez',
  payerAccount: '0102-0345-67-8901234567',
  payeeName: 'José Núñez Gómez',
  payeeAccount: '0134-1234-56-7890123456',
  reference: '00012345678',
  paidAt: '2025-03-14T15:42:07-04:00',
  locale: 'es',
  seed: 'receipt-1',
};

const person: SyntheticPersonSpec = {
  fullName: 'María Fernanda Gutiérrez Rodríguez',
  documentNumber: 'V-18.234.567',
  birthDate: '1990-05-12',
  country: 'VE',
  skinTone: 2,
  hairColor: 1,
  seed: 'person-1',
};

function statementRows(count: number): StatementSpec['rows'] {
  return Array.from({ length: count }, (_, i) => ({
    date: `2025-03-${String((i % 28) + 1).padStart(2, '0')}`,
    description: i === 3 ? 'Pago Móvil (ref. 00012345678) \\ Núñez' : `Transferencia ${i}`,
    amount: i % 2 === 0 ? `-${i + 10}.25` : `${i * 100 + 1}.00`,
    balance: `${5000 + i}.75`,
  }));
}

const statement: StatementSpec = {
  bank: 'Banesco',
  accountHolder: 'José Núñez Gómez',
  accountNumber: '0134-1234-56-7890123456',
  currency: 'VES',
  periodStart: '2025-03-01',
  periodEnd: '2025-03-31',
  rows: statementRows(8),
};

/** True when the RGBA pixels hold more than one colour. */
function hasSeveralColours(data: Uint8Array): boolean {
  for (let i = 4; i < data.length; i += 4) {
    if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
  }
  return false;
}

function decodePng(bytes: Buffer): PNG {
  return PNG.sync.read(bytes);
}

describe('receipts', () => {
  it('renders a PNG of about 480x800 that is not one flat colour', () => {
    const bytes = renderReceiptPng(receipt);
    expect(sniffMime(bytes)).toBe('image/png');
    const png = decodePng(bytes);
    expect([png.width, png.height]).toEqual([480, 800]);
    expect(hasSeveralColours(png.data)).toBe(true);
  });

  it('renders a JPEG that jpeg-js decodes', () => {
    const bytes = renderReceiptJpeg(receipt);
    expect(sniffMime(bytes)).toBe('image/jpeg');
    const image = jpeg.decode(bytes);
    expect([image.width, image.height]).toEqual([480, 800]);
    expect(hasSeveralColours(image.data)).toBe(true);
  });

  it('is deterministic, and any change in the spec changes the file', () => {
    expect(renderReceiptPng(receipt).equals(renderReceiptPng({ ...receipt }))).toBe(true);
    expect(renderReceiptJpeg(receipt).equals(renderReceiptJpeg({ ...receipt }))).toBe(true);
    expect(renderReceiptPng(receipt).equals(renderReceiptPng({ ...receipt, amount: '1250.50' }))).toBe(true);
    expect(renderReceiptPng(receipt).equals(renderReceiptPng({ ...receipt, amount: '1205.50' }))).toBe(false);
    expect(renderReceiptPng(receipt).equals(renderReceiptPng({ ...receipt, payerName: 'Pedro Pérez' }))).toBe(
      false,
    );
    expect(renderReceiptPng(receipt).equals(renderReceiptPng({ ...receipt, seed: 'receipt-2' }))).toBe(false);
  });

  it('renders every locale, method and awkward text without throwing', () => {
    const awkward: ReceiptSpec = {
      ...receipt,
      bank: 'Bancolombia (sucursal "Centro")',
      method: 'Bank transfer',
      currency: 'COP',
      amount: '123456789012.99',
      payerName: 'ÁÉÍÓÚÑ áéíóúñ ü ç ã õ ¿Quién? ¡Sí! 50% #1 @x +*/_',
      payeeName: 'Zoë 张伟 😀 — a name far too long to fit on one line of the receipt',
      paidAt: 'not a date',
    };
    for (const locale of ['es', 'pt', 'en'] as const) {
      expect(sniffMime(renderReceiptPng({ ...awkward, locale }))).toBe('image/png');
    }
    for (const method of ['Zelle', 'Nequi', 'Mercado Pago', 'PIX']) {
      expect(sniffMime(renderReceiptJpeg({ ...receipt, method, bank: method }))).toBe('image/jpeg');
    }
  });
});

describe('bitmap font', () => {
  it('puts accents above capitals and draws unknown characters as a box', () => {
    const plain = glyphPixels('A');
    const accented = glyphPixels('Á');
    expect(accented.length).toBeGreaterThan(plain.length);
    expect(Math.min(...accented.map(([, y]) => y))).toBeLessThan(0);
    expect(glyphPixels('张')).toEqual(glyphPixels('\u{1F600}'));
    expect(glyphPixels('张')).not.toEqual(glyphPixels(' '));
  });

  it('replaces the dot of i with the accent in í', () => {
    const dotless = glyphPixels('ı').length;
    expect(glyphPixels('i')).toHaveLength(dotless + 1);
    // Two pixels of acute accent, and no dot underneath it.
    expect(glyphPixels('í')).toHaveLength(dotless + 2);
  });
});

describe('bank statement PDF', () => {
  function latin1(bytes: Buffer): string {
    return bytes.toString('latin1');
  }

  it('is a PDF 1.4 with an xref table whose offsets point at their objects', () => {
    const bytes = renderBankStatementPdf(statement);
    const text = latin1(bytes);
    expect(sniffMime(bytes)).toBe('application/pdf');
    expect(text.startsWith('%PDF-1.4')).toBe(true);
    expect(text.endsWith('%%EOF')).toBe(true);

    const startxref = Number(/startxref\s+(\d+)\s+%%EOF$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const xref = /xref\n0 (\d+)\n([\s\S]*?)trailer/.exec(text.slice(startxref));
    expect(xref).not.toBeNull();
    const entries = xref![2]!.split('\n').filter(Boolean).slice(1);
    expect(entries).toHaveLength(Number(xref![1]) - 1);
    entries.forEach((entry, index) => {
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + 20)).toMatch(new RegExp(`^${index + 1} 0 obj\\n`));
    });
    expect(text).toContain(`/Size ${xref![1]}`);
  });

  it('declares stream lengths that match the stream bytes', () => {
    const text = latin1(renderBankStatementPdf(statement));
    const streams = [...text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)];
    expect(streams.length).toBeGreaterThan(0);
    for (const stream of streams) {
      const start = stream.index! + stream[0].length;
      expect(text.slice(start + Number(stream[1]), start + Number(stream[1]) + 10)).toBe('\nendstream');
    }
  });

  it('escapes parentheses and backslashes and writes Latin-1 letters as WinAnsi octal escapes', () => {
    const text = latin1(renderBankStatementPdf(statement));
    expect(text).toContain('(Pago M\\363vil \\(ref. 00012345678\\) \\\\ N\\372\\361ez)');
    expect(text).toContain('/Encoding /WinAnsiEncoding');
  });

  it('uses a second page for long statements', () => {
    const text = latin1(renderBankStatementPdf({ ...statement, rows: statementRows(45) }));
    expect(text).toContain('/Count 2');
    expect(latin1(renderBankStatementPdf(statement))).toContain('/Count 1');
    expect(latin1(renderBankStatementPdf({ ...statement, rows: [] }))).toContain('/Count 1');
  });

  it('is deterministic, and different statements differ', () => {
    expect(renderBankStatementPdf(statement).equals(renderBankStatementPdf({ ...statement }))).toBe(true);
    expect(
      renderBankStatementPdf(statement).equals(renderBankStatementPdf({ ...statement, locale: 'en' })),
    ).toBe(false);
  });
});

describe('synthetic ID photo', () => {
  it('renders a 640x400 PNG card', () => {
    const bytes = renderIdPhotoPng(person);
    expect(sniffMime(bytes)).toBe('image/png');
    const png = decodePng(bytes);
    expect([png.width, png.height]).toEqual([640, 400]);
    expect(hasSeveralColours(png.data)).toBe(true);
  });

  it('is deterministic, and another person gives another card', () => {
    expect(renderIdPhotoPng(person).equals(renderIdPhotoPng({ ...person }))).toBe(true);
    expect(renderIdPhotoPng(person).equals(renderIdPhotoPng({ ...person, skinTone: 4 }))).toBe(false);
    expect(
      renderIdPhotoPng(person).equals(renderIdPhotoPng({ ...person, documentNumber: 'V-9.999.999' })),
    ).toBe(false);
  });
});

describe('liveness selfie frames', () => {
  it('renders the requested number of 320x400 JPEG frames in which the head moves', () => {
    const frames = renderSelfieFramesJpeg(person, 4);
    expect(frames).toHaveLength(4);
    for (const frame of frames) {
      expect(sniffMime(frame)).toBe('image/jpeg');
      const image = jpeg.decode(frame);
      expect([image.width, image.height]).toEqual([320, 400]);
    }
    expect(new Set(frames.map((frame) => frame.toString('base64'))).size).toBe(4);
  });

  it('is deterministic', () => {
    const first = renderSelfieFramesJpeg(person, 3);
    const second = renderSelfieFramesJpeg({ ...person }, 3);
    first.forEach((frame, index) => expect(frame.equals(second[index]!)).toBe(true));
  });

  it('films a visibly different face for failed face-match scenarios', () => {
    const own = jpeg.decode(renderSelfieFramesJpeg(person, 1)[0]!);
    const other = jpeg.decode(renderSelfieFramesJpeg(person, 1, { differentPerson: true })[0]!);
    // Compare the face region (centre of the frame), where skin and hair colours differ.
    let difference = 0;
    let samples = 0;
    for (let y = 100; y < 260; y += 2) {
      for (let x = 100; x < 220; x += 2) {
        const i = (y * 320 + x) * 4;
        difference +=
          Math.abs(own.data[i]! - other.data[i]!) + Math.abs(own.data[i + 1]! - other.data[i + 1]!);
        samples++;
      }
    }
    expect(difference / samples).toBeGreaterThan(20);
  });
});

describe('sniffMime', () => {
  const ascii = (text: string) => Buffer.from(text, 'latin1');

  it('recognises each accepted type by its magic bytes', () => {
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('image/png');
    expect(sniffMime(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffMime(Buffer.concat([ascii('RIFF'), Buffer.from([0x24, 0, 0, 0]), ascii('WEBPVP8 ')]))).toBe(
      'image/webp',
    );
    expect(sniffMime(ascii('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMime(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), ascii('ftypisom'), Buffer.alloc(8)]))).toBe(
      'video/mp4',
    );
    expect(sniffMime(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]))).toBe('video/webm');
  });

  it('returns null for empty, truncated, look-alike and garbage input', () => {
    expect(sniffMime(Buffer.alloc(0))).toBeNull();
    expect(sniffMime(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffMime(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(
      sniffMime(Buffer.concat([ascii('RIFF'), Buffer.from([0x24, 0, 0, 0]), ascii('WAVEfmt ')])),
    ).toBeNull();
    expect(sniffMime(ascii('%PDF'))).toBeNull();
    expect(sniffMime(ascii('GIF89a......'))).toBeNull();
    expect(sniffMime(ascii('hello world, not a file'))).toBeNull();
    expect(sniffMime(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))).toBeNull();
  });
});
