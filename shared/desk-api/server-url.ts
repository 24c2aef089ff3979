// Which platform server addresses the desk accepts (issue #11). The desk sends the user's password to this
// address at the next sign-in, so a renderer script, a stale setting or a typo must not be able to point it
// at a site that would read it: https only, plain http only to this machine (the bundled server, a server
// started by hand for a demo). Pure: the settings schema, the browser host's `--server`, the desk service
// and the Electron shell's confirmation all ask this one function.

export type ServerUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2000;

/** Spaces, control characters (\p{Cc}) and the invisible ones that change how an address displays. */
const HIDDEN_OR_SPACE = /[\s\p{Cc}\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;

/**
 * The loopback names the desk trusts over plain http: `localhost`, 127.0.0.0/8 and ::1. The WHATWG parser
 * has already turned every IPv4 spelling (127.1, 0x7f.0.0.1, 2130706433) into dotted decimal.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The server address as the desk will use it (origin and path, no trailing slash; a Unicode host name in
 * its punycode form, so that a look-alike shows as `xn--…` wherever it is displayed), or why it is refused.
 */
export function checkServerUrl(input: string): ServerUrlCheck {
  if (input.length === 0 || input.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `a server address has 1 to ${MAX_URL_LENGTH} characters` };
  }
  // The URL parser would drop a tab or a newline silently; an address that needs cleaning is refused.
  if (HIDDEN_OR_SPACE.test(input)) {
    return { ok: false, reason: 'a server address has no spaces, control or invisible characters' };
  }
  const url = URL.parse(input);
  if (url === null) return { ok: false, reason: 'this is not a web address' };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'a server address carries no user name or password' };
  }
  if (url.search !== '' || url.hash !== '' || input.includes('?') || input.includes('#')) {
    return { ok: false, reason: 'a server address has no query (?…) or fragment (#…)' };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return { ok: false, reason: 'plain http is only for a server on this computer (localhost, 127.0.0.1, ::1): use https' };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: `the desk talks to its server over https, not ${url.protocol}` };
  }
  return { ok: true, url: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}
