// Outbound events (issue #10): queued in the transaction of the change they report, delivered to a real
// receiver on a loopback port with Standard Webhooks signatures, retried with a growing backoff, resumed
// after a restart, and shown to supervisors in the delivery log. Time is the servers' pinned clock: a
// test moves it past an event's next attempt and waits for the worker's `attempt` event, never a sleep.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_OUTBOUND_DELIVERY,
  defaultConfig,
  outboundTarget,
  type ServerConfig,
} from '../../electron/server/config';
import { retryDelayMs } from '../../electron/server/outbound/backoff';
import { enqueueOutbound } from '../../electron/server/outbound/enqueue';
import { earliestPendingAt } from '../../electron/server/sql/outbound';
import type { AttemptOutcome, DeliveryWorker } from '../../electron/server/outbound/worker';
import { startServer, type RunningServer } from '../../electron/server/start';
import { verifySignedDelivery } from '../../electron/server/webhooks/standard-webhooks';
import { outboundEvent, type OutboundEvent, type PlatformEvent } from '../../shared/api/platform-events';
import { receivePlatformEvent } from '../../electron/server/platform/ingest';
import { addCase, addUser, createTestServer, freshCode, tempDir, type TestServer } from './harness';
import {
  approve,
  call,
  claim,
  escrowOf,
  expectConsistent,
  FOUR_EYES_TRADE,
  postVerdict,
  verdictInput,
} from './fixtures/case-api';
import { heldSync } from './fixtures/held-sync';
import { event, tradeOpened } from './fixtures/platform-events';

// ---- A receiver: the exchange's endpoint, on a loopback port ----------------------------------------

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  status: number | 'hung';
}

