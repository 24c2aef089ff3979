// The security decisions of the Electron shell and the browser host, as pure functions so that they are
// unit tested without Electron (tests/unit/electron-security.test.ts). The wiring into Electron lives in
// electron/main/hardening.ts; what needs Electron's types (the window's preferences) in
// electron/main/security.ts.
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { EVIDENCE_SCHEME } from '../../shared/desk-api/evidence-url';

/** The renderer is served from this privileged custom scheme, never from file:// (whose origin is opaque). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://desk`;

/**
 * True when `url` belongs to the app itself. Origins are compared by scheme and host:port rather than by
 * `URL.origin`, because WHATWG URL gives custom schemes such as `app:` the opaque origin "null", which
 * would make every custom-scheme URL look alike. Opaque URLs (`file:`, `data:`, `javascript:`) have no
 * host and never match.
 */
function isAppUrl(url: string, appOrigin: string): boolean {
  const candidate = URL.parse(url);
  const app = URL.parse(appOrigin);
  if (!candidate || !app || app.host === '') return false;
  return candidate.protocol === app.protocol && candidate.host === app.host;
}

/** `will-navigate` and `will-redirect` guard: the window may only ever show the app. */
export function isAllowedNavigation(url: string, appOrigin: string): boolean {
  return isAppUrl(url, appOrigin);
}

/** IPC handlers answer only frames showing the app (a frame with no URL is one being torn down). */
export function isTrustedSender(frameUrl: string | undefined, appOrigin: string): boolean {
  return frameUrl !== undefined && isAppUrl(frameUrl, appOrigin);
}

/** The app needs no camera, microphone, notifications, geolocation... so every request is refused. */
export function shouldGrantPermission(_permission: string, _requestingOrigin?: string): boolean {
  return false;
}

export interface ContentSecurityPolicyOptions {
  /**
   * Only for the Vite dev server: React Fast Refresh injects an inline module script and Vite injects
   * styles as <style> elements, so development needs 'unsafe-inline'. Builds never get it.
   */
  development?: boolean;
}

/**
 * The policy of the renderer, identical in its <meta> tag (renderer/index.html, checked by a test) and in
 * the header the app protocol sends. Only directives valid in a <meta> tag are used (`frame-ancestors`
 * there is ignored with a console error). Evidence comes from its own scheme in Electron; the browser
 * host serves it same-origin and adds its WebSocket to connect-src (electron/host/host-security.ts).
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  const inline = options.development ? " 'unsafe-inline'" : '';
  return [
    "default-src 'none'",
    `script-src 'self'${inline}`,
    `style-src 'self'${inline}`,
    `img-src 'self' data: blob: ${EVIDENCE_SCHEME}:`,
    "font-src 'self'",
    // The PDF viewer fetches evidence bytes (images are plain <img>).
    `connect-src 'self' ${EVIDENCE_SCHEME}:`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Maps an `app://desk/...` request to a file inside the built renderer, or null when the request is for
 * another host or tries to leave the folder (`..`, encoded `%2e%2e`, absolute paths).
 */
export function resolveAppAssetPath(requestUrl: string, rendererRoot: string): string | null {
  const url = URL.parse(requestUrl);
  if (!url || !isAppUrl(url.href, APP_ORIGIN)) return null;
  return fileInsideFolder(url.pathname, rendererRoot);
}

/**
 * The file under `root` that a URL's path names, or null when the path does not decode, holds a NUL or
 * would leave the folder (`..`, encoded `%2e%2e`, absolute paths). `/` is index.html. Both ways of serving
 * the built renderer (the app:// protocol here, the browser host's static files) resolve through it.
 */
export function fileInsideFolder(urlPath: string, root: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relativePath = normalize(pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, ''));
  const filePath = join(root, relativePath);
  const fromRoot = relative(root, filePath);
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot))
    return null;
  return filePath;
}

/**
 * Headers of every evidence response, in Electron and in the browser host. Evidence is whatever a party
 * uploaded: if it were ever opened as a page it must not run anything, so its policy allows nothing but
 * showing itself, in a sandbox; nosniff keeps the type the desk sniffed from the bytes. In Electron the
 * evidence scheme is another origin than the app, so the shell adds the CORS header that lets the app
 * (and only the app) read the bytes with fetch: evidenceCorsHeaders().
 */
export const EVIDENCE_CONTENT_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; sandbox",
  'X-Content-Type-Options': 'nosniff',
  // Content-addressed: the bytes behind a sha256 never change.
  'Cache-Control': 'private, max-age=31536000, immutable',
};

/** The desk sniffed the type from the bytes; anything that is not a plain `type/subtype` is sent as bytes. */
export function safeEvidenceMime(mime: string): string {
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(mime) ? mime : 'application/octet-stream';
}

/** Lets the app's own origin, and no other, read evidence bytes across the scheme boundary. */
export function evidenceCorsHeaders(appOrigin: string): Record<string, string> {
  return { 'Access-Control-Allow-Origin': appOrigin, Vary: 'Origin' };
}
