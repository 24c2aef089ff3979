// The shell's security decisions, tested without Electron (main/security.ts imports it for types only).
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  evidenceCorsHeaders,
  safeEvidenceMime,
  isAllowedNavigation,
  isTrustedSender,
  resolveAppAssetPath,
  shouldGrantPermission,
} from '../../electron/common/security';
import { windowWebPreferences } from '../../electron/main/security';
import { EVIDENCE_SCHEME, evidenceShaFromUrl, evidenceUrl } from '../../shared/desk-api/evidence-url';

const devServerOrigin = 'http://127.0.0.1:5173';

describe('isAllowedNavigation', () => {
  it.each([
    `${APP_ORIGIN}/index.html`,
    `${APP_ORIGIN}/`,
    `${APP_ORIGIN}/index.html#/cases/D-1001`,
    `${APP_ORIGIN}/index.html?view=queue`,
  ])('lets the app window show the app itself: %s', (url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(true);
  });

  it('lets the window reload from the dev server when that is the app origin', () => {
    expect(isAllowedNavigation(`${devServerOrigin}/`, devServerOrigin)).toBe(true);
    expect(isAllowedNavigation(`${devServerOrigin}/src/main.tsx`, devServerOrigin)).toBe(true);
  });

  it.each([
    ['a look-alike host', 'http://127.0.0.1.evil.com:5173/'],
    ['credentials that put the real host after @', 'http://127.0.0.1:5173@evil.com/'],
    ['another port on the same host', 'http://127.0.0.1:5174/'],
    ['https instead of http', 'https://127.0.0.1:5173/'],
    ['localhost instead of 127.0.0.1', 'http://localhost:5173/'],
    ['a websocket URL', 'ws://127.0.0.1:5173/'],
    ['a remote site', 'https://example.com/'],
    ['a local file', 'file:///etc/passwd'],
    ['a script URL', 'javascript:alert(1)'],
    ['a data URL', 'data:text/html,<script>alert(1)</script>'],
    ['a blob URL of the same origin', `blob:${devServerOrigin}/0b6e0f4a-6f44-4c55-9c1e-2d2d1f4c7a11`],
    ['about:blank', 'about:blank'],
    ['not a URL at all', 'not a url'],
    ['an empty string', ''],
  ])('refuses %s', (_reason, url) => {
    expect(isAllowedNavigation(url, devServerOrigin)).toBe(false);
  });

  it.each([
    ['another host on the app scheme', 'app://evil/index.html'],
    ['a look-alike host on the app scheme', 'app://desk.evil.com/index.html'],
    ['the app host on another scheme', 'http://desk/index.html'],
    ['a local file', 'file:///C:/Windows/system32/cmd.exe'],
    ['a script URL', 'javascript:location="https://evil.com"'],
  ])('refuses %s in a built app', (_reason, url) => {
    expect(isAllowedNavigation(url, APP_ORIGIN)).toBe(false);
  });

  it('allows nothing when the app origin itself has no host', () => {
    expect(isAllowedNavigation('file:///index.html', 'file://')).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts frames that show the app', () => {
    expect(isTrustedSender(`${APP_ORIGIN}/index.html`, APP_ORIGIN)).toBe(true);
  });

  it('refuses unknown frames and frames showing anything else', () => {
    expect(isTrustedSender(undefined, APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('', APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('https://evil.com/', APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('about:blank', APP_ORIGIN)).toBe(false);
  });
});

describe('shouldGrantPermission', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'openExternal',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'unknown',
  ])('refuses %s, even to the app itself', (permission) => {
    expect(shouldGrantPermission(permission, `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(shouldGrantPermission(permission, 'https://evil.com/')).toBe(false);
    expect(shouldGrantPermission(permission)).toBe(false);
  });
});

describe('windowWebPreferences', () => {
  const preferences = windowWebPreferences('/app/out/preload/index.cjs');

  it('isolates the renderer from Node and Electron', () => {
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps web security on and remote or embedded content out', () => {
    expect(preferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('loads the given preload script', () => {
    expect(preferences.preload).toBe('/app/out/preload/index.cjs');
  });
});

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const strict = directives(contentSecurityPolicy());
  const development = directives(contentSecurityPolicy({ development: true }));

  it('denies by default and allows scripts from the app only', () => {
    expect(strict.get('default-src')).toEqual(["'none'"]);
    expect(strict.get('script-src')).toEqual(["'self'"]);
    expect(strict.get('object-src')).toEqual(["'none'"]);
    expect(strict.get('base-uri')).toEqual(["'none'"]);
  });

  it('never allows eval, even for the dev server', () => {
    expect(contentSecurityPolicy()).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy({ development: true })).not.toContain('unsafe-eval');
  });

  it('allows inline code only for the dev server', () => {
    expect(contentSecurityPolicy()).not.toContain('unsafe-inline');
    expect(development.get('script-src')).toContain("'unsafe-inline'");
  });

  it.each(['script-src', 'style-src', 'connect-src', 'img-src', 'font-src'])(
    'names no remote source in %s',
    (name) => {
      for (const policy of [strict, development]) {
        for (const source of policy.get(name) ?? []) {
          expect(source, `${name} ${source}`).toMatch(
            /^('self'|'none'|'unsafe-inline'|data:|blob:|desk-evidence:)$/,
          );
        }
      }
    },
  );

  it('lets images and the PDF viewer read the evidence scheme, and nothing else load from it', () => {
    expect(strict.get('img-src')).toContain(`${EVIDENCE_SCHEME}:`);
    expect(strict.get('connect-src')).toContain(`${EVIDENCE_SCHEME}:`);
    for (const [name, sources] of strict) {
      if (name !== 'img-src' && name !== 'connect-src')
        expect(sources, name).not.toContain(`${EVIDENCE_SCHEME}:`);
    }
  });

  it('uses only directives that work in a <meta> tag', () => {
    for (const name of strict.keys())
      expect(['frame-ancestors', 'report-uri', 'sandbox']).not.toContain(name);
  });

  it('is the policy of the <meta> tag in renderer/index.html', () => {
    const html = readFileSync('renderer/index.html', 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy());
  });
});

describe('resolveAppAssetPath', () => {
  const root = join(sep, 'app', 'out', 'renderer');

  it('serves index.html for the root and files inside the renderer folder', () => {
    expect(resolveAppAssetPath(`${APP_ORIGIN}/`, root)).toBe(join(root, 'index.html'));
    expect(resolveAppAssetPath(`${APP_ORIGIN}/index.html`, root)).toBe(join(root, 'index.html'));
    expect(resolveAppAssetPath(`${APP_ORIGIN}/assets/index-abc.js?v=1#x`, root)).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
  });

  it.each([`${APP_ORIGIN}/../../etc/passwd`, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`])(
    'resolves dot segments the way URLs do, which cannot climb above the folder: %s',
    (url) => {
      expect(resolveAppAssetPath(url, root)).toBe(join(root, 'etc', 'passwd'));
    },
  );

  it.each([
    ['encoded slashes', `${APP_ORIGIN}/..%2f..%2fetc%2fpasswd`],
    ['a NUL byte', `${APP_ORIGIN}/index.html%00.png`],
    ['a malformed escape', `${APP_ORIGIN}/%E0%A4%A`],
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'file:///app/out/renderer/index.html'],
  ])('refuses %s', (_reason, url) => {
    expect(resolveAppAssetPath(url, root)).toBeNull();
  });

  it('keeps encoded backslashes inside the folder (a separator on Windows, a plain character elsewhere)', () => {
    const resolved = resolveAppAssetPath(`${APP_ORIGIN}/..%5c..%5cetc%5cpasswd`, root);
    if (resolved !== null) expect(resolved.startsWith(root + sep)).toBe(true);
  });
});

describe('evidence URLs', () => {
  const sha = '0123456789abcdef'.repeat(4);

  it('name a file by its sha256 on the evidence scheme, and read back', () => {
    expect(evidenceUrl(sha)).toBe(`desk-evidence://file/${sha}`);
    expect(evidenceShaFromUrl(evidenceUrl(sha))).toBe(sha);
    expect(evidenceShaFromUrl(`${evidenceUrl(sha)}?v=1#top`)).toBe(sha);
  });

  it.each([
    ['dot segments', 'desk-evidence://file/../../etc/passwd'],
    ['encoded dot segments', 'desk-evidence://file/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['a path after the hash', `desk-evidence://file/${sha}/../../x`],
    ['an encoded slash', `desk-evidence://file/..%2f${sha}`],
    ['a file path', `desk-evidence://file//etc/passwd`],
    ['another host', `desk-evidence://evil/${sha}`],
    ['a look-alike host', `desk-evidence://file.evil/${sha}`],
    ['user info', `desk-evidence://file@evil/${sha}`],
    ['another scheme', `file:///${sha}`],
    ['the app scheme', `app://desk/${sha}`],
    ['upper case', `desk-evidence://file/${sha.toUpperCase()}`],
    ['a short hash', `desk-evidence://file/${sha.slice(1)}`],
    ['nothing', 'desk-evidence://file/'],
  ])('refuses %s', (_reason, url) => {
    expect(evidenceShaFromUrl(url)).toBeNull();
  });

  it('lets the app origin, and only it, read the bytes across the scheme boundary', () => {
    expect(evidenceCorsHeaders(APP_ORIGIN)).toEqual({
      'Access-Control-Allow-Origin': 'app://desk',
      Vary: 'Origin',
    });
    expect(evidenceCorsHeaders(APP_ORIGIN)['Access-Control-Allow-Origin']).not.toBe('*');
  });

  it('sends only plain media types; anything else goes out as bytes', () => {
    expect(safeEvidenceMime('image/png')).toBe('image/png');
    expect(safeEvidenceMime('application/pdf')).toBe('application/pdf');
    expect(safeEvidenceMime('text/html\r\nSet-Cookie: a=b')).toBe('application/octet-stream');
    expect(safeEvidenceMime('')).toBe('application/octet-stream');
  });
});

describe('the main process source', () => {
  const mainDir = join('electron', 'main');
  const sources = readdirSync(mainDir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(join(mainDir, file), 'utf8') }));

  it('creates its only BrowserWindow with the preferences from windowWebPreferences', () => {
    const creations = sources.flatMap(({ file, text }) =>
      [...text.matchAll(/new BrowserWindow\(\{([\s\S]*?)\}\);/g)].map((match) => ({
        file,
        options: match[1],
      })),
    );
    expect(creations).toHaveLength(1);
    expect(creations[0]?.options).toMatch(/^\s*webPreferences: windowWebPreferences\(\w+\),?$/m);
  });

  it('never turns a protection off by hand', () => {
    for (const { file, text } of sources.filter(({ file }) => file !== 'security.ts')) {
      expect(text, file).not.toMatch(/nodeIntegration\w*:\s*true/);
      expect(text, file).not.toMatch(/(contextIsolation|sandbox|webSecurity):\s*false/);
      expect(text, file).not.toMatch(/webPreferences:\s*\{/);
    }
  });

  it('turns the process sandbox on and denies every new window', () => {
    const all = sources.map(({ text }) => text).join('\n');
    expect(all).toContain('app.enableSandbox()');
    expect(all).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(all).toMatch(/on\('will-navigate'/);
    expect(all).toMatch(/setPermissionRequestHandler\(/);
  });
});
