// The browser host's HTTP server on 127.0.0.1: the built renderer's files, evidence by sha256, and the
// window.desk bridge as a WebSocket. Every request passes the Host check first; evidence and the bridge
// also need the launch secret (host-security.ts says why each check exists).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BRIDGE_PATH, BRIDGE_SUBPROTOCOL } from '../../shared/desk-api/wire';
import { BridgeHub } from './bridge-hub';
import type { DeskPort } from './desk-port';
import { EVIDENCE_CONTENT_HEADERS, safeEvidenceMime } from '../common/security';
import {
  evidenceShaFromPath,
  evidenceToken,
  isAllowedHostHeader,
  isAllowedOrigin,
  secretFromSubprotocols,
  secretsEqual,
  securityHeaders,
} from './host-security';
import { readStaticFile } from './static-files';

export interface HostOptions {
  desk: DeskPort;
  /** The built renderer (out/renderer). */
  rendererRoot: string;
  /** 0 picks a free port. */
  port: number;
  secret: string;
}

export interface RunningHost {
  port: number;
  /** http://127.0.0.1:P */
  origin: string;
  /** The address to open: the origin with the secret in the fragment, which a browser never sends. */
  pageUrl: string;
  close(): Promise<void>;
}

/** The header a script may use to show the secret on an evidence request instead of the file's token. */
export const SECRET_HEADER = 'x-desk-secret';
/** The largest frame a page may send: a desk call is a few kilobytes at most. */
const MAX_FRAME_BYTES = 1024 * 1024;

/** The one line the host prints when it is ready (DESIGN §7, a contract). */
export function readyLine(pageUrl: string): string {
  return `Dispute Desk is ready at ${pageUrl}`;
}

/** The path the desk gives the renderer for an evidence file: same origin, with the file's token. */
export function hostEvidenceUrl(secret: string, sha256: string): string {
  return `/evidence/${sha256}?t=${evidenceToken(secret, sha256)}`;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { desk, rendererRoot, secret } = options;
  const hub = new BridgeHub(desk);
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    handleProtocols: (offered) => (offered.has(BRIDGE_SUBPROTOCOL) ? BRIDGE_SUBPROTOCOL : false),
  });
  let port = options.port;

  const server = createServer((request, response) => {
    handleRequest(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The host could not answer this request.');
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = request.headers.host;
    if (!isAllowedHostHeader(host, port))
      return refuse(response, 403, 'This host answers only to its own address.');
    // The Host header is now one of two known values, so it is safe to echo into the policy.
    for (const [name, value] of Object.entries(securityHeaders(host!))) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse(response, 405, 'Method not allowed.');
    const { path, query } = splitRequestTarget(request.url ?? '/');

    if (path.startsWith('/evidence/')) return serveEvidence(request, response, path, query);
    if (path === BRIDGE_PATH) return refuse(response, 426, 'The desk bridge is a WebSocket.');
    const file = await readStaticFile(path, rendererRoot);
    if (file === null) return refuse(response, 404, 'Not found.');
    response.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.cacheControl,
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  async function serveEvidence(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const headerSecret = request.headers[SECRET_HEADER];
    const token = query.get('t') ?? undefined;
    if (headerSecret === undefined && token === undefined)
      return refuse(response, 401, 'The desk secret is missing.');
    const sha256 = evidenceShaFromPath(path);
    const authorised =
      secretsEqual(typeof headerSecret === 'string' ? headerSecret : undefined, secret) ||
      (sha256 !== null && secretsEqual(token, evidenceToken(secret, sha256)));
    if (!authorised) return refuse(response, 403, 'The desk secret is wrong.');
    if (sha256 === null) return refuse(response, 404, 'Not found.');
    const file = await desk.evidenceFile(sha256);
    if (file === null) return refuse(response, 404, 'This evidence file is not available.');
    response.writeHead(200, {
      ...EVIDENCE_CONTENT_HEADERS,
      'Content-Type': safeEvidenceMime(file.mime),
      'Content-Length': file.bytes.length,
    });
    response.end(request.method === 'HEAD' ? undefined : file.bytes);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const failure = upgradeRefusal(request, port, secret);
    if (failure !== null) {
      socket.end(`HTTP/1.1 ${failure}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => hub.attach(webSocket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    pageUrl: `${origin}/#k=${secret}`,
    async close() {
      hub.close();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Why a WebSocket upgrade is refused, as an HTTP status line, or null to accept it. */
export function upgradeRefusal(request: IncomingMessage, port: number, secret: string): string | null {
  const { path } = splitRequestTarget(request.url ?? '/');
  if (!isAllowedHostHeader(request.headers.host, port)) return '403 Forbidden';
  if (!isAllowedOrigin(request.headers.origin, port)) return '403 Forbidden';
  if (path !== BRIDGE_PATH) return '404 Not Found';
  const offered = secretFromSubprotocols(request.headers['sec-websocket-protocol']);
  if (offered === undefined) return '401 Unauthorized';
  if (!secretsEqual(offered, secret)) return '403 Forbidden';
  return null;
}

/** The raw path (not normalised: the routes decide what to refuse) and the query of a request target. */
function splitRequestTarget(target: string): { path: string; query: URLSearchParams } {
  const questionMark = target.indexOf('?');
  if (questionMark === -1) return { path: target, query: new URLSearchParams() };
  return { path: target.slice(0, questionMark), query: new URLSearchParams(target.slice(questionMark + 1)) };
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(message);
}
