// A sync page's bytes as text (electron/desk/sync/page-text.ts): the writer's thread reads pages through
// ICU's transcoding rather than V8's UTF-8 decoder, and must read every page exactly as TextDecoder does,
// the broken ones included.
import type * as NodeBuffer from 'node:buffer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAST_DECODE_MAX_BYTES, textOfPage } from '../../electron/desk/sync/page-text';

const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A seeded generator of whole numbers below `bound` (a linear congruential one): the same samples every run. */
function seeded(seed: number): (bound: number) => number {
  let state = seed;
  return (bound) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % bound;
  };
}

/** A string of `length` characters drawn from ASCII, Latin-1, Spanish, CJK, emoji and control characters. */
function mixedText(length: number, below: (bound: number) => number): string {
  const pool = ['a', 'Z', '"', '\\', '\n', '\u0001', 'ñ', 'é', '¿', 'Ü', '€', '中', '\u2028', '😀', '👩‍💻', '\uFEFF'];
  let text = '';
  for (let index = 0; index < length; index++) text += pool[below(pool.length)];
  return text;
}

/** textOfPage of a fresh copy of its module, with node:buffer's transcode replaced by `transcode`. */
async function textOfPageWith(transcode: unknown): Promise<typeof textOfPage> {
  vi.resetModules();
  vi.doMock('node:buffer', async (importOriginal) => ({ ...(await importOriginal<typeof NodeBuffer>()), transcode }));
  return (await import('../../electron/desk/sync/page-text')).textOfPage;
}

afterEach(() => {
  vi.doUnmock('node:buffer');
  vi.resetModules();
});

describe('textOfPage', () => {
  it('reads well-formed UTF-8 as TextDecoder does', () => {
    const samples = [
      '',
      '{"changes":[],"cursor":0,"hasMore":false}',
      JSON.stringify({ body: 'Hola Rosa, ¿me confirmas los datos? Pago Móvil — Bs. 6.739,20' }),
      ...Array.from({ length: 200 }, (_, index) => {
        const below = seeded(index + 1);
        return mixedText(1 + below(400), below);
      }),
    ];
    for (const text of samples) {
      const bytes = new TextEncoder().encode(text);
      expect(textOfPage(bytes)).toBe(decoded(bytes));
    }
  });

  it('drops a leading byte-order mark and keeps one further on, as TextDecoder does', () => {
    const bytes = new TextEncoder().encode('\uFEFF{"a":"\uFEFF"}');
    expect(textOfPage(bytes)).toBe('{"a":"\uFEFF"}');
    expect(textOfPage(bytes)).toBe(decoded(bytes));
  });

  it('reads bytes that are not UTF-8 as TextDecoder does, with U+FFFD for what cannot be read', () => {
    const broken = [
      [0x7b, 0xff, 0x7d],
      [0x22, 0xc3, 0x28, 0x22],
      [0xe2, 0x82],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xf0, 0x9f, 0x98],
    ];
    for (const bytes of broken) {
      const page = Uint8Array.from(bytes);
      expect(textOfPage(page)).toBe(decoded(page));
      expect(textOfPage(page)).toContain('\uFFFD');
    }
  });

  it('reads a page too large for the fast path as TextDecoder does', () => {
    const large = new TextEncoder().encode(`{"a":"${'x'.repeat(FAST_DECODE_MAX_BYTES)}ñ"}`);
    expect(textOfPage(large)).toBe(decoded(large));
  });

  it('reads pages where the runtime has no transcoding, and passes on a failure that is not about the bytes', async () => {
    const page = new TextEncoder().encode('\uFEFF{"a":"ñ"}');
    expect((await textOfPageWith(undefined))(page)).toBe('{"a":"ñ"}');
    const outOfMemory = Object.assign(new Error('out of memory'), { code: 'ERR_MEMORY' });
    const failing = await textOfPageWith(() => {
      throw outOfMemory;
    });
    expect(() => failing(page)).toThrow(outOfMemory);
  });

  it('reads only the view it is given, not the rest of its buffer', () => {
    const whole = new TextEncoder().encode('xx{"a":"ñ"}yy');
    const view = whole.subarray(2, whole.length - 2);
    expect(textOfPage(view)).toBe('{"a":"ñ"}');
  });
});
