// An embedded 5x7 bitmap font, so the seed can write text into images without any system font or
// native library. Glyphs are drawn as rows of '#' (ink) and '.' (paper); rows 0–6 are the body from
// cap height down to the baseline and up to two more rows hang below it (g, j, p, q, y, comma).
// Accented letters are not drawn one by one: they are composed from a base letter and a diacritic
// (Unicode NFD), which covers Spanish and Portuguese (á é í ó ú ñ ü ç ã õ â ê ô à ...) in a few lines.

export const GLYPH_WIDTH = 5;
/** Horizontal distance from one character to the next, in font pixels. */
export const GLYPH_ADVANCE = 6;
/** Rows above the cap height used by accents on capitals. */
const ACCENT_ROWS = 3;

const GLYPHS: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... #.##. ##..# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .##.# #..## #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .###. #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  // Dotless i and j carry accents in place of their dot.
  ı: '..... ..... .##.. ..#.. ..#.. ..#.. .###.',
  ȷ: '..... ..... ..##. ...#. ...#. ...#. ...#. #..#. .##..',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... ..... .##.. .##.. ..#.. .#...',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  ';': '..... .##.. .##.. ..... .##.. .##.. ..#.. .#...',
  '-': '..... ..... ..... .###. ..... ..... .....',
  _: '..... ..... ..... ..... ..... ..... #####',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '\\': '..... #.... .#... ..#.. ...#. ....# .....',
  '|': '..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  $: '..#.. .#### #.#.. .###. ..#.# ####. ..#..',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '[': '.###. .#... .#... .#... .#... .#... .###.',
  ']': '.###. ...#. ...#. ...#. ...#. ...#. .###.',
  '{': '...## ..#.. ..#.. .#... ..#.. ..#.. ...##',
  '}': '##... ..#.. ..#.. ...#. ..#.. ..#.. ##...',
  '@': '.###. #...# ....# .##.# #.#.# #.#.# .###.',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '*': '..... ..#.. #.#.# .###. #.#.# ..#.. .....',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '<': '...#. ..#.. .#... #.... .#... ..#.. ...#.',
  '>': '.#... ..#.. ...#. ....# ...#. ..#.. .#...',
  '~': '..... ..... .#... #.#.# ...#. ..... .....',
  "'": '..#.. ..#.. .#... ..... ..... ..... .....',
  '"': '.#.#. .#.#. .#.#. ..... ..... ..... .....',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '¡': '..#.. ..... ..#.. ..#.. ..#.. ..#.. ..#..',
  '¿': '..#.. ..... ..#.. .#... #.... #...# .###.',
  '°': '.##.. #..#. #..#. .##.. ..... ..... .....',
  º: '.###. #...# .###. ..... ##### ..... .....',
  '€': '..### .#... ####. .#... ####. .#... ..###',
};

/** Combining diacritics (NFD), drawn in two rows above the letter or, for the cedilla, below it. */
const DIACRITICS: Record<string, { rows: string; below: boolean }> = {
  '\u0300': { rows: '.#... ..#..', below: false }, // grave
  '\u0301': { rows: '...#. ..#..', below: false }, // acute
  '\u0302': { rows: '..#.. .#.#.', below: false }, // circumflex
  '\u0303': { rows: '.##.# #.##.', below: false }, // tilde
  '\u0308': { rows: '.#.#. .....', below: false }, // diaeresis
  '\u0327': { rows: '..#.. .##..', below: true }, // cedilla
};

const UNKNOWN_GLYPH = '##### #...# #...# #...# #...# #...# #####';

/** Ink pixels of one character, relative to its cap-height top-left corner (y may be negative for accents). */
export type GlyphPixels = ReadonlyArray<readonly [number, number]>;

function inkPixels(art: string, rowOffset: number): [number, number][] {
  const pixels: [number, number][] = [];
  art.split(' ').forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '#') pixels.push([x, y + rowOffset]);
  });
  return pixels;
}

/** Lowercase bodies start two rows lower than capitals, so their accents sit lower too. */
function diacriticRowOffset(base: string, below: boolean): number {
  if (below) return 7;
  return base === base.toLowerCase() ? -1 : -ACCENT_ROWS;
}

function composeGlyph(char: string): [number, number][] {
  const direct = GLYPHS[char];
  if (direct !== undefined) return inkPixels(direct, 0);
  const [baseChar = '', ...marks] = Array.from(char.normalize('NFD'));
  const diacritics = marks.map((mark) => DIACRITICS[mark]);
  const takesMarkAbove = diacritics.some((d) => d !== undefined && !d.below);
  const base = takesMarkAbove && baseChar === 'i' ? 'ı' : takesMarkAbove && baseChar === 'j' ? 'ȷ' : baseChar;
  const baseArt = GLYPHS[base];
  if (baseArt === undefined || diacritics.some((d) => d === undefined)) return inkPixels(UNKNOWN_GLYPH, 0);
  const pixels = inkPixels(baseArt, 0);
  for (const diacritic of diacritics) {
    if (diacritic) pixels.push(...inkPixels(diacritic.rows, diacriticRowOffset(baseChar, diacritic.below)));
  }
  return pixels;
}

const glyphCache = new Map<string, GlyphPixels>();

/** The ink of one user-perceived character (already NFC), composed and cached on first use. */
export function glyphPixels(char: string): GlyphPixels {
  let pixels = glyphCache.get(char);
  if (!pixels) {
    pixels = composeGlyph(char);
    glyphCache.set(char, pixels);
  }
  return pixels;
}

/** Splits text into characters the way the font draws them: NFC code points. */
export function fontCharacters(text: string): string[] {
  return Array.from(text.normalize('NFC'));
}
