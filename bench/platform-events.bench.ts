// Platform event ingestion (issue #10): signed events from the exchange over HTTP, each checked, applied
// exactly once and answered in one write transaction, beside GET /v1/health on the same server in the same
// run. Three figures: trade.opened alone (parties, trade, escrow lock, KYT over the new trade), the events
// that follow it (chat, receipt, paid, then a release, a cancel or a dispute), and trade.opened for a seller
// with a long history beside the same for fresh parties (KYT reads the parties' history on every event).
import { randomUUID } from 'node:crypto';
import type { PlatformEvent } from '../shared/api/platform-events';
import { createParty, recordTradeWithEscrow } from '../electron/server/cases/create';
import { defaultConfig } from '../electron/server/config';
import { startServer, type RunningServer } from '../electron/server/start';
import { signedHeaders } from '../electron/server/webhooks/standard-webhooks';
import { compare, timed, type Comparison } from './measure';

const SECRET = 'bench-platform-events-secret-32b';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);

async function deliver(server: RunningServer, event: PlatformEvent): Promise<void> {
  const body = JSON.stringify(event);
  const response = await fetch(`${server.url}/v1/platform/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders([SECRET], `msg_${randomUUID()}`, body) },
    body,
  });
  if (response.status !== 200) throw new Error(`${event.type}: ${response.status} ${await response.text()}`);
}

const party = (role: string, index: number) => ({
  id: `BENCH-${role}-${index % 400}`,
  displayName: `Bench ${role} ${index % 400}`,
  country: 'CO',
  kycStatus: 'verified' as const,
  accountCreatedAt: '2024-01-15T00:00:00.000Z',
});

function tradeOpened(tradeId: string, index: number, at: Date): PlatformEvent {
  return {
    type: 'trade.opened',
    timestamp: at.toISOString(),
    data: {
      tradeId,
      buyer: party('buyer', index),
      seller: party('seller', index + 7),
      asset: 'USDT',
      amount: '120.000000',
      fiatCurrency: 'COP',
      fiatAmount: '474000.00',
      price: '3950.00',
      paymentMethod: 'Nequi',
    },
  };
}

/** A PNG made the trade's own by bytes after its end (as a screenshot's metadata would). */
const receiptOf = (tradeId: string) => Buffer.concat([PNG, Buffer.from(tradeId)]).toString('base64');

/** What follows a trade's opening: chat, a receipt, the payment, then one of the three endings. */
function followUps(tradeId: string, index: number, opened: Date): PlatformEvent[] {
  const at = (minutes: number) => new Date(opened.getTime() + minutes * 60_000).toISOString();
  const ending: PlatformEvent =
    index % 3 === 0
      ? { type: 'trade.released', timestamp: at(20), data: { tradeId } }
      : index % 3 === 1
        ? { type: 'trade.cancelled', timestamp: at(20), data: { tradeId, reason: 'Tiempo de pago vencido.' } }
        : { type: 'dispute.opened', timestamp: at(20), data: { tradeId, openedBy: 'buyer', reason: 'Pagué y no liberan.' } };
  return [
    { type: 'trade.message', timestamp: at(2), data: { tradeId, messageId: 'm1', sender: 'buyer', body: 'Ya te envié el pago por Nequi.' } },
    // Each buyer's own file: one file from many buyers is the shared-receipt rule, whose HIGH alert holds the
    // escrows (the cancels would then be refused escrow_on_hold).
    { type: 'trade.receipt', timestamp: at(3), data: { tradeId, uploadedBy: 'buyer', contentBase64: receiptOf(tradeId) } },
    { type: 'trade.paid', timestamp: at(4), data: { tradeId } },
    ending,
  ];
}

async function healthRate(server: RunningServer, requests: number): Promise<number> {
  const seconds = await timed(async () => {
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`${server.url}/v1/health`);
      await response.text();
    }
  });
  return requests / seconds;
}

const LONG_SELLER = 'BENCH-LONG-seller';

/**
 * A seller with `count` trades already recorded, one every 2 minutes up to an hour ago, with 50 buyers:
 * written straight to the store (no KYT run per trade), as years of history would be.
 */
function recordLongHistory(server: RunningServer, count: number): void {
  const { ctx } = server;
  const end = Date.now() - 3_600_000;
  ctx.write(() => {
    const party = { kycStatus: 'verified' as const, country: 'CO', accountCreatedAt: new Date('2024-01-15T00:00:00.000Z'), tradeCount: 0, disputeCount: 0 };
    createParty(ctx, { ...party, id: LONG_SELLER, displayName: 'Bench long seller' });
    for (let b = 0; b < 50; b++) createParty(ctx, { ...party, id: `BENCH-LONG-buyer-${b}`, displayName: `Bench buyer ${b}` });
    for (let i = 0; i < count; i++) {
      const at = new Date(end - (count - i) * 120_000);
      recordTradeWithEscrow(
        ctx,
        {
          buyerId: `BENCH-LONG-buyer-${i % 50}`,
          sellerId: LONG_SELLER,
          asset: 'USDT',
          amount: '120.000000',
          fiatCurrency: 'COP',
          fiatAmount: '474000.00',
          price: '3950.00',
          paymentMethod: 'Nequi',
          tradeCreatedAt: at,
          paidAt: null,
        },
        { tradeId: `BENCH-LONG-${i}`, escrowId: `ESC-BENCH-LONG-${i}` },
        null,
      );
    }
  });
}

/** trade.opened for the long-history seller (`long`) or for a fresh seller each time. */
function openedFor(tradeId: string, index: number, at: Date, long: boolean): PlatformEvent {
  const opened = tradeOpened(tradeId, index, at);
  if (opened.type !== 'trade.opened') throw new Error('unreachable');
  const seller = long
    ? { ...opened.data.seller, id: LONG_SELLER, displayName: 'Bench long seller' }
    : { ...opened.data.seller, id: `BENCH-FRESH-seller-${index}` };
  return { ...opened, data: { ...opened.data, buyer: { ...opened.data.buyer, id: `BENCH-FRESH-buyer-${index}` }, seller } };
}

/** trade.opened for a seller with `history` trades beside the same for fresh parties, on one server. */
async function benchLongHistory(server: RunningServer, history: number, trades: number): Promise<Comparison> {
  recordLongHistory(server, history);
  const at = new Date(Date.now() - 1_800_000);
  await deliver(server, openedFor('BENCH-LONG-WARM', 0, at, true));
  const rate = async (long: boolean) => {
    const prefix = long ? 'BENCH-LONG-NEW' : 'BENCH-FRESH';
    const seconds = await timed(async () => {
      for (let i = 0; i < trades; i++) await deliver(server, openedFor(`${prefix}-${i}`, i, at, long));
    });
    return trades / seconds;
  };
  const fresh = await rate(false);
  const long = await rate(true);
  return compare(
    'platform events: trade.opened for a seller with a long history',
    { name: `trade.opened, the seller has ${history}+ trades (${trades})`, value: long, unit: 'events/s' },
    { name: `trade.opened, fresh buyer and seller each time (${trades})`, value: fresh, unit: 'events/s' },
    'KYT runs over the parties’ whole history on every trade.opened (loading it is linear in its length; the rules are linear since the fix of the rapid in-out and window loops, which were quadratic for a dense history).',
  );
}

export async function runPlatformEventBenchmarks(dataDir: string, trades = 300): Promise<Comparison[]> {
  const server = await startServer(
    defaultConfig({
      dataDir,
      seed: 'none',
      logLevel: 'silent',
      platformEventsSecrets: [SECRET],
      // The benchmark measures ingestion, not the per-address limit of one sender.
      platformEventsRateLimitPerMinute: 1_000_000,
    }),
  );
  try {
    const opened = new Date(Date.now() - 3_600_000);
    const ids = Array.from({ length: trades }, (_, i) => `BENCH-T-${i}`);
    // Warm both paths (statement compilation, the JIT) before measuring.
    await deliver(server, tradeOpened('BENCH-WARM', 0, opened));
    await healthRate(server, 50);
    const openSeconds = await timed(async () => {
      for (const [index, id] of ids.entries()) await deliver(server, tradeOpened(id, index, opened));
    });
    const events = ids.flatMap((id, index) => followUps(id, index, opened));
    const followSeconds = await timed(async () => {
      for (const event of events) await deliver(server, event);
    });
    const health = await healthRate(server, events.length);
    const baseline = { name: `GET /v1/health on the same server (${events.length})`, value: health, unit: 'requests/s' };
    return [
      compare(
        'platform events: trade.opened',
        { name: `signed trade.opened over HTTP, sequential (${trades})`, value: trades / openSeconds, unit: 'events/s' },
        baseline,
        'Each checks the HMAC signature, creates or refreshes two parties, records the trade, locks its escrow (ledger), stores the answer under its webhook-id and runs KYT over the trade’s parties, in one BEGIN IMMEDIATE transaction.',
      ),
      compare(
        'platform events: what follows a trade',
        {
          name: `signed trade.message, trade.receipt, trade.paid and a release, cancel or dispute (${events.length})`,
          value: events.length / followSeconds,
          unit: 'events/s',
        },
        baseline,
        'A third of the trades end in a dispute: the case opens with the chat and the receipt copied in, and KYT runs again.',
      ),
      await benchLongHistory(server, 2_000, 100),
    ];
  } finally {
    await server.close();
  }
}