interface Receiver {
  url: string;
  received: Received[];
  /** What the next requests get, in turn; after the script runs out, `then`. */
  script: (number | 'hang')[];
  then: number;
  /** Resolves on the next request (after it was recorded). */
  nextRequest(): Promise<Received>;
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

async function startReceiver(script: (number | 'hang')[], then = 200): Promise<Receiver> {
  const waiting: ((received: Received) => void)[] = [];
  const hung: http.ServerResponse[] = [];
  const receiver = { received: [] as Received[], script, then } as Receiver;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const planned = receiver.script.shift() ?? receiver.then;
      const received: Received = {
        headers: request.headers,
        body: Buffer.concat(chunks),
        status: planned === 'hang' ? 'hung' : planned,
      };
      receiver.received.push(received);
      if (planned === 'hang') hung.push(response);
      else response.writeHead(planned, { 'content-type': 'text/plain' }).end('ok');
      waiting.splice(0).forEach((resolve) => resolve(received));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/desk?token=never-shown`;
  receiver.nextRequest = () => new Promise((resolve) => waiting.push(resolve));
  receiver.close = async () => {
    for (const response of hung) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  receivers.push(receiver);
  return receiver;
}

// ---- Servers ---------------------------------------------------------------------------------------------

const SECRETS = ['whsec_bmV3LXNlY3JldC1mb3ItdGhlLW91dGJvdW5kLXRlc3Rz', 'old-plain-secret-for-the-tests'];

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    expectConsistent(server);
    await server.close();
  }
  for (const receiver of receivers.splice(0)) await receiver.close();
});

function outboundConfig(
  receiver: Receiver,
  tuning: Partial<ServerConfig['outboundDelivery']> = {},
): Partial<ServerConfig> {
  return {
    outboundUrl: receiver.url,
    outboundSecret: SECRETS.join(', '),
    // The worker polls often (the clock is pinned, so a due row is found on the next poll after the test
    // moves it); the backoff is the default's.
    outboundDelivery: { ...DEFAULT_OUTBOUND_DELIVERY, firstBackoffMs: 2_000, pollMs: 5, ...tuning },
  };
}

async function serverWith(overrides: Partial<ServerConfig>): Promise<TestServer> {
  const server = await createTestServer(overrides);
  servers.push(server);
  return server;
}

const nextAttempt = (worker: DeliveryWorker | null) =>
  new Promise<AttemptOutcome>((resolve) => worker!.events.once('attempt', resolve));

interface QueueRow {
  seq: number;
  id: string;
  type: string;
  trade_id: string;
  case_id: string | null;
  body: string;
  state: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}
const queue = (server: Pick<TestServer, 'ctx'>) =>
  server.ctx.db.prepare('SELECT * FROM outbound_events ORDER BY seq').all() as QueueRow[];

function lockedEvent(
  tradeId: string,
  at: string,
  type: 'escrow.locked' | 'escrow.held' = 'escrow.locked',
): OutboundEvent {
  return {
    type,
    timestamp: at,
    data: {
      escrowId: `ESC-${tradeId}`,
      tradeId,
      caseId: null,
      asset: 'USDT',
      amount: '100.000000',
      beneficiaryPartyId: null,
      movementId: `MOV-${tradeId}`,
      cause: 'trade.opened',
    },
  };
}

describe('outbound delivery', () => {
  it('sends an event only once the change it reports is on disk (group commit)', async () => {
    const receiver = await startReceiver([], 204);
    const held = heldSync();
    const server = await createTestServer(outboundConfig(receiver), { syncWal: held.sync });
    servers.push(server);
    const settled = server.ctx.commits.settled;
    const workerWaits = new Promise<void>((resolve) => {
      server.ctx.commits.settled = () => {
        resolve();
        return settled();
      };
    });
    server.ctx.write(() => enqueueOutbound(server.ctx, lockedEvent('T-DISK', server.clock.now.toISOString())));
    await workerWaits;
    await held.called(1);
    // Committed and due, but the sync that covers it has not finished: nothing has left.
    expect(queue(server).map((row) => row.trade_id)).toEqual(['T-DISK']);
    expect(receiver.received).toEqual([]);

    const arrived = receiver.nextRequest();
    held.release();
    expect(JSON.parse((await arrived).body.toString()).data.tradeId).toBe('T-DISK');
  });

  it('retries a receiver that fails the first attempts with a growing pause, then delivers once, signed', async () => {
    const receiver = await startReceiver([500, 503], 204);
    const server = await serverWith(outboundConfig(receiver));
    const compliance = addUser(server.ctx, 'compliance');
    const caseId = addCase(server.ctx);

    const first = nextAttempt(server.outbound);
    expect(
      (await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'KYT review.' })).status,
    ).toBe(200);
    const outcomes = [await first];
    const attemptedAt = [server.clock.now.getTime()];
    while (!outcomes.at(-1)!.delivered) {
      const due = outcomes.at(-1)!.retryAt!;
      const attempt = nextAttempt(server.outbound);
      server.clock.set(new Date(due));
      attemptedAt.push(server.clock.now.getTime());
      outcomes.push(await attempt);
    }

    expect(outcomes.map((outcome) => [outcome.attempt, outcome.status, outcome.delivered])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 204, true],
    ]);
    expect(outcomes[0]!.error).toBe('the exchange answered 500');
    // The pause grows: about 2 s after the first failure, about 4 s after the second.
    const pause = (i: number) => Date.parse(outcomes[i]!.retryAt!) - attemptedAt[i]!;
    expect(pause(0)).toBeGreaterThanOrEqual(1_500);
    expect(pause(0)).toBeLessThanOrEqual(2_000);
    expect(pause(1)).toBeGreaterThanOrEqual(3_000);
    expect(pause(1)).toBeLessThanOrEqual(4_000);

    // Three requests, one event: the same id and the same bytes, each signed afresh at its own time.
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((received) => received.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((received) => received.body.toString())).size).toBe(1);
    const stamps = receiver.received.map((received) => received.headers['webhook-timestamp']);
    expect(new Set(stamps).size).toBe(3);
    receiver.received.forEach((received, i) => {
      const sentAt = new Date(Number(received.headers['webhook-timestamp']) * 1000);
      // Each of the rotating secrets verifies on its own; another secret does not.
      for (const secret of SECRETS)
        expect(
          verifySignedDelivery([secret], received.headers, received.body, sentAt).ok,
          `attempt ${i + 1}`,
        ).toBe(true);
      expect(verifySignedDelivery(['not-the-secret'], received.headers, received.body, sentAt)).toEqual({
        ok: false,
        failure: 'invalid_signature',
      });
      expect(received.headers['content-type']).toBe('application/json');
    });

    const event = outboundEvent.parse(JSON.parse(receiver.received[0]!.body.toString()));
    expect(event).toMatchObject({
      type: 'escrow.held',
      data: {
        caseId,
        escrowId: escrowOf(server, caseId).id,
        cause: 'compliance_hold',
        movementId: null,
        beneficiaryPartyId: null,
      },
    });
    expect(queue(server)).toMatchObject([
      { state: 'delivered', attempts: 3, last_status: 204, last_error: null, next_attempt_at: null },
    ]);
  });

  it('queues a verdict and the move it made in its transaction, and delivers them in that order', async () => {
    const receiver = await startReceiver([]);
    const server = await serverWith(outboundConfig(receiver));
    const agent = addUser(server.ctx, 'agent');
    const caseId = addCase(server.ctx);
    expect((await claim(server, agent, caseId)).status).toBe(200);
    const delivered: AttemptOutcome[] = [];
    const both = new Promise<void>((resolve) =>
      server.outbound!.events.on('attempt', (outcome: AttemptOutcome) => {
        delivered.push(outcome);
        if (delivered.length === 2) resolve();
      }),
    );
    const verdict = await postVerdict(
      server,
      agent,
      caseId,
      verdictInput(server, agent, { outcome: 'refund', reasonCode: 'payment_not_received' }),
    );
    expect(verdict.status).toBe(200);
    await both;

    const bodies = receiver.received.map((received) =>
      outboundEvent.parse(JSON.parse(received.body.toString())),
    );
    const movement = server.ctx.db
      .prepare("SELECT movement_id, account FROM ledger_entries WHERE kind = 'refund' AND amount_minor > 0")
      .get() as {
      movement_id: string;
      account: string;
    };
    expect(bodies).toMatchObject([
      {
        type: 'verdict.executed',
        data: { caseId, outcome: 'refund', reasonCode: 'payment_not_received', state: 'executed' },
      },
      {
        type: 'escrow.refunded',
        data: { caseId, cause: 'verdict', movementId: movement.movement_id, amount: '250.000000' },
      },
    ]);
    // The seller gets a refund: the beneficiary is the party whose account the ledger credited.
    expect(`party:${(bodies[1]!.data as { beneficiaryPartyId: string }).beneficiaryPartyId}`).toBe(
      movement.account,
    );
    expect(delivered.every((outcome) => outcome.delivered)).toBe(true);
  });

  it('tells a hold, its lift, a four-eyes proposal and its approval, each once', async () => {
    const receiver = await startReceiver([]);
    const server = await serverWith(outboundConfig(receiver));
    const [agent, compliance, supervisor] = (['agent', 'compliance', 'supervisor'] as const).map((role) =>
      addUser(server.ctx, role),
    );
    const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
    expect((await claim(server, agent!, caseId)).status).toBe(200);
    expect(
      (await call(server, compliance!, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'KYT review.' })).status,
    ).toBe(200);
    const lift = { reason: 'Cleared.', totp: freshCode(server, compliance!) };
    expect((await call(server, compliance!, 'DELETE', `/v1/cases/${caseId}/hold`, lift)).status).toBe(200);
    expect((await postVerdict(server, agent!, caseId, verdictInput(server, agent!))).body.case.status).toBe(
      'pending_approval',
    );
    expect((await approve(server, supervisor!, caseId)).status).toBe(200);
    await server.outbound!.idle();

    const sent = receiver.received.map((received) => JSON.parse(received.body.toString()) as OutboundEvent);
    expect(sent.map((event) => [event.type, event.data.caseId])).toEqual([
      ['escrow.held', caseId],
      ['escrow.hold_lifted', caseId],
      ['verdict.proposed', caseId],
      ['verdict.executed', caseId],
      ['escrow.released', caseId],
    ]);
    expect(sent[1]!.data).toMatchObject({ cause: 'compliance_review', movementId: null });
    expect(sent[2]!.data).toMatchObject({
      state: 'proposed',
      outcome: 'release',
      reasonCode: 'payment_confirmed',
    });
    expect((sent[2]!.data as { verdictId: string }).verdictId).toBe(
      (sent[3]!.data as { verdictId: string }).verdictId,
    );
    expect(sent[4]!.data).toMatchObject({
      cause: 'verdict',
      amount: '15000.000000',
      beneficiaryPartyId: expect.any(String),
    });
    expect(queue(server).every((row) => row.state === 'delivered' && row.attempts === 1)).toBe(true);
  });

  it('tells a proposal a supervisor sent back: verdict.sent_back with the proposal’s data', async () => {
    const receiver = await startReceiver([]);
    const server = await serverWith(outboundConfig(receiver));
    const [agent, supervisor] = (['agent', 'supervisor'] as const).map((role) => addUser(server.ctx, role));
    const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
    expect((await claim(server, agent!, caseId)).status).toBe(200);
    expect((await postVerdict(server, agent!, caseId, verdictInput(server, agent!))).status).toBe(200);
    const sentBack = await call(server, supervisor!, 'POST', `/v1/cases/${caseId}/verdict/reject`, {
      reason: 'Ask for the bank statement.',
      totp: freshCode(server, supervisor!),
    });
    expect(sentBack.status).toBe(200);
    await server.outbound!.idle();
    const sent = receiver.received.map(
      (received) => outboundEvent.parse(JSON.parse(received.body.toString())) as OutboundEvent,
    );
    expect(sent.map((event) => event.type)).toEqual(['verdict.proposed', 'verdict.sent_back']);
    expect(sent[1]!.data).toEqual({ ...sent[0]!.data, state: 'sent_back' });
  });

  it('tells a proposal voided by a settlement on the exchange: verdict.voided, then the escrow’s move', async () => {
    const receiver = await startReceiver([]);
    const server = await serverWith(outboundConfig(receiver));
    const agent = addUser(server.ctx, 'agent');
    const minutesAgo = (minutes: number) => new Date(server.clock.now.getTime() - minutes * 60_000);
    const deliver = (body: PlatformEvent) =>
      receivePlatformEvent(
        server.ctx,
        `msg_${body.type}_${body.timestamp}`,
        Buffer.from(JSON.stringify(body)),
      );
    const opened = tradeOpened(minutesAgo(60), { ...FOUR_EYES_TRADE, fiatCurrency: 'USD' });
    const { tradeId } = opened.data;
    expect(deliver(opened).status).toBe(200);
    const disputed = deliver(
      event('dispute.opened', minutesAgo(10), { tradeId, openedBy: 'buyer', reason: 'No liberó.' }),
    );
    const caseId = (disputed.body as { caseId: string }).caseId;
    expect((await claim(server, agent, caseId)).status).toBe(200);
    expect(
      (await postVerdict(server, agent, caseId, verdictInput(server, agent, { outcome: 'refund' }))).status,
    ).toBe(200);
    // The seller had released before the dispute opened; the release arrives now.
    expect(deliver(event('trade.released', minutesAgo(20), { tradeId })).status).toBe(200);
    await server.outbound!.idle();
    const sent = receiver.received.map(
      (received) => outboundEvent.parse(JSON.parse(received.body.toString())) as OutboundEvent,
    );
    expect(sent.map((sentEvent) => sentEvent.type)).toEqual([
      'escrow.locked',
      'verdict.proposed',
      'verdict.voided',
      'escrow.released',
    ]);
    expect(sent[2]!.data).toEqual({ ...sent[1]!.data, state: 'voided' });
    expect(sent[3]!.data).toMatchObject({ cause: 'trade.released', caseId });
  });

  it('queues nothing for a change that rolls back or a request that is refused', async () => {
    const receiver = await startReceiver([]);
    const server = await serverWith(outboundConfig(receiver));
    const compliance = addUser(server.ctx, 'compliance');
    expect(() =>
      server.ctx.write(() => {
        enqueueOutbound(server.ctx, lockedEvent('T-ROLLBACK', server.clock.now.toISOString()));
        throw new Error('the change failed after queuing');
      }),
    ).toThrow('the change failed');
    expect(queue(server)).toEqual([]);

    const caseId = addCase(server.ctx);
    const hold = { reason: 'KYT review.' };
    const delivered = nextAttempt(server.outbound);
    expect((await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, hold)).status).toBe(200);
    expect((await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, hold)).body).toMatchObject({
      error: { code: 'escrow_on_hold' },
    });
    await delivered;
    expect(queue(server).map((row) => row.type)).toEqual(['escrow.held']);
  });

  it('queues nothing and says outbound is off when no URL is configured', async () => {
    const server = await serverWith({ outboundUrl: null, outboundSecret: null });
    const compliance = addUser(server.ctx, 'compliance');
    const supervisor = addUser(server.ctx, 'supervisor');
    const caseId = addCase(server.ctx);
    expect(
      (await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'KYT review.' })).status,
    ).toBe(200);
    server.ctx.write(() => enqueueOutbound(server.ctx, lockedEvent('T-OFF', server.clock.now.toISOString())));
    expect(server.outbound).toBeNull();
    expect(queue(server)).toEqual([]);
    const log = await call(server, supervisor, 'GET', '/v1/platform/deliveries');
    expect(log).toEqual({
      status: 200,
      body: {
        outbound: { configured: false, host: null },
        counts: { pending: 0, delivered: 0, failed: 0 },
        items: [],
        nextCursor: null,
      },
    });
  });

  it('gives up after the last attempt, shows it in the log, and a supervisor can queue it again', async () => {
    const receiver = await startReceiver([], 502);
    const server = await serverWith(outboundConfig(receiver, { maxAttempts: 2 }));
    const supervisor = addUser(server.ctx, 'supervisor');
    const first = nextAttempt(server.outbound);
    server.ctx.write(() =>
      enqueueOutbound(server.ctx, lockedEvent('T-GIVEUP', server.clock.now.toISOString())),
    );
    const retryAt = (await first).retryAt!;
    const last = nextAttempt(server.outbound);
    server.clock.set(new Date(retryAt));
    expect(await last).toMatchObject({ attempt: 2, delivered: false, retryAt: null });

    const failed = await call(server, supervisor, 'GET', '/v1/platform/deliveries?state=failed');
    expect(failed.body.counts).toEqual({ pending: 0, delivered: 0, failed: 1 });
    const [row] = failed.body.items;
    expect(row).toMatchObject({
      type: 'escrow.locked',
      tradeId: 'T-GIVEUP',
      state: 'failed',
      attempts: 2,
      lastStatus: 502,
      lastError: 'the exchange answered 502',
      nextAttemptAt: null,
    });
    expect(JSON.stringify(failed.body)).not.toContain('never-shown');
    expect(failed.body.outbound).toEqual({ configured: true, host: new URL(receiver.url).host });

    receiver.then = 200;
    const again = nextAttempt(server.outbound);
    const retried = await call(server, supervisor, 'POST', `/v1/platform/deliveries/${row.id}/retry`, {});
    expect(retried.body).toMatchObject({ id: row.id, state: 'pending', attempts: 0 });
    expect(await again).toMatchObject({ id: row.id, delivered: true, attempt: 1 });
    const audit = server.ctx.db
      .prepare("SELECT actor, subject FROM audit_log WHERE action = 'outbound.retried'")
      .all();
    expect(audit).toEqual([{ actor: supervisor.id, subject: row.id }]);

    expect(
      (await call(server, supervisor, 'POST', `/v1/platform/deliveries/${row.id}/retry`, {})).body,
    ).toMatchObject({ error: { code: 'delivery_not_failed' } });
    expect(
      (await call(server, supervisor, 'POST', '/v1/platform/deliveries/evt_nope/retry', {})).status,
    ).toBe(404);
  });

  it("holds a trade's later events behind one that is failing, while other trades go on", async () => {
    const receiver = await startReceiver([500], 200);
    const server = await serverWith(outboundConfig(receiver));
    const firstAttempt = nextAttempt(server.outbound);
    const at = server.clock.now.toISOString();
    server.ctx.write(() => {
      enqueueOutbound(server.ctx, lockedEvent('T-SLOW', at));
      enqueueOutbound(server.ctx, lockedEvent('T-SLOW', at, 'escrow.held'));
      enqueueOutbound(server.ctx, lockedEvent('T-OTHER', at));
    });
    const failed = await firstAttempt;
    await server.outbound!.idle();
    // The other trade went out; the failing trade's second event waits, and the worker sleeps until the
    // first one's retry rather than for the second one (due since it was queued, but not next).
    expect(queue(server).map((row) => [row.trade_id, row.type, row.state])).toEqual([
      ['T-SLOW', 'escrow.locked', 'pending'],
      ['T-SLOW', 'escrow.held', 'pending'],
      ['T-OTHER', 'escrow.locked', 'delivered'],
    ]);
    expect(earliestPendingAt(server.ctx.db)).toBe(failed.retryAt);

    server.clock.set(new Date(failed.retryAt!));
    await server.outbound!.idle();
    const sent = receiver.received.map((received) => JSON.parse(received.body.toString()) as OutboundEvent);
    expect(sent.map((event) => [event.data.tradeId, event.type])).toEqual([
      ['T-SLOW', 'escrow.locked'],
      ['T-OTHER', 'escrow.locked'],
      ['T-SLOW', 'escrow.locked'],
      ['T-SLOW', 'escrow.held'],
    ]);
  });

  it("keeps a trade's later events waiting behind one given up, until a supervisor's retry delivers it first", async () => {
    const receiver = await startReceiver([502, 502], 200);
    const server = await serverWith(outboundConfig(receiver, { maxAttempts: 2 }));
    const supervisor = addUser(server.ctx, 'supervisor');
    const firstAttempt = nextAttempt(server.outbound);
    const at = server.clock.now.toISOString();
    server.ctx.write(() => enqueueOutbound(server.ctx, lockedEvent('T-STUCK', at)));
    const retryAt = (await firstAttempt).retryAt!;
    const givenUp = nextAttempt(server.outbound);
    server.clock.set(new Date(retryAt));
    expect(await givenUp).toMatchObject({ attempt: 2, retryAt: null });
    // Later events of the trade, and another trade's, are queued after it was given up.
    server.ctx.write(() => {
      enqueueOutbound(server.ctx, lockedEvent('T-STUCK', server.clock.now.toISOString(), 'escrow.held'));
      enqueueOutbound(server.ctx, lockedEvent('T-OTHER', server.clock.now.toISOString()));
    });
    await server.outbound!.idle();
    expect(queue(server).map((row) => [row.trade_id, row.type, row.state])).toEqual([
      ['T-STUCK', 'escrow.locked', 'failed'],
      ['T-STUCK', 'escrow.held', 'pending'],
      ['T-OTHER', 'escrow.locked', 'delivered'],
    ]);
    expect(earliestPendingAt(server.ctx.db)).toBeNull();
    const [stuck, waiting] = queue(server);
    const log = await call(server, supervisor, 'GET', '/v1/platform/deliveries?state=pending');
    expect(log.body.items).toEqual([
      expect.objectContaining({ id: waiting!.id, state: 'pending', waitingFor: stuck!.id }),
    ]);

    await call(server, supervisor, 'POST', `/v1/platform/deliveries/${stuck!.id}/retry`, {});
    await server.outbound!.idle();
    const sent = receiver.received.map((received) => JSON.parse(received.body.toString()) as OutboundEvent);
    expect(sent.map((event) => [event.data.tradeId, event.type])).toEqual([
      ['T-STUCK', 'escrow.locked'],
      ['T-STUCK', 'escrow.locked'],
      ['T-OTHER', 'escrow.locked'],
      ['T-STUCK', 'escrow.locked'],
      ['T-STUCK', 'escrow.held'],
    ]);
    const done = await call(server, supervisor, 'GET', '/v1/platform/deliveries');
    expect(done.body.items.map((item: { waitingFor: string | null }) => item.waitingFor)).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('counts a receiver that does not answer in time as a failed attempt', async () => {
    const receiver = await startReceiver(['hang'], 200);
    const server = await serverWith(outboundConfig(receiver, { timeoutMs: 200 }));
    const first = nextAttempt(server.outbound);
    server.ctx.write(() =>
      enqueueOutbound(server.ctx, lockedEvent('T-SLOW', server.clock.now.toISOString())),
    );
    expect(await first).toMatchObject({ delivered: false, status: null, error: 'no answer within 200 ms' });
  });
});

describe('the delivery log', () => {
  it('is for supervisors only, pages newest first, and refuses a bad query with the envelope', async () => {
    const receiver = await startReceiver([], 500);
    const server = await serverWith(outboundConfig(receiver, { maxAttempts: 1 }));
    const users = {
      agent: addUser(server.ctx, 'agent'),
      compliance: addUser(server.ctx, 'compliance'),
      supervisor: addUser(server.ctx, 'supervisor'),
    };
    server.ctx.write(() => {
      for (const trade of ['T-1', 'T-2', 'T-3'])
        enqueueOutbound(server.ctx, lockedEvent(trade, server.clock.now.toISOString()));
    });
    for (const role of ['agent', 'compliance'] as const) {
      const answer = await call(server, users[role], 'GET', '/v1/platform/deliveries');
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect(
        (await call(server, users[role], 'POST', `/v1/platform/deliveries/${queue(server)[0]!.id}/retry`, {}))
          .status,
      ).toBe(403);
    }
    for (const query of ['state=lost', 'limit=-1', 'limit=two', 'cursor=not-a-cursor']) {
      const answer = await call(server, users.supervisor, 'GET', `/v1/platform/deliveries?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toMatchObject({
        error: { code: 'invalid_request', message: expect.any(String) },
      });
    }
    const page1 = await call(server, users.supervisor, 'GET', '/v1/platform/deliveries?limit=2');
    expect(page1.body.items.map((item: { tradeId: string }) => item.tradeId)).toEqual(['T-3', 'T-2']);
    const page2 = await call(
      server,
      users.supervisor,
      'GET',
      `/v1/platform/deliveries?limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body).toMatchObject({ items: [{ tradeId: 'T-1' }], nextCursor: null });
    expect(Object.keys(page2.body.items[0]).sort()).toEqual([
      'attempts',
      'caseId',
      'createdAt',
      'deliveredAt',
      'id',
      'lastError',
      'lastStatus',
      'nextAttemptAt',
      'state',
      'tradeId',
      'type',
      'waitingFor',
    ]);
  });

  it('uses its indexes for the worker pick and the log', async () => {
    const server = await serverWith({});
    const plan = (sql: string, ...args: unknown[]) =>
      (server.ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    expect(
      plan(
        `SELECT o.id FROM outbound_events o WHERE o.state = 'pending' AND o.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM outbound_events p WHERE p.state <> 'delivered' AND p.trade_id = o.trade_id AND p.seq < o.seq)
         ORDER BY o.seq LIMIT 1`,
        'x',
      ),
    ).toMatch(
      /^SEARCH o USING INDEX outbound_by_state \(state=\?\).*SEARCH p USING INDEX outbound_undelivered_by_trade \(trade_id=\? AND seq<\?\)/,
    );
    expect(plan(`SELECT MIN(next_attempt_at) AS at FROM outbound_events WHERE state = 'pending'`)).toContain(
      'outbound_by_state',
    );
    expect(
      plan(
        `SELECT id FROM outbound_events WHERE state = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
        'failed',
        9,
        5,
      ),
    ).toMatch(/^SEARCH outbound_events USING INDEX outbound_by_state \(state=\? AND rowid<\?\)$/);
  });
});

