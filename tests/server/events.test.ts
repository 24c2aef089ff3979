// GET /v1/events (DESIGN §2): a real loopback stream that pokes with the newest cursor after each committed
// change, beats a heartbeat, never carries case data, and lets go of its listener when the client leaves.
import http from 'node:http';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { latestCursor, recordCaseChange } from '../../electron/server/feed/changes';
import { addCase, addUser, bearer, createTestServer, type TestServer } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

interface OpenStream {
  response: http.IncomingMessage;
  request: http.ClientRequest;
  /** Everything received so far. */
  text(): string;
  /** Resolves once the received text satisfies `done`. */
  until(done: (text: string) => boolean): Promise<string>;
}

async function listen(): Promise<number> {
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  return (server.app.server.address() as { port: number }).port;
}

function openStream(port: number, headers: http.OutgoingHttpHeaders): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/v1/events', headers }, (response) => {
      let received = '';
      const waiters: { done: (text: string) => boolean; resolve: (text: string) => void }[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        for (const waiter of [...waiters]) {
          if (waiter.done(received)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(received);
          }
        }
      });
      resolve({
        response,
        request,
        text: () => received,
        until: (done) =>
          done(received)
            ? Promise.resolve(received)
            : new Promise((resolveText) => waiters.push({ done, resolve: resolveText })),
      });
    });
    request.on('error', reject);
  });
}

function touch(caseId: string) {
  server.ctx.write(() => recordCaseChange(server.ctx, caseId));
}

describe('GET /v1/events', () => {
  it('streams `event: change` with the new cursor after a committed change, and nothing else', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    const stream = await openStream(await listen(), bearer(user));
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    await stream.until((text) => text.includes(': connected\n\n'));
    expect(server.ctx.changes.listenerCount('change')).toBe(1);

    touch(caseId);
    const first = latestCursor(server.ctx);
    await stream.until((text) => text.includes(`data: {"cursor":${first}}`));
    touch(caseId);
    const second = latestCursor(server.ctx);
    const text = await stream.until((received) => received.includes(`data: {"cursor":${second}}`));

    expect(text).toBe(
      `: connected\n\nevent: change\ndata: {"cursor":${first}}\n\nevent: change\ndata: {"cursor":${second}}\n\n`,
    );
    expect(text).not.toContain(caseId);
    stream.request.destroy();
  });

  it('says nothing for a write that recorded no change, and nothing before the commit', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'supervisor');
    const caseId = addCase(server.ctx);
    const stream = await openStream(await listen(), bearer(user));
    await stream.until((text) => text.includes(': connected'));
    expect(() =>
      server.ctx.write(() => {
        recordCaseChange(server.ctx, caseId);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    server.ctx.write(() => server.ctx.db.prepare("UPDATE parties SET country = 'CO'").run());
    touch(caseId);
    // The rolled-back change never reached the feed, so the first poke is for seq 2 (the case's first row is 1).
    const text = await stream.until((received) => received.includes('event: change'));
    expect(text).toBe(': connected\n\nevent: change\ndata: {"cursor":2}\n\n');
    stream.request.destroy();
  });

  it('beats a heartbeat comment', async () => {
    server = await createTestServer({ eventsHeartbeatMs: 5 });
    const user = addUser(server.ctx, 'compliance');
    const stream = await openStream(await listen(), bearer(user));
    const text = await stream.until((received) => received.includes(': heartbeat\n\n'));
    expect(text).not.toContain('event:');
    stream.request.destroy();
  });

  it('removes its listener when the client disconnects', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const port = await listen();
    const streams = await Promise.all([openStream(port, bearer(user)), openStream(port, bearer(user))]);
    await Promise.all(streams.map((stream) => stream.until((text) => text.includes(': connected'))));
    expect(server.ctx.changes.listenerCount('change')).toBe(2);
    const removed = once(server.ctx.changes, 'removeListener');
    streams[0]!.request.destroy();
    await removed;
    expect(server.ctx.changes.listenerCount('change')).toBe(1);
    // The other client still hears changes.
    touch(addCase(server.ctx));
    await streams[1]!.until((text) => text.includes('event: change'));
    streams[1]!.request.destroy();
  });

  it('ends open streams when the server closes', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const stream = await openStream(await listen(), bearer(user));
    await stream.until((text) => text.includes(': connected'));
    const ended = once(stream.response, 'end');
    await server.app.close();
    await ended;
    expect(server.ctx.changes.listenerCount('change')).toBe(0);
  });

  it('answers 401 with the envelope without a valid token', async () => {
    server = await createTestServer();
    const port = await listen();
    for (const headers of [{}, { authorization: 'Bearer not-a-real-session-token' }] as Record<
      string,
      string
    >[]) {
      const response = await fetch(`http://127.0.0.1:${port}/v1/events`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: { code: 'unauthenticated', message: expect.any(String) },
      });
    }
    expect(server.ctx.changes.listenerCount('change')).toBe(0);
  });
});
