// Limits (issue #11): per-user, per-route budgets on writes; caps on event streams per token, per user and in total;
// and the HTTP server's timeouts, with the event stream exempt from the idle timeout. Real server on a
// loopback port where sockets matter; no timed assertions: each test waits on what the server does.
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EVENT_STREAM_LIMITS, DEFAULT_HTTP_TIMEOUTS } from '../../electron/server/config';
import { closeStreamsOf, openStreamCount } from '../../electron/server/feed/events';
import { recordCaseChange } from '../../electron/server/feed/changes';
import { addCase, addSession, addUser, bearer, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

const note = (user: TestUser, caseId: string) =>
  server.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/notes`,
    headers: { ...bearer(user), 'content-type': 'application/json' },
    payload: { body: 'Checked the bank statement.' },
  });

const claim = (user: TestUser, caseId: string) =>
  server.app.inject({ method: 'POST', url: `/v1/cases/${caseId}/claim`, headers: bearer(user) });

describe('write limits per user and route', () => {
  const limits = { verdictsPerMinute: 1, textPerMinute: 3, otherWritesPerMinute: 2 };

  it('refuses the write past the budget with 429 rate_limited, the envelope and Retry-After', async () => {
    server = await createTestServer({ writeRateLimits: limits });
    const agent = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    for (let i = 0; i < 3; i++) expect((await note(agent, caseId)).statusCode).toBe(201);
    const refused = await note(agent, caseId);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing of the refused note was stored.
    expect(server.ctx.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 3 });
  });

  it('counts per user: a colleague keeps a budget of their own, and the same user on another route too', async () => {
    server = await createTestServer({ writeRateLimits: limits });
    const busy = addUser(server.ctx, 'agent');
    const colleague = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    for (let i = 0; i < 3; i++) await note(busy, caseId);
    expect((await note(busy, caseId)).statusCode).toBe(429);
    expect((await note(colleague, caseId)).statusCode).toBe(201);
    // Another route, another budget: the busy agent can still claim.
    expect((await claim(busy, addCase(server.ctx))).statusCode).toBe(200);
    // Reads are never counted.
    for (let i = 0; i < 5; i++) {
      expect((await server.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(busy) })).statusCode).toBe(200);
    }
  });

  it('counts a user across tokens: a second session does not double the budget', async () => {
    server = await createTestServer({ writeRateLimits: limits });
    const agent = addUser(server.ctx, 'agent');
    const other = addUser(server.ctx, 'agent');
    // A second session of the same user: the other test user's token, moved to the first user.
    server.ctx.db
      .prepare('UPDATE sessions SET user_id = ? WHERE user_id = ?')
      .run(agent.id, other.id);
    const caseId = addCase(server.ctx);
    for (let i = 0; i < 3; i++) await note(i % 2 ? other : agent, caseId);
    expect((await note(other, caseId)).statusCode).toBe(429);
  });

  it('gives the verdict routes the tightest budget', async () => {
    server = await createTestServer({ writeRateLimits: limits });
    const agent = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    const verdict = () =>
      server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/verdict`,
        headers: { ...bearer(agent), 'content-type': 'application/json', 'idempotency-key': 'k-1' },
        payload: { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid.', totp: '000000' },
      });
    expect((await verdict()).statusCode).not.toBe(429);
    expect((await verdict()).statusCode).toBe(429);
  });

  it('leaves the sign-in routes to their own per-address limit', async () => {
    server = await createTestServer({ writeRateLimits: limits, authRateLimitPerMinute: 1_000 });
    for (let i = 0; i < 5; i++) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: `nobody${i}`, password: 'wrong-password' },
      });
      expect(response.statusCode).not.toBe(429);
    }
  });
});

interface Stream {
  response: http.IncomingMessage;
  request: http.ClientRequest;
  ended: Promise<unknown>;
  until(text: string): Promise<void>;
}

async function listen(): Promise<number> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return (server.app.server.address() as { port: number }).port;
}

function openStream(port: number, user: TestUser): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/v1/events', headers: bearer(user) }, (response) => {
      let received = '';
      const waiters: { text: string; resolve: () => void }[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        for (const waiter of waiters.filter((w) => received.includes(w.text))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      });
      // 'close' rather than 'end': a stream the server ends and one the test destroys both close.
      const ended = new Promise((done) => response.once('close', done));
      resolve({
        response,
        request,
        ended,
        until: (text) =>
          received.includes(text) ? Promise.resolve() : new Promise((done) => waiters.push({ text, resolve: done })),
      });
    });
    request.on('error', reject);
  });
}

async function connected(port: number, user: TestUser): Promise<Stream> {
  const stream = await openStream(port, user);
  expect(stream.response.statusCode).toBe(200);
  await stream.until(': connected');
  return stream;
}