describe('restarts', () => {
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });

  it('resumes the queue after a restart, sending again what was in flight, and keeps each trade in order', async () => {
    const receiver = await startReceiver(['hang'], 200);
    const dir = tempDir('dd-outbound-');
    const clock = { now: new Date('2026-11-24T12:00:00.000Z') };
    const config = defaultConfig({
      dataDir: dir,
      logLevel: 'silent',
      now: () => clock.now,
      ...outboundConfig(receiver),
    });
    const first = await startServer(config);
    running.push(first);
    const inFlight = receiver.nextRequest();
    const at = clock.now.toISOString();
    first.ctx.write(() => {
      enqueueOutbound(first.ctx, lockedEvent('T-A', at));
      enqueueOutbound(first.ctx, lockedEvent('T-B', at));
      enqueueOutbound(first.ctx, lockedEvent('T-A', at, 'escrow.held'));
    });
    await inFlight;
    // Closing while the exchange sits on the first request: the close does not wait for it.
    await first.close();
    running.pop();

    const second = await startServer(config);
    running.push(second);
    await second.outbound!.idle();
    const rows = queue(second);
    expect(rows.map((row) => row.state)).toEqual(['delivered', 'delivered', 'delivered']);
    // The first event was received twice (at least once): the exchange dedupes it by its webhook-id.
    const ids = receiver.received.map((received) => received.headers['webhook-id']);
    expect(ids).toEqual([rows[0]!.id, rows[0]!.id, rows[1]!.id, rows[2]!.id]);
    expect(fs.existsSync(path.join(dir, 'platform.db'))).toBe(true);
  });
});

