// The browser host's security decisions, as pure functions (electron/host/host-security.ts).
import { describe, expect, it } from 'vitest';
import {
  evidenceShaFromPath,
  evidenceToken,
  hostContentSecurityPolicy,
  isAllowedHostHeader,
  isAllowedOrigin,
  newLaunchSecret,
  secretFromSubprotocols,
  secretsEqual,
  securityHeaders,
} from '../../electron/host/host-security';
import { resolveStaticPath } from '../../electron/host/static-files';
import { SECRET_SUBPROTOCOL_PREFIX } from '../../shared/desk-api/wire';
import { join, sep } from 'node:path';

const port = 41234;
const sha = 'a'.repeat(64);

describe('isAllowedHostHeader', () => {
  it.each([`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`])(
    'accepts its own address %s',
    (host) => {
      expect(isAllowedHostHeader(host, port)).toBe(true);
    },
  );

  it.each([
    ['no Host header', undefined],
    ['an empty Host header', ''],
    ['a foreign name', 'evil.com'],
    ['a foreign name on the right port', `evil.com:${port}`],
    ['a rebinding name resolving to loopback', `attacker:${port}`],
    ['its address as a prefix of a foreign name', `127.0.0.1:${port}.evil.com`],
    ['a subdomain of localhost', `evil.localhost:${port}`],
    ['another port', `127.0.0.1:${port + 1}`],
    ['no port', '127.0.0.1'],
    ['another loopback address', `127.0.0.2:${port}`],
    ['IPv6 loopback', `[::1]:${port}`],
    ['user info before the host', `evil@127.0.0.1:${port}`],
    ['a trailing dot', `localhost.:${port}`],
  ])('refuses %s', (_reason, host) => {
    expect(isAllowedHostHeader(host, port)).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts the pages of this host', () => {
    expect(isAllowedOrigin(`http://127.0.0.1:${port}`, port)).toBe(true);
    expect(isAllowedOrigin(`http://localhost:${port}`, port)).toBe(true);
  });

  it.each([
    undefined,
    'null',
    'https://evil.com',
    `http://evil.com:${port}`,
    `https://127.0.0.1:${port}`,
    `http://127.0.0.1:${port + 1}`,
    `http://127.0.0.1:${port}.evil.com`,
    'file://',
  ])('refuses %s', (origin) => {
    expect(isAllowedOrigin(origin, port)).toBe(false);
  });
});

describe('the launch secret', () => {
  it('has 256 random bits and differs at every launch', () => {
    const secret = newLaunchSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(newLaunchSecret()).not.toBe(secret);
  });

  it('is compared exactly', () => {
    const secret = newLaunchSecret();
    expect(secretsEqual(secret, secret)).toBe(true);
    expect(secretsEqual(undefined, secret)).toBe(false);
    expect(secretsEqual('', secret)).toBe(false);
    expect(secretsEqual(secret.slice(0, -1), secret)).toBe(false);
    expect(secretsEqual(`${secret}0`, secret)).toBe(false);
    expect(secretsEqual(secret.toUpperCase(), secret)).toBe(false);
  });

  it('is read from the offered WebSocket subprotocols', () => {
    expect(secretFromSubprotocols(`dispute-desk.v1, ${SECRET_SUBPROTOCOL_PREFIX}abc`)).toBe('abc');
    expect(secretFromSubprotocols('dispute-desk.v1')).toBeUndefined();
    expect(secretFromSubprotocols(undefined)).toBeUndefined();
  });

  it('derives a token per evidence file, which opens no other file', () => {
    const secret = newLaunchSecret();
    expect(evidenceToken(secret, sha)).toMatch(/^[0-9a-f]{64}$/);
    expect(evidenceToken(secret, sha)).not.toBe(evidenceToken(secret, 'b'.repeat(64)));
    expect(evidenceToken(secret, sha)).not.toBe(evidenceToken(newLaunchSecret(), sha));
    expect(evidenceToken(secret, sha)).not.toContain(secret);
  });
});

describe('evidenceShaFromPath', () => {
  it('reads the sha256 of an evidence path', () => {
    expect(evidenceShaFromPath(`/evidence/${sha}`)).toBe(sha);
  });

  it.each([
    ['dot segments', '/evidence/../../etc/passwd'],
    ['encoded dot segments', '/evidence/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['an encoded slash', `/evidence/..%2f${sha}`],
    ['a backslash', `/evidence/..\\${sha}`],
    ['an extra segment', `/evidence/${sha}/x`],
    ['a trailing slash', `/evidence/${sha}/`],
    ['upper case', `/evidence/${sha.toUpperCase()}`],
    ['a short hash', `/evidence/${sha.slice(1)}`],
    ['nothing', '/evidence/'],
    ['a NUL byte', `/evidence/${sha}%00`],
  ])('refuses %s', (_reason, path) => {
    expect(evidenceShaFromPath(path)).toBeNull();
  });
});

describe('resolveStaticPath', () => {
  const root = join(sep, 'app', 'out', 'renderer');

  it('serves index.html for / and files inside the folder', () => {
    expect(resolveStaticPath('/', root)).toBe(join(root, 'index.html'));
    expect(resolveStaticPath('/assets/index-abc.js', root)).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it('keeps dot segments inside the folder', () => {
    const resolved = resolveStaticPath('/assets/../../../etc/passwd', root);
    expect(resolved === null || resolved.startsWith(root + sep)).toBe(true);
  });

  it.each([
    ['encoded slashes', '/..%2f..%2fetc%2fpasswd'],
    ['encoded backslashes', '/..%5c..%5cetc%5cpasswd'],
    ['a NUL byte', '/index.html%00.png'],
    ['a malformed escape', '/%E0%A4%A'],
    ['the parent folder', '/..'],
  ])('refuses %s', (_reason, path) => {
    expect(resolveStaticPath(path, root)).toBeNull();
  });
});

describe('the headers of every response', () => {
  const host = `127.0.0.1:${port}`;

  it('allow the bridge WebSocket and nothing remote', () => {
    const policy = hostContentSecurityPolicy(host);
    expect(policy).toContain(`connect-src 'self' desk-evidence: ws://${host}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/https?:|unsafe/);
  });

  it('forbid sniffing, framing and referrers', () => {
    expect(securityHeaders(host)).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
  });
});
