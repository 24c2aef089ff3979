// Free text and the Unicode characters that make text display as something other than what it says.
//
// The explicit directional embeddings, overrides and isolates of UAX #9 (U+202A–U+202E, U+2066–U+2069)
// reorder whatever follows them on screen: "receipt\u202Egnp.exe" shows as "receiptexe.png", and a note or
// rationale can show an amount or a name backwards from the one stored (the "Trojan Source" characters,
// CVE-2021-42574). The marks U+200E, U+200F and U+061C are not among them: right-to-left writers use them
// in ordinary Arabic and Hebrew text, and a mark only sets the direction of the neutral characters beside
// it, so it cannot turn a run of text around.
//
// One set, two treatments, by who wrote the text:
// - our own users (messages, notes, rationales, reasons, comments, names): refused with 400
//   invalid_request naming the field; they can type the text again without them;
// - the exchange relaying its customers' words (chat lines, names, file names, reasons in platform
//   events): kept, each control shown as a visible marker such as "[U+202E]". Refusing would lose a line
//   of evidence (or a whole trade, for a name in trade.opened) over a character its customer typed, and
//   dropping the characters would hide that someone used them.
import type { z } from 'zod';

const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const EVERY_BIDI_CONTROL = new RegExp(BIDI_CONTROL.source, 'g');

export const BIDI_CONTROLS_REFUSED =
  'Remove the invisible text-direction characters (U+202A–U+202E, U+2066–U+2069): they make text display differently from what it says.';

export function hasBidiControls(value: string): boolean {
  return BIDI_CONTROL.test(value);
}

/** Each control replaced by a visible "[U+XXXX]", so that it neither reorders the text nor goes unseen. */
export function showBidiControls(value: string): string {
  return value.replace(
    EVERY_BIDI_CONTROL,
    (control) => `[U+${control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

/** Refuses text with directional controls: for what our own users type (zod names the field). */
export const withoutBidiControls = <T extends z.ZodString>(schema: T): T =>
  schema.refine((value) => !hasBidiControls(value), BIDI_CONTROLS_REFUSED);
