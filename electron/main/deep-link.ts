// dispute-desk://case/<id> links: the only form the app opens. A link comes from outside the app (a
// browser, a chat, another program), so it is parsed strictly and anything else is ignored. A refused link
// is described in the log by its shape only, never quoted: a pasted link may carry tokens in its query.
import { isCaseId } from '../../shared/desk-api/shell';

export const DEEP_LINK_SCHEME = 'dispute-desk';
const PREFIX = `${DEEP_LINK_SCHEME}:`;
/** Longer than any case link can be (scheme, host and a 64-character id): anything longer is refused unread. */
const MAX_LINK_LENGTH = 128;

export type DeepLink = { ok: true; caseId: string } | { ok: false; reason: string };

/**
 * `dispute-desk://case/DSP-100011` (one trailing slash tolerated: Windows and some browsers add one) →
 * the case id. No user, port, query, fragment or further path; the id as the API's (letters, digits, -
 * and _), not percent-encoded.
 */
export function parseDeepLink(link: unknown): DeepLink {
  if (typeof link !== 'string') return { ok: false, reason: 'not text' };
  if (link.length > MAX_LINK_LENGTH) return { ok: false, reason: `longer than ${MAX_LINK_LENGTH} characters` };
  // Matched as text rather than through the URL parser, which would repair what it should refuse: it drops
  // tabs and newlines and resolves `case/../settings` to `settings`.
  if (!link.toLowerCase().startsWith(`${PREFIX}//`)) return { ok: false, reason: `not a ${DEEP_LINK_SCHEME}:// link` };
  if (/[?#]/.test(link)) return { ok: false, reason: 'has a query or fragment' };
  const rest = link.slice(PREFIX.length + 2);
  if (!rest.startsWith('case/')) return { ok: false, reason: 'not a case link' };
  const caseId = rest.slice('case/'.length).replace(/\/$/, '');
  if (!isCaseId(caseId)) return { ok: false, reason: 'not a valid case id' };
  return { ok: true, caseId };
}

/**
 * The link among a process's arguments (Windows and Linux start a second instance with the link as an
 * argument), or null. Only arguments that claim the scheme are looked at; the last one wins.
 */
export function deepLinkFromArgv(argv: readonly string[]): string | null {
  const links = argv.filter((argument) => argument.toLowerCase().startsWith(PREFIX));
  return links.at(-1) ?? null;
}

/** What the log says of a refused link: its length and why, never its text. */
export function describeRefusedLink(link: unknown, reason: string): string {
  const length = typeof link === 'string' ? `${link.length} characters` : typeof link;
  return `Dispute Desk: ignored a ${DEEP_LINK_SCHEME}:// link (${length}): ${reason}`;
}