describe('event stream caps', () => {
  it('ends the oldest stream of a token when it opens one more than allowed', async () => {
    server = await createTestServer({ eventStreamLimits: { perToken: 2, perUser: 10, total: 100 } });
    const agent = addUser(server.ctx, 'agent');
    const port = await listen();
    const first = await connected(port, agent);
    const second = await connected(port, agent);
    const third = await connected(port, agent);
    await first.ended;
    expect(openStreamCount(server.ctx)).toBe(2);
    // The newer two still hear changes.
    server.ctx.write(() => recordCaseChange(server.ctx, addCase(server.ctx)));
    await Promise.all([second.until('event: change'), third.until('event: change')]);
    second.request.destroy();
    third.request.destroy();
  });

  it('refuses a stream beyond the total with 429 rate_limited and the envelope, and takes it once one closes', async () => {
    server = await createTestServer({ eventStreamLimits: { perToken: 1, perUser: 10, total: 2 } });
    const [a, b, c] = [addUser(server.ctx, 'agent'), addUser(server.ctx, 'agent'), addUser(server.ctx, 'agent')];
    const port = await listen();
    const first = await connected(port, a);
    const second = await connected(port, b);
    const refused = await fetch(`http://127.0.0.1:${port}/v1/events`, { headers: bearer(c) });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    // A token at its own cap may still replace its oldest stream when the server is full.
    const replaced = await connected(port, a);
    expect(openStreamCount(server.ctx)).toBe(2);
    await first.ended;
    const closed = once(server.ctx.changes, 'removeListener');
    second.request.destroy();
    await closed;
    const third = await connected(port, c);
    third.request.destroy();
    replaced.request.destroy();
  });

  it("ends the oldest stream of a user across their sessions when they open one more than allowed, and only theirs", async () => {
    server = await createTestServer({ eventStreamLimits: { perToken: 3, perUser: 2, total: 100 } });
    const agent = addUser(server.ctx, 'agent');
    const colleague = addUser(server.ctx, 'agent');
    const [first, second, third] = [agent, addSession(server.ctx, agent), addSession(server.ctx, agent)];
    const port = await listen();
    const theirs = await connected(port, colleague);
    const streams = [await connected(port, first), await connected(port, second)];
    // A third session of the same user: its stream replaces the user's oldest, as a token's would.
    const newest = await connected(port, third);
    expect(openStreamCount(server.ctx)).toBe(3);
    await streams[0]!.ended;
    server.ctx.write(() => recordCaseChange(server.ctx, addCase(server.ctx)));
    await Promise.all([streams[1]!.until('event: change'), newest.until('event: change'), theirs.until('event: change')]);
    // Not refused: the user's streams rotate, and the server's total is untouched by them.
    const refreshed = await connected(port, first);
    expect(openStreamCount(server.ctx)).toBe(3);
    await streams[1]!.ended;
    for (const stream of [refreshed, newest, theirs]) stream.request.destroy();
  });

  it('has a per-user cap by default, above the per-token one', () => {
    expect(DEFAULT_EVENT_STREAM_LIMITS).toEqual({ perToken: 3, perUser: 6, total: 500 });
  });

  it('closes every stream of a user at once (closeStreamsOf), and only theirs', async () => {
    server = await createTestServer();
    const leaving = addUser(server.ctx, 'agent');
    const staying = addUser(server.ctx, 'agent');
    const port = await listen();
    const streams = [await connected(port, leaving), await connected(port, leaving)];
    const other = await connected(port, staying);
    expect(closeStreamsOf(server.ctx, leaving.id)).toBe(2);
    await Promise.all(streams.map((stream) => stream.ended));
    expect(openStreamCount(server.ctx)).toBe(1);
    expect(server.ctx.changes.listenerCount('change')).toBe(1);
    other.request.destroy();
  });

  it('ends the streams of a token when it signs out', async () => {
    server = await createTestServer();
    const agent = addUser(server.ctx, 'agent');
    const port = await listen();
    const stream = await connected(port, agent);
    const signedOut = await fetch(`http://127.0.0.1:${port}/v1/auth/logout`, { method: 'POST', headers: bearer(agent) });
    expect(signedOut.status).toBe(204);
    await stream.ended;
    expect(openStreamCount(server.ctx)).toBe(0);
  });
});

describe('HTTP timeouts', () => {
  it('are set on the server', async () => {
    server = await createTestServer();
    await listen();
    const { server: raw } = server.app;
    expect(raw.requestTimeout).toBe(DEFAULT_HTTP_TIMEOUTS.requestMs);
    expect(raw.keepAliveTimeout).toBe(DEFAULT_HTTP_TIMEOUTS.keepAliveMs);
    expect(raw.timeout).toBe(DEFAULT_HTTP_TIMEOUTS.connectionMs);
  });

  it('answers a client that never finishes its request 408 and drops it', async () => {
    server = await createTestServer({
      httpTimeouts: { connectionMs: 600, requestMs: 300, keepAliveMs: 300, checkIntervalMs: 100 },
    });
    const port = await listen();
    // Half a request: the headers never end.
    const slow = net.connect(port, '127.0.0.1');
    slow.write('POST /v1/cases/DSP-1/notes HTTP/1.1\r\nHost: x\r\n');
    const answers: string[] = [];
    slow.on('data', (chunk) => answers.push(chunk.toString()));
    await once(slow, 'close');
    expect(answers.join('')).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('keeps an event stream open past the idle timeout that closes a silent socket', async () => {
    server = await createTestServer({
      eventsHeartbeatMs: 3_600_000,
      httpTimeouts: { connectionMs: 100, requestMs: 1_000, keepAliveMs: 1_000, checkIntervalMs: 20 },
    });
    const agent = addUser(server.ctx, 'agent');
    const port = await listen();
    const stream = await connected(port, agent);
    const silent = net.connect(port, '127.0.0.1');
    await once(silent, 'close');
    // The silent socket went; the stream, as quiet since it connected, is still there and hears a change.
    server.ctx.write(() => recordCaseChange(server.ctx, addCase(server.ctx)));
    await stream.until('event: change');
    stream.request.destroy();
  });
});
