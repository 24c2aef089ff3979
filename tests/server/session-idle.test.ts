// The idle timeout of sessions (issue #11): a session unused for config.sessionIdleTimeoutMs answers 401
// unauthenticated with a reason the desk can show; every authenticated request slides it (one write a minute
// at most) except the background reads a desk makes on its own (the sync feed, the event stream); the
// absolute expiry still holds; an idle session's event stream is closed.
import http from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ROUTES, type RouteSpec } from '../../shared/api/routes';
import { idleMinutesFromEnv } from '../../electron/server/config';
import { hashToken } from '../../electron/server/http/session';
import { addUser, createTestServer, type TestServer } from './harness';
import { me, signIn } from './fixtures/auth-api';

let server: TestServer;
afterEach(async () => server?.close());

const MINUTE = 60_000;

async function signedInServer(overrides = {}) {
  server = await createTestServer(overrides);
  const user = addUser(server.ctx, 'agent');
  const { accessToken } = await signIn(server, user);
  return accessToken;
}

const lastUsedAt = (accessToken: string) =>
  (
    server.ctx.db.prepare('SELECT last_used_at FROM sessions WHERE token_hash = ?').get(hashToken(accessToken)) as {
      last_used_at: string;
    }
  ).last_used_at;

describe('idle timeout', () => {
  it('is 30 minutes unless configured', async () => {
    await signedInServer();
    expect(server.ctx.config.sessionIdleTimeoutMs).toBe(30 * MINUTE);
  });

  it('ends a session unused for the timeout: 401 unauthenticated with the reason and the minutes', async () => {
    const accessToken = await signedInServer();
    server.clock.advance(30 * MINUTE - 1_000);
    expect((await me(server, accessToken)).status).toBe(200);
    server.clock.advance(30 * MINUTE);
    expect(await me(server, accessToken)).toEqual({
      status: 401,
      body: {
        error: {
          code: 'unauthenticated',
          message: 'Signed out after 30 minutes without activity. Sign in again.',
          reason: 'idle_timeout',
          idleMinutes: 30,
        },
      },
    });
    // It stays ended: the refused request did not slide it.
    server.clock.advance(1_000);
    expect((await me(server, accessToken)).status).toBe(401);
  });

  it('slides with every authenticated request, writing at most once a minute', async () => {
    const accessToken = await signedInServer();
    const signedInAt = lastUsedAt(accessToken);
    server.clock.advance(30_000);
    expect((await me(server, accessToken)).status).toBe(200);
    expect(lastUsedAt(accessToken)).toBe(signedInAt);
    server.clock.advance(31_000);
    expect((await me(server, accessToken)).status).toBe(200);
    expect(lastUsedAt(accessToken)).toBe(server.clock.now.toISOString());

    for (let i = 0; i < 4; i++) {
      server.clock.advance(25 * MINUTE);
      expect((await me(server, accessToken)).status).toBe(200);
    }
  });

  it('runs no UPDATE of the session for a request within the minute: the row it read says it is fresh', async () => {
    const accessToken = await signedInServer();
    // Every statement the server's connection runs with run() (its writes) is recorded: even an UPDATE that
    // changes no row takes the write lock, so within the minute the session's may not run.
    const statements = Object.getPrototypeOf(server.ctx.db.prepare('SELECT 1')) as {
      run: (...args: unknown[]) => unknown;
    };
    const run = statements.run;
    const ran: string[] = [];
    statements.run = function (this: { source: string }, ...args: unknown[]) {
      ran.push(this.source);
      return run.apply(this, args);
    };
    try {
      server.clock.advance(30_000);
      expect((await me(server, accessToken)).status).toBe(200);
      expect(ran.filter((source) => /UPDATE sessions/.test(source))).toEqual([]);
      server.clock.advance(31_000);
      expect((await me(server, accessToken)).status).toBe(200);
      expect(ran.filter((source) => /UPDATE sessions/.test(source))).toHaveLength(1);
    } finally {
      statements.run = run;
    }
  });

  it('keeps the absolute expiry: a session in use still ends at expiresAt, with the plain message', async () => {
    const accessToken = await signedInServer({ sessionTtlMs: 60 * MINUTE });
    for (let i = 0; i < 3; i++) {
      server.clock.advance(19 * MINUTE);
      expect((await me(server, accessToken)).status).toBe(200);
    }
    server.clock.advance(3 * MINUTE);
    const answer = await me(server, accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { code: 'unauthenticated', message: expect.stringContaining('expired') } });
  });

  it('follows the configuration', async () => {
    const accessToken = await signedInServer({ sessionIdleTimeoutMs: 5 * MINUTE });
    server.clock.advance(5 * MINUTE);
    expect((await me(server, accessToken)).body).toMatchObject({ error: { idleMinutes: 5 } });
  });

  it('reads DISPUTE_DESK_SESSION_IDLE_MINUTES as whole minutes, and refuses anything else', () => {
    expect(idleMinutesFromEnv(undefined)).toBe(30);
    expect(idleMinutesFromEnv('45')).toBe(45);
    for (const bad of ['0', '-5', '1.5', 'ten', '1441']) expect(() => idleMinutesFromEnv(bad)).toThrow(/whole number/);
  });
});

