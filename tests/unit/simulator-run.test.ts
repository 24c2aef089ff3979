// The simulator on the wire, against a stand-in for the platform on a loopback port that checks what a
// platform must (signatures, shapes, a trade known before its events) and keeps its own record of trades:
// deliveries are signed and retried under the same webhook-id, refusals of a frozen escrow are counted as
// the market's and not as errors, and an unreachable server is named before anything is sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { platformEvent, type PlatformEvent } from '../../shared/api/platform-events';
import { verifySignedDelivery } from '../../electron/server/webhooks/standard-webhooks';
import { hasValidSignature } from '../../electron/server/webhooks/signature';
import { metamapEvent } from '../../electron/server/webhooks/payload';
import { deliver, DeliveryFailed, platformSigner } from '../../electron/simulator/delivery';
import { runSimulator, ServerUnreachable } from '../../electron/simulator/run';

const SECRET = 'sim-test-platform-secret';
const METAMAP_SECRET = 'sim-test-metamap-secret';
const FAST_RETRY = { attempts: 4, baseMs: 5, maxMs: 20, timeoutMs: 2_000 };

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(
  handle: (request: Received) => { status: number; body: unknown },
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const item = { url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) };
      if (request.method === 'GET' && item.url === '/v1/health') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      received.push(item);
      const answer = handle(item);
      response
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const error = (status: number, code: string) => ({ status, body: { error: { code, message: code } } });

describe('a delivery', () => {
  it('is tried again after 5xx under the same webhook-id and body, each attempt signed', async () => {
    let calls = 0;
    const { url, received } = await listen(() =>
      ++calls <= 2 ? error(503, 'unavailable') : { status: 200, body: { ok: true } },
    );
    const body = JSON.stringify({
      type: 'trade.paid',
      timestamp: new Date().toISOString(),
      data: { tradeId: 'T-1' },
    });
    const answer = await deliver(`${url}/v1/platform/events`, body, platformSigner(SECRET, 'evt_T-1_3'), {
      retry: FAST_RETRY,
    });
    expect(answer).toEqual({ status: 200, body: { ok: true }, attempts: 3 });
    expect(received.map((item) => item.headers['webhook-id'])).toEqual([
      'evt_T-1_3',
      'evt_T-1_3',
      'evt_T-1_3',
    ]);
    for (const item of received) {
      expect(item.body.toString()).toBe(body);
      expect(verifySignedDelivery([SECRET], item.headers, item.body)).toMatchObject({
        ok: true,
        id: 'evt_T-1_3',
      });
    }
  });

  it('gives up with DeliveryFailed when nothing answers', async () => {
    const url = await closedPort();
    await expect(
      deliver(`${url}/v1/platform/events`, '{}', platformSigner(SECRET, 'evt_x'), { retry: FAST_RETRY }),
    ).rejects.toBeInstanceOf(DeliveryFailed);
  });
});

describe('runSimulator', () => {
  it('names an unreachable server before sending anything', async () => {
    const server = await closedPort();
    await expect(
      runSimulator({ server, secret: SECRET, rate: 60, durationMs: 1_000, seed: '1' }),
    ).rejects.toBeInstanceOf(ServerUnreachable);
  });

  it('plays trades that the platform can follow, counting its refusals of a frozen escrow as part of the market', async () => {
    const trades = new Map<string, { settled: boolean; disputedAt: number | null }>();
    const problems: string[] = [];
    let refusals = 0;
    let cases = 0;
    const answered = new Map<string, { status: number; body: unknown }>();
    const { url, received } = await listen(({ url: path, headers, body }) => {
      if (path === '/v1/webhooks/metamap') {
        if (!hasValidSignature(METAMAP_SECRET, body, headers['x-signature']))
          problems.push('metamap signature');
        const parsed = metamapEvent.safeParse(JSON.parse(body.toString()));
        if (!parsed.success) problems.push(`metamap shape: ${parsed.error.message}`);
        return { status: 200, body: { status: 'applied', checkId: 'LIV-1' } };
      }
      const verified = verifySignedDelivery([SECRET], headers, body);
      if (!verified.ok) {
        problems.push(`signature: ${verified.failure}`);
        return error(401, 'invalid_signature');
      }
      const parsed = platformEvent.safeParse(JSON.parse(body.toString()));
      if (!parsed.success) {
        problems.push(`shape: ${parsed.error.message}`);
        return error(400, 'invalid_request');
      }
      // As the platform does, a redelivery (a retry after a slow answer) gets the first answer again.
      const earlier = answered.get(verified.id);
      if (earlier) return earlier;
      const answer = apply(verified.id, parsed.data);
      answered.set(verified.id, answer);
      return answer;
    });
    function apply(eventId: string, event: PlatformEvent): { status: number; body: unknown } {
      const at = Date.parse(event.timestamp);
      const trade = trades.get(event.data.tradeId);
      const outcome = (caseId: string | null = null) => ({
        status: 200,
        body: { eventId, status: 'applied', tradeId: event.data.tradeId, caseId },
      });
      if (event.type === 'trade.opened') {
        trades.set(event.data.tradeId, { settled: false, disputedAt: null });
        return outcome();
      }
      if (!trade) {
        problems.push(`${event.type} for an unknown trade ${event.data.tradeId}`);
        return error(404, 'not_found');
      }
      switch (event.type) {
        case 'dispute.opened':
          trade.disputedAt = at;
          return outcome(`DSP-${++cases}`);
        case 'trade.released':
        case 'trade.cancelled':
          if (trade.disputedAt !== null && at > trade.disputedAt) {
            refusals++;
            return error(409, 'escrow_frozen');
          }
          if (trade.settled) problems.push(`${event.data.tradeId} settled twice`);
          trade.settled = true;
          return outcome();
        default:
          return outcome();
      }
    }
    const lines: string[] = [];
    const summary = await runSimulator({
      server: url,
      secret: SECRET,
      metamapSecret: METAMAP_SECRET,
      rate: 1_200,
      durationMs: 4_000,
      pace: 0.01,
      seed: '9',
      runId: 'wire',
      retry: FAST_RETRY,
      onLine: (line) => lines.push(line),
    });
    expect(problems).toEqual([]);
    expect(summary.errors).toBe(0);
    expect(summary.trades).toBeGreaterThan(20);
    // A delivery the machine was too slow to answer in time is tried again under the same id and bytes: the
    // summary counts deliveries, the stand-in sees attempts.
    const deliveries = new Set(received.map((item) => item.headers['webhook-id'] ?? item.body.toString()));
    expect(summary.events).toBe(deliveries.size);
    expect(summary.refused).toBe(refusals);
    expect(summary.disputes).toBe(cases);
    expect(summary.caseIds).toHaveLength(cases);
    expect(summary.completed + summary.cancelled + summary.disputes).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('dispute')).length).toBe(cases);
    expect(lines.some((line) => /^dispute +DSP-\d+ on T-wire-/.test(line))).toBe(true);
  });

  it('stops when its signal aborts and still answers with what it counted', async () => {
    const { url } = await listen(() => ({
      status: 200,
      body: { eventId: 'x', status: 'applied', tradeId: 'x', caseId: null },
    }));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const summary = await runSimulator({
      server: url,
      secret: SECRET,
      rate: 600,
      seed: '3',
      signal: stop.signal,
    });
    expect(summary.trades).toBeGreaterThan(0);
    expect(summary.errors).toBe(0);
  });
});
