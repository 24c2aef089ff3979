// Text for documents whose character set is narrower than the data's: the PDF's standard fonts, which
// encode WinAnsi (Windows-1252), and XML 1.0, which forbids most control characters.

/** The characters of Windows-1252 above Latin-1's printable ASCII that are not Latin-1 itself. */
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Letters and signs that Unicode decomposition does not bring into WinAnsi, spelt the usual way. */
const SPELLED: Record<string, string> = {
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ħ: 'h',
  Ħ: 'H',
  ı: 'i',
  ŧ: 't',
  Ŧ: 'T',
  ə: 'e',
  Ə: 'E',
  ŋ: 'ng',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
};

function inWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char);
}

/**
 * `text` in characters a WinAnsi font can show. Accented Latin letters that WinAnsi has (á, ç, ñ, ã, ü)
 * stay; others lose their marks (ş → s, ő → o) or take their usual spelling (ł → l); anything else
 * (another script, an emoji) becomes "?", so a reader sees that something was there rather than a wrong
 * glyph. Line breaks stay; tabs become spaces; other control characters go.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (char === '\n' || inWinAnsi(char)) out += char;
    else if (char === '\t') out += ' ';
    else if (/\p{Cc}/u.test(char)) continue;
    else {
      const spelled = SPELLED[char] ?? char.normalize('NFD').replace(/\p{M}/gu, '');
      out += spelled !== '' && [...spelled].every(inWinAnsi) ? spelled : '?';
    }
  }
  return out;
}

/** `text` without the characters XML 1.0 does not allow (control characters other than tab and breaks). */
export const xmlSafe = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- the point is to match control characters
  text.replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '');

/** A name split for forms with first and last name fields: the first word, then the rest. */
export function splitName(displayName: string): { first: string; last: string } {
  const words = displayName.trim().split(/\s+/);
  if (words.length < 2) return { first: '', last: words[0] ?? '' };
  return { first: words[0]!, last: words.slice(1).join(' ') };
}

/** A file name that is safe in a Content-Disposition header and on any file system. */
export const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
