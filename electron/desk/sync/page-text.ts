// A sync page's bytes as text, for the writer's thread to parse (writer-thread.ts).
import * as buffer from 'node:buffer';

/**
 * Above this many bytes a page is decoded by TextDecoder: the fast path holds the page twice as UTF-16 (the
 * transcoded buffer and the string made of it), four bytes for each byte of an ASCII page against one.
 */
export const FAST_DECODE_MAX_BYTES = 32 * 1024 * 1024;

/** Node's transcoding (simdutf where it converts UTF-8), where this runtime has it: it comes with Intl. */
const transcode: typeof buffer.transcode | undefined = (buffer as { transcode?: typeof buffer.transcode }).transcode;

/**
 * The text of UTF-8 bytes, as TextDecoder reads them. `buffer.transcode` to UTF-16, and a string made of that,
 * take a third to a quarter of the time of V8's UTF-8 decoder on a page of case details, mostly ASCII with
 * some Spanish (pages of 500, 2.2 MB each: 4.4 against 15 ms on the 2-core benchmark machine), which was a
 * tenth of the writer thread's time in a first sync. Bytes it refuses (not UTF-8: an ICU error, `U_…`), pages
 * above FAST_DECODE_MAX_BYTES and a runtime without it are decoded by TextDecoder, with U+FFFD for what cannot
 * be read; a leading byte-order mark is dropped, as TextDecoder drops it.
 */
export function textOfPage(bytes: Uint8Array): string {
  if (!transcode || bytes.byteLength > FAST_DECODE_MAX_BYTES) return new TextDecoder().decode(bytes);
  let text: string;
  try {
    text = transcode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'utf8', 'ucs2').toString('ucs2');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('U_')) return new TextDecoder().decode(bytes);
    throw error;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
