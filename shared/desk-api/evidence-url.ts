// Where the renderer finds an evidence file in the Electron shell: the desk worker writes these URLs into
// what it answers, and main serves them. Pure string functions, so both sides share them from here.

/**
 * Evidence files are served from their own scheme, never as file:// paths (DESIGN §5). Being another
 * origin than the app, an uploaded file that is not what it claims to be can never act as the app.
 */
export const EVIDENCE_SCHEME = 'desk-evidence';
const EVIDENCE_ORIGIN = `${EVIDENCE_SCHEME}://file`;

/** The URL the renderer uses for an evidence file. */
export function evidenceUrl(sha256: string): string {
  return `${EVIDENCE_ORIGIN}/${sha256}`;
}

/**
 * The sha256 named by a `desk-evidence://file/<sha256>` request, or null for anything else: another host,
 * extra path segments, dot segments (plain or encoded), upper case. Nothing is normalised: a request that
 * is not exactly the shape evidenceUrl() makes is refused.
 */
export function evidenceShaFromUrl(requestUrl: string): string | null {
  const prefix = `${EVIDENCE_ORIGIN}/`;
  if (!requestUrl.startsWith(prefix)) return null;
  const sha256 = requestUrl.slice(prefix.length).replace(/[?#].*$/s, '');
  return /^[0-9a-f]{64}$/.test(sha256) ? sha256 : null;
}
