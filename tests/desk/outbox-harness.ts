// Test harness for the outbox, evidence and drafts tests: the real platform server on a loopback port
// (pinned clock, tests/server/harness.ts), a proxy in front of it that can drop connections or lose an
// answer after the server acted on it, and a desk (real SQLite file, real API client and session) that
// records every event and log line so tests can wait on events instead of sleeping.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DeskEvent, DeskEvents } from '../../shared/desk-api/contract';
import type { PlatformApi } from '../../electron/desk/api-client';
import type { DeskContext } from '../../electron/desk/context';
import { joinHandlers, withInputChecks, type CheckedDeskHandlers, type DeskHandlers } from '../../electron/desk/handlers';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { OWN_MIGRATIONS } from '../../electron/desk/db/own-migrations/index';
import { createOutbox, type Outbox } from '../../electron/desk/outbox/outbox';
import { createSessionWithApi, type DeskSession } from '../../electron/desk/session';
import { createTestServer, freshCode, type TestServer, type TestUser } from '../server/harness';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A loopback HTTP proxy with faults on demand: `down` resets every connection (the server is unreachable);
 * `loseAnswers(n)` forwards the next n requests, lets the server finish them, and then resets the
 * connection instead of answering (the answer is lost on the way back); `garbleAnswers(n)` lets the server
 * finish the next n requests and answers each with a 200 page that is not the API's (a captive portal).
 */
export interface FaultyProxy {
  url: string;
  requests: SeenRequest[];
  down: boolean;
  loseAnswers(count: number): void;
  garbleAnswers(count: number): void;
  /** Called for each request before it is forwarded (or refused). */
  onRequest: ((request: SeenRequest) => void) | null;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startFaultyProxy(target: string): Promise<FaultyProxy> {
  let answersToLose = 0;
  let answersToGarble = 0;
  const proxy: FaultyProxy = {
    url: '',
    requests: [],
    down: false,
    loseAnswers(count) {
      answersToLose = count;
    },
    garbleAnswers(count) {
      answersToGarble = count;
    },
    onRequest: null,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: body.toString('utf8'),
      };
      proxy.requests.push(seen);
      proxy.onRequest?.(seen);
      if (proxy.down) {
        request.socket.destroy();
        return;
      }
      const loseThisAnswer = answersToLose > 0;
      if (loseThisAnswer) answersToLose -= 1;
      const garbleThisAnswer = !loseThisAnswer && answersToGarble > 0;
      if (garbleThisAnswer) answersToGarble -= 1;
      const upstream = http.request(
        `${target}${seen.path}`,
        { method: seen.method, headers: request.headers },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            // The server has finished the request (and stored its answer) by now: only the client misses it.
            if (loseThisAnswer) {
              request.socket.destroy();
              return;
            }
            if (garbleThisAnswer) {
              response.writeHead(200, { 'content-type': 'application/json' });
              response.end(JSON.stringify({ portal: 'Sign in to the hotel Wi-Fi' }));
              return;
            }
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(answerChunks));
          });
        },
      );
      upstream.on('error', () => request.socket.destroy());
      upstream.end(body);
    });
  });
  proxy.url = await listen(server);
  return proxy;
}

export interface Platform {
  server: TestServer;
  proxy: FaultyProxy;
  close(): Promise<void>;
}

/** The platform server on a loopback port, behind a faulty proxy. The desk talks to `proxy.url`. */
export async function startPlatform(): Promise<Platform> {
  const server = await createTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.app.server.address() as AddressInfo).port;
  const proxy = await startFaultyProxy(`http://127.0.0.1:${port}`);
  return {
    server,
    proxy,
    async close() {
      await proxy.close();
      await server.close();
    },
  };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  data: Record<string, unknown> | undefined;
}

export interface TestDesk {
  ctx: DeskContext;
  api: PlatformApi;
  session: DeskSession;
  logs: LogLine[];
  events: Array<{ event: DeskEvent; payload: unknown }>;
  /** Resolves with the first event (already emitted or to come) that `matches`. */
  nextEvent<E extends DeskEvent>(
    event: E,
    matches: (payload: DeskEvents[E]) => boolean,
  ): Promise<DeskEvents[E]>;
  close(): void;
}

