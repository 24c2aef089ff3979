// The update server's address, one rule for the build that writes it into app-update.yml
// (scripts/packaging/release-plan.ts) and the app that reads it back (electron/main/update-gate.ts), so
// that the two cannot disagree. The address ships inside every installer, readable by anyone who has one:
// it must carry no credential, neither as a user name and password nor in a query or a fragment
// (`?access_token=…`), and an address refused is never repeated in the message, for it may hold one.

export type UpdateUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere, plain http on this computer only (a local test server); nothing after the path. */
export function checkUpdateServerUrl(value: string): UpdateUrlCheck {
  const url = URL.parse(value.trim());
  if (url === null) return { ok: false, reason: 'is not a URL' };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
    return { ok: false, reason: `must be an https address (plain http only on this computer), not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password: the app ships it' };
  // URL drops an empty "?" or "#"; the raw text still says one was there.
  if (url.search || url.hash || /[?#]/.test(value))
    return { ok: false, reason: 'must not carry a query or a fragment (a token there ships in every installer): give the folder’s address only' };
  return { ok: true, url: url.href };
}
