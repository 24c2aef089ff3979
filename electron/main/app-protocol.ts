// The renderer is served from app://desk/ instead of file:// (Electron security checklist, item 18): a
// file:// page has an opaque origin, so a navigation guard could not tell the app from any other local
// file, and Electron grants file:// pages privileges that web pages do not have.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { EVIDENCE_SCHEME } from '../../shared/desk-api/evidence-url';
import { APP_SCHEME, contentSecurityPolicy, resolveAppAssetPath } from '../common/security';

/**
 * Must run before the app is ready, and only once (Electron rules for privileged schemes), so both of the
 * app's schemes are registered here. `standard` gives a scheme a real origin and URL parsing, so the page's
 * own module scripts are same-origin; the app scheme is not `corsEnabled`, so no other origin can read
 * the app's files.
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // The PDF viewer reads evidence with fetch, across origins: the handler answers with CORS headers
    // naming the app's origin only.
    {
      scheme: EVIDENCE_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

export function serveRendererFrom(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const filePath = resolveAppAssetPath(request.url, rendererRoot);
    if (filePath === null) return new Response('Not found', { status: 404 });
    try {
      const file = await net.fetch(pathToFileURL(filePath).toString());
      const headers = new Headers(file.headers);
      headers.set('Content-Security-Policy', contentSecurityPolicy());
      return new Response(file.body, { status: file.status, headers });
    } catch {
      // net.fetch rejects for a missing file; to the page that is an ordinary 404.
      return new Response('Not found', { status: 404 });
    }
  });
}
