// The browser host's security decisions, as pure functions with unit tests (tests/host/host-security.test.ts).
// The host listens on loopback, where any local program and any web page the user visits can reach it:
// the Host check stops DNS rebinding, the Origin check stops cross-site WebSockets, and the per-launch
// secret stops everything that was not handed the URL the host printed.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { contentSecurityPolicy } from '../common/security';
import { SECRET_SUBPROTOCOL_PREFIX } from '../../shared/desk-api/wire';

/** 256 random bits, hex: a URL fragment and a WebSocket subprotocol token can both carry it as is. */
export function newLaunchSecret(): string {
  return randomBytes(32).toString('hex');
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

/**
 * True when the Host header names this host exactly: `127.0.0.1:P` or `localhost:P`. A page on any other
 * name (`evil.com`, a rebinding name that resolves to 127.0.0.1, `127.0.0.1:P.evil.com`) is refused.
 */
export function isAllowedHostHeader(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const candidate = host.toLowerCase();
  return LOOPBACK_NAMES.some((name) => candidate === `${name}:${port}`);
}

/** A WebSocket's Origin must be one of this host's own page origins; browsers always send one. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  return LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

/** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
export function secretsEqual(provided: string | undefined, expected: string): boolean {
  if (provided === undefined) return false;
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  // timingSafeEqual needs equal lengths; the length of the secret is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The secret offered in a `Sec-WebSocket-Protocol` header, if any. */
export function secretFromSubprotocols(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const offered = header.split(',').map((token) => token.trim());
  return offered
    .find((token) => token.startsWith(SECRET_SUBPROTOCOL_PREFIX))
    ?.slice(SECRET_SUBPROTOCOL_PREFIX.length);
}

/**
 * An <img> cannot send a header, so each evidence URL carries a token that opens that one file: an HMAC of
 * the sha256 under the launch secret. The secret itself never appears in the page's URLs.
 */
export function evidenceToken(secret: string, sha256: string): string {
  return createHmac('sha256', secret).update(`evidence:${sha256}`).digest('hex');
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The sha256 of a `/evidence/<sha256>` request path, or null for anything else: encoded slashes, dot
 * segments, upper case and extra path segments are all refused rather than normalised.
 */
export function evidenceShaFromPath(pathname: string): string | null {
  const match = /^\/evidence\/([^/]*)$/.exec(pathname);
  const candidate = match?.[1];
  return candidate !== undefined && SHA256.test(candidate) ? candidate : null;
}

/**
 * The renderer's policy (electron/common/security.ts) adapted for the host: the bridge's WebSocket named in
 * connect-src (Chromium before 110 did not count ws: as 'self'), and frame-ancestors, which only a header
 * can set. `hostHeader` must have passed isAllowedHostHeader: it is written into the policy.
 */
export function hostContentSecurityPolicy(hostHeader: string): string {
  return contentSecurityPolicy()
    .split('; ')
    .map((directive) =>
      directive.startsWith('connect-src ') ? `${directive} ws://${hostHeader}` : directive,
    )
    .concat("frame-ancestors 'none'")
    .join('; ');
}

/** Headers on every response of the host. */
export function securityHeaders(hostHeader: string): Record<string, string> {
  return {
    'Content-Security-Policy': hostContentSecurityPolicy(hostHeader),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