export interface TestDeskOptions {
  now?: () => Date;
}

/** A desk on the cache file in `dataDir` talking to `baseUrl`; reopening the same folder is a restart. */
export function openTestDesk(dataDir: string, baseUrl: string, options: TestDeskOptions = {}): TestDesk {
  const bus = new EventEmitter();
  const logs: LogLine[] = [];
  const events: TestDesk['events'] = [];
  const log = (level: LogLine['level']) => (message: string, data?: Record<string, unknown>) => {
    logs.push({ level, message, data });
  };
  const ctx: DeskContext = {
    db: openDeskDatabase(path.join(dataDir, 'desk.db')),
    own: openDeskDatabase(path.join(dataDir, 'own.db'), OWN_MIGRATIONS),
    dataDir,
    now: options.now ?? (() => new Date()),
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    emit(event, payload) {
      events.push({ event, payload });
      bus.emit(event, payload);
    },
  };
  // Wired as the desk service wires them.
  const { api, session } = createSessionWithApi(ctx, baseUrl, 5_000);
  return {
    ctx,
    api,
    session,
    logs,
    events,
    nextEvent(event, matches) {
      const seen = events.find((e) => e.event === event && matches(e.payload as never));
      if (seen) return Promise.resolve(seen.payload as never);
      return new Promise((resolve) => {
        const listener = (payload: DeskEvents[typeof event]) => {
          if (!matches(payload)) return;
          bus.off(event, listener);
          resolve(payload);
        };
        bus.on(event, listener);
      });
    },
    close: () => {
      ctx.db.close();
      ctx.own.close();
    },
  };
}

/** Signs `user` in on the desk with its password and a fresh code (the server's clock moves a step). */
export async function signIn(desk: TestDesk, server: TestServer, user: TestUser): Promise<void> {
  await desk.session.signIn(user.username, user.password);
  await desk.session.verify(freshCode(server, user));
}

export interface OutboxDesk {
  desk: TestDesk;
  outbox: Outbox;
  handlers: CheckedDeskHandlers;
}

/** Desks with their outboxes, opened during one test and closed together after it. */
export interface OutboxDesks {
  /** A desk on `dataDir` with its outbox, signed in as `user` (null: left signed out). */
  open(platform: Platform, user: TestUser | null, dataDir: string): Promise<OutboxDesk>;
  /** Closes the desk opened last, outbox first, as quitting the app does. */
  closeLast(): Promise<void>;
  closeAll(): Promise<void>;
}

/**
 * Opens desks as the desk service builds them: an outbox with short back-offs and no jitter, the handlers of
 * `featureHandlers` beside the outbox's, and every input checked against its channel's schema before a
 * handler runs.
 */
export function outboxDesks(featureHandlers: (desk: TestDesk, outbox: Outbox) => DeskHandlers = () => ({})): OutboxDesks {
  const opened: OutboxDesk[] = [];
  const close = async (entry: OutboxDesk) => {
    await entry.outbox.close();
    // A test may have closed the cache itself, as a crash would.
    if (entry.desk.ctx.db.open) entry.desk.close();
  };
  return {
    async open(platform, user, dataDir) {
      const desk = openTestDesk(dataDir, platform.proxy.url);
      if (user) await signIn(desk, platform.server, user);
      const outbox = createOutbox(desk.ctx, {
        platform: desk.api,
        currentUser: () => desk.session.user(),
        backoff: { baseMs: 20, maxMs: 160 },
        random: () => 0.5,
      });
      const handlers = withInputChecks(joinHandlers(outbox.handlers, featureHandlers(desk, outbox)));
      const entry = { desk, outbox, handlers };
      opened.push(entry);
      return entry;
    },
    closeLast: () => close(opened.pop()!),
    async closeAll() {
      for (const entry of opened.splice(0)) await close(entry);
    },
  };
}
