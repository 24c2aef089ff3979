// A sync page's bytes as text, for the writer's thread to parse (writer-thread.ts).
import { transcode } from 'node:buffer';

/**
 * The text of UTF-8 bytes, as TextDecoder reads them. ICU's transcoding to UTF-16 takes a third to a quarter
 * of the time of V8's UTF-8 decoder on a page of case details, mostly ASCII with some Spanish (pages of 500,
 * 2.2 MB each: 4.4 against 15 ms on the 2-core benchmark machine), which was a tenth of the writer thread's
 * time in a first sync. Bytes it refuses (not UTF-8) are decoded as TextDecoder decodes them, with U+FFFD for
 * what cannot be read; a leading byte-order mark is dropped, as TextDecoder drops it.
 */
export function textOfPage(bytes: Uint8Array): string {
  let text: string;
  try {
    text = transcode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'utf8', 'ucs2').toString('ucs2');
  } catch {
    return new TextDecoder().decode(bytes);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
