// Raw HTTP and WebSocket clients for the host's tests: they set the Host and Origin headers that a browser
// would, including the hostile ones a browser would send from another site or a rebinding name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  BRIDGE_PATH,
  BRIDGE_SUBPROTOCOL,
  SECRET_SUBPROTOCOL_PREFIX,
  type HostFrame,
} from '../../shared/desk-api/wire';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export interface SocketOptions {
  host?: string;
  origin?: string | null;
  secret?: string | null;
  path?: string;
}

/** Opens the bridge socket, or reports the HTTP status the host refused the upgrade with. */
export function openBridge(
  port: number,
  options: SocketOptions,
): Promise<{ socket: WebSocket; status?: undefined } | { socket?: undefined; status: number }> {
  const protocols = [BRIDGE_SUBPROTOCOL];
  if (options.secret) protocols.push(`${SECRET_SUBPROTOCOL_PREFIX}${options.secret}`);
  const origin = options.origin === undefined ? `http://127.0.0.1:${port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? BRIDGE_PATH}`, protocols, {
    headers: { host: options.host ?? `127.0.0.1:${port}` },
    ...(origin === null ? {} : { origin }),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** A client of the bridge protocol: calls by id, and the events the host pushed. */
export class BridgeClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (frame: HostFrame) => void>();
  readonly events: HostFrame[] = [];
  private readonly eventWaiters: Array<(frame: HostFrame) => void> = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as HostFrame;
      if (frame.type === 'result') {
        this.waiting.get(frame.id)?.(frame);
        this.waiting.delete(frame.id);
      } else {
        this.events.push(frame);
        for (const waiter of this.eventWaiters.splice(0)) waiter(frame);
      }
    });
  }

  invoke(channel: string, input?: unknown): Promise<Extract<HostFrame, { type: 'result' }>['result']> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (frame) => resolve((frame as Extract<HostFrame, { type: 'result' }>).result));
      this.socket.send(JSON.stringify({ type: 'invoke', id, channel, input }));
    });
  }

  nextEvent(): Promise<HostFrame> {
    return new Promise((resolve) => this.eventWaiters.push(resolve));
  }

  closed(): Promise<{ code: number }> {
    return new Promise((resolve) => this.socket.once('close', (code) => resolve({ code })));
  }
}

/** A stand-in for out/renderer: an index.html and one asset. */
export function writeFakeRenderer(dir: string): string {
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Dispute Desk</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("desk")');
  writeFileSync(join(dir, 'outside.txt'), 'must never be served');
  return root;
}