describe('background reads', () => {
  const sync = async (accessToken: string) =>
    (
      await server.app.inject({
        method: 'GET',
        url: '/v1/sync?after=0',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).statusCode;

  it('are the sync feed and the event stream, and only those', () => {
    const background = Object.values(ROUTES).filter((route: RouteSpec) => route.background === true);
    expect(background.map((route) => `${route.method} ${route.path}`)).toEqual(['GET /v1/sync', 'GET /v1/events']);
  });

  it('do not count as activity: a desk left open, syncing all along, is signed out after 30 minutes', async () => {
    const accessToken = await signedInServer();
    const signedInAt = lastUsedAt(accessToken);
    // A desk pulls the feed after every change anyone makes: here every 4 minutes, for 28 minutes.
    for (let i = 0; i < 7; i++) {
      server.clock.advance(4 * MINUTE);
      expect(await sync(accessToken)).toBe(200);
    }
    expect(lastUsedAt(accessToken)).toBe(signedInAt);
    server.clock.advance(2 * MINUTE);
    expect(await me(server, accessToken)).toMatchObject({ status: 401, body: { error: { reason: 'idle_timeout' } } });
    expect(await sync(accessToken)).toBe(401);
  });

  it('still work while the person is active, and a request of theirs slides the timeout as before', async () => {
    const accessToken = await signedInServer();
    server.clock.advance(20 * MINUTE);
    expect((await me(server, accessToken)).status).toBe(200);
    server.clock.advance(20 * MINUTE);
    expect(await sync(accessToken)).toBe(200);
    expect((await me(server, accessToken)).status).toBe(200);
  });

  it('include any GET sent as a background request (X-Background-Request: 1), which slides nothing', async () => {
    const accessToken = await signedInServer();
    const signedInAt = lastUsedAt(accessToken);
    const get = (headers: Record<string, string>) =>
      server.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${accessToken}`, ...headers } });
    for (let i = 0; i < 7; i++) {
      server.clock.advance(4 * MINUTE);
      expect((await get({ 'x-background-request': '1' })).statusCode).toBe(200);
    }
    expect(lastUsedAt(accessToken)).toBe(signedInAt);
    // Still refused once the session is idle: 30 minutes after sign-in, whatever the header says.
    server.clock.advance(2 * MINUTE);
    const idle = await get({ 'x-background-request': '1' });
    expect(idle.statusCode).toBe(401);
    expect(idle.json()).toMatchObject({ error: { reason: 'idle_timeout' } });
  });

  it('are sent with exactly the value 1: any other value is the person\'s request, which slides', async () => {
    const accessToken = await signedInServer();
    const signedInAt = lastUsedAt(accessToken);
    server.clock.advance(2 * MINUTE);
    const response = await server.app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { authorization: `Bearer ${accessToken}`, 'x-background-request': 'yes' },
    });
    expect(response.statusCode).toBe(200);
    expect(lastUsedAt(accessToken)).not.toBe(signedInAt);
  });

  it('never include a write, whatever it says: the header is ignored and the write slides the timeout', async () => {
    const accessToken = await signedInServer();
    const signedInAt = lastUsedAt(accessToken);
    server.clock.advance(2 * MINUTE);
    const claim = await server.app.inject({
      method: 'POST',
      url: '/v1/cases/DSP-999999/claim',
      headers: { authorization: `Bearer ${accessToken}`, 'x-background-request': '1' },
      payload: {},
    });
    expect(claim.statusCode).toBe(404);
    expect(lastUsedAt(accessToken)).not.toBe(signedInAt);
  });

  it('include opening the event stream: a stream opened just before the timeout does not extend it', async () => {
    const accessToken = await signedInServer({ eventsHeartbeatMs: 20 });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as { port: number };
    server.clock.advance(29 * MINUTE);
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/v1/events',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const [response] = (await once(request, 'response')) as [http.IncomingMessage];
    expect(response.statusCode).toBe(200);
    response.resume();
    server.clock.advance(MINUTE);
    // The heartbeat finds the session idle and ends the stream; the next request of the person is refused.
    await once(response, 'end');
    expect((await me(server, accessToken)).status).toBe(401);
  });
});

describe('the event stream of a session', () => {
  it('is closed once the session goes idle (an open stream is not activity)', async () => {
    const accessToken = await signedInServer({ eventsHeartbeatMs: 20 });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as { port: number };
    const request = http.get({
      host: '127.0.0.1',
      port,
      path: '/v1/events',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const [response] = (await once(request, 'response')) as [http.IncomingMessage];
    expect(response.statusCode).toBe(200);
    let received = '';
    response.setEncoding('utf8');
    const beats = new Promise<void>((resolve) =>
      response.on('data', (chunk: string) => {
        received += chunk;
        if (received.split(': heartbeat').length > 2) resolve();
      }),
    );
    await beats; // live: it beats

    server.clock.advance(30 * MINUTE);
    await once(response, 'end');
    expect((await me(server, accessToken)).status).toBe(401);
  });
});