describe('configuration', () => {
  it('takes http and https URLs with one or more secrets, and refuses anything else at start', async () => {
    expect(outboundTarget({ outboundUrl: null, outboundSecret: 'x' })).toBeNull();
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => letter.repeat(24));
    expect(
      outboundTarget({ outboundUrl: 'https://exchange.example/hooks', outboundSecret: `${a}, ${b} ${c}` })
        ?.secrets,
    ).toEqual([a, b, c]);
    // A key anyone could guess would let anyone sign as the platform.
    for (const weak of ['whsec_', 'whsec_!!!!', 'short']) {
      expect(() =>
        outboundTarget({ outboundUrl: 'https://exchange.example/', outboundSecret: `${a} ${weak}` }),
      ).toThrow('PLATFORM_OUTBOUND_SECRET: the 2nd secret');
    }
    expect(() => outboundTarget({ outboundUrl: 'ftp://exchange.example/', outboundSecret: 'x' })).toThrow(
      'must be an http or https URL, not ftp',
    );
    expect(() => outboundTarget({ outboundUrl: 'exchange.example', outboundSecret: 'x' })).toThrow(
      'is not a URL',
    );
    expect(() =>
      outboundTarget({ outboundUrl: 'https://user:pw@exchange.example/', outboundSecret: 'x' }),
    ).toThrow('user name or password');
    expect(() => outboundTarget({ outboundUrl: 'https://exchange.example/', outboundSecret: ' , ' })).toThrow(
      'PLATFORM_OUTBOUND_SECRET is not',
    );
    await expect(
      createTestServer({ outboundUrl: 'file:///etc/passwd', outboundSecret: 'x' }),
    ).rejects.toThrow('http or https');
  });

  it('backs off 1 s, 2 s, 4 s … up to an hour, each shortened by at most a quarter', () => {
    const steps = (random: number) =>
      [1, 2, 3, 12, 13, 40].map((n) => retryDelayMs(n, DEFAULT_OUTBOUND_DELIVERY, () => random));
    expect(steps(0)).toEqual([1_000, 2_000, 4_000, 2_048_000, 3_600_000, 3_600_000]);
    expect(steps(0.5)).toEqual([875, 1_750, 3_500, 1_792_000, 3_150_000, 3_150_000]);
    for (const n of [1, 5, 20])
      expect(retryDelayMs(n, DEFAULT_OUTBOUND_DELIVERY, () => 0.999_999)).toBeGreaterThanOrEqual(
        0.75 * Math.min(3_600_000, 1000 * 2 ** (n - 1)),
      );
  });
});
