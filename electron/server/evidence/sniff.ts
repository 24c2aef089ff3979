// Content-type sniffing from magic bytes. Evidence is served with the type its bytes prove, never the
// type an uploader claimed (DESIGN §2: GET /v1/evidence/{sha256} answers with the sniffed Content-Type).

export type SniffedMime =
  'image/png' | 'image/jpeg' | 'image/webp' | 'application/pdf' | 'video/mp4' | 'video/webm';

function startsWithBytes(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, index) => bytes[offset + index] === byte);
}

function ascii(text: string): number[] {
  return Array.from(text, (char) => char.charCodeAt(0));
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];
const EBML_SIGNATURE = [0x1a, 0x45, 0xdf, 0xa3];

/** The MIME type the bytes really are, or null for anything we do not accept as evidence. */
export function sniffMime(bytes: Uint8Array): SniffedMime | null {
  if (startsWithBytes(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWithBytes(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  if (startsWithBytes(bytes, ascii('RIFF')) && startsWithBytes(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWithBytes(bytes, ascii('%PDF-'))) return 'application/pdf';
  // ISO media files open with a box whose type, after a 4-byte size, is 'ftyp'.
  if (startsWithBytes(bytes, ascii('ftyp'), 4)) return 'video/mp4';
  // WebM is a Matroska profile and shares its EBML header; WebM is the only Matroska flavour browsers play.
  if (startsWithBytes(bytes, EBML_SIGNATURE)) return 'video/webm';
  return null;
}
