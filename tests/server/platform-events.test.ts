// POST /v1/platform/events on a real server over a loopback socket: every event type, the signature and
// its rotation, the timestamp window, idempotent redelivery and out-of-order arrival. Each test ends on a
// balanced ledger and an audit chain that verifies.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outboundEvent, type OutboundEvent, type PlatformEvent } from '../../shared/api/platform-events';
import type { CaseDetail } from '../../shared/api/types';
import { parseSecretList, type ServerConfig } from '../../electron/server/config';
import { PLATFORM_USER_ID } from '../../electron/server/db/migrations/0008-platform-events';
import type * as Enqueue from '../../electron/server/outbound/enqueue';
import { signedMetamapDelivery } from '../../electron/server/webhooks/signature';
import { call, claim, expectConsistent, FOUR_EYES_TRADE, postVerdict, verdictInput } from './fixtures/case-api';
import { event, PNG, sendRaw, tradeOpened, type SendOptions } from './fixtures/platform-events';
import { addCase, addUser, createTestServer, freshCode, PLATFORM_TEST_SECRET, type TestServer } from './harness';

// The outbound queue is another piece's work; here it is enough to see what the ingestion hands it (the
// rest of the module stays, for the delivery worker of a server configured with an exchange).
const outbound = vi.hoisted(() => [] as OutboundEvent[]);
vi.mock('../../electron/server/outbound/enqueue', async (importOriginal) => ({
  ...(await importOriginal<typeof Enqueue>()),
  enqueueOutbound: (_ctx: unknown, queued: OutboundEvent) => outbound.push(queued),
}));

let server: TestServer | undefined;
let base: string;

async function start(overrides: Partial<ServerConfig> = {}) {
  const started = await createTestServer(overrides);
  base = await started.app.listen({ host: '127.0.0.1', port: 0 });
  server = started;
}

/** The running server (every test that sends starts one). */
const running = (): TestServer => {
  if (!server) throw new Error('start() the server first');
  return server;
};

beforeEach(() => {
  outbound.length = 0;
});

afterEach(async () => {
  if (!server) return;
  expectConsistent(server);
  await server.close();
  server = undefined;
});

const at = (minutesAgo: number) => new Date(running().clock.now.getTime() - minutesAgo * 60_000);
const send = (body: PlatformEvent | string, options: SendOptions = {}) =>
  sendRaw(base, typeof body === 'string' ? body : JSON.stringify(body), { now: running().clock.now, ...options });

const get = <T>(sql: string, ...args: unknown[]) => running().ctx.db.prepare(sql).get(...args) as T;
const all = <T>(sql: string, ...args: unknown[]) => running().ctx.db.prepare(sql).all(...args) as T[];
const count = (table: string) => get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).n;

/** Every table an event can touch: a refused event must leave each one as it was. */
const footprint = () =>
  Object.fromEntries(
    [
      'platform_events',
      'parties',
      'trades',
      'escrows',
      'ledger_entries',
      'cases',
      'messages',
      'trade_messages',
      'trade_receipts',
      'evidence_files',
      'case_evidence',
      'liveness_checks',
      'kyt_alerts',
      'audit_log',
      'changes',
    ].map((table) => [table, count(table)]),
  );

const escrowState = (tradeId: string) => get<{ state: string }>('SELECT state FROM escrows WHERE trade_id = ?', tradeId).state;
const settlements = (tradeId: string) =>
  all<{ kind: string; account: string; amount_minor: number }>(
    `SELECT l.kind, l.account, l.amount_minor FROM ledger_entries l JOIN escrows e ON e.id = l.escrow_id
     WHERE e.trade_id = ? AND l.kind <> 'lock' AND l.amount_minor > 0`,
    tradeId,
  );
const latestDetail = (caseId: string) =>
  JSON.parse(
    get<{ data: string }>("SELECT data FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq DESC LIMIT 1", caseId)
      .data,
  ) as CaseDetail;

const dispute = (tradeId: string, minutesAgo: number, openedBy: 'buyer' | 'seller' = 'buyer') =>
  event('dispute.opened', at(minutesAgo), { tradeId, openedBy, reason: 'Pagué por Pago Móvil y el vendedor no libera.' });
const released = (tradeId: string, minutesAgo: number) => event('trade.released', at(minutesAgo), { tradeId });
const cancelled = (tradeId: string, minutesAgo: number) =>
  event('trade.cancelled', at(minutesAgo), { tradeId, reason: 'El comprador no pagó a tiempo.' });
const paid = (tradeId: string, minutesAgo: number) => event('trade.paid', at(minutesAgo), { tradeId });

/** A trade opened 60 minutes ago, applied; its event. */
async function openTrade(overrides: Parameters<typeof tradeOpened>[1] = {}) {
  const opened = tradeOpened(at(60), overrides);
  const answer = await send(opened);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return opened;
}

function expectOk(answer: { status: number; body: unknown }, status: 'applied' | 'unchanged' = 'applied') {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body).toMatchObject({ status });
}

function expectRefused(answer: { status: number; body: unknown }, status: number, code: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
}

/** Above the four-eyes threshold (10,000 USD in the default configuration). */
const FOUR_EYES = { ...FOUR_EYES_TRADE, fiatCurrency: 'USD' } as const;

describe('the signature', () => {
  beforeEach(() => start());

  it('accepts an event signed with the secret', async () => {
    expectOk(await send(tradeOpened(at(1))));
  });

  it('refuses a missing, wrong or other-secret signature, or a tampered body, with 401 and stores nothing', async () => {
    const before = footprint();
    const body = JSON.stringify(tradeOpened(at(1)));
    expectRefused(await send(body, { secrets: [] }), 401, 'invalid_signature');
    expectRefused(await send(body, { secrets: ['another-secret'] }), 401, 'invalid_signature');
    expectRefused(await send(body, { headers: { 'webhook-signature': 'v1,AAAA' } }), 401, 'invalid_signature');
    expectRefused(await send(body, { headers: { 'webhook-signature': 'v2,whatever' } }), 401, 'invalid_signature');
    expectRefused(await send(body, { headers: { 'webhook-id': 'an-id-the-signature-is-not-for' } }), 401, 'invalid_signature');
    // Signed for one body, sent with another.
    const tampered = body.replace('250.000000', '950.000000');
    const signed = await import('../../electron/server/webhooks/standard-webhooks');
    const headers = signed.signedHeaders([PLATFORM_TEST_SECRET], 'msg_tampered', body, running().clock.now);
    expectRefused(await send(tampered, { headers: { ...headers } }), 401, 'invalid_signature');
    expect(footprint()).toEqual(before);
  });

  it('checks the signature before the body: unsigned junk is 401, signed junk is 400', async () => {
    expectRefused(await send('{not json', { secrets: [] }), 401, 'invalid_signature');
    expectRefused(await send('{not json'), 400, 'invalid_request');
    expect(count('platform_events')).toBe(0);
  });
});

const NEW_SECRET = 'new-secret-of-at-least-24-bytes';
const OLD_SECRET = 'old-secret-of-at-least-24-bytes';
const THIRD_SECRET = `whsec_${Buffer.from('a third secret, 32 bytes long..').toString('base64')}`;

describe('secrets during a rotation', () => {
  it('reads several secrets from PLATFORM_EVENTS_SECRET, separated by spaces or commas', () => {
    expect(parseSecretList(` ${NEW_SECRET}, ${OLD_SECRET}  ${THIRD_SECRET} `)).toEqual([NEW_SECRET, OLD_SECRET, THIRD_SECRET]);
    expect(parseSecretList(undefined)).toEqual([]);
    expect(parseSecretList(' , ')).toEqual([]);
  });

  it('refuses at start a secret shorter than 24 bytes, or a whsec_ one that is not strict base64, without printing it', async () => {
    const whsec = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
    expect(parseSecretList(`${whsec(24)} ${'p'.repeat(24)}`)).toHaveLength(2);
    for (const weak of ['whsec_', 'whsec_!!!!', whsec(16), 'whsec_AAAA AAAA', `${whsec(24)}x`, 'p'.repeat(23)]) {
      let message = '';
      try {
        parseSecretList(`${NEW_SECRET} ${weak}`);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, weak).toMatch(/^PLATFORM_EVENTS_SECRET: the 2nd secret /);
      if (weak !== 'whsec_') expect(message).not.toContain(weak);
    }
    // A configuration built in code is checked when the server starts.
    await expect(createTestServer({ platformEventsSecrets: ['whsec_'] })).rejects.toThrow('PLATFORM_EVENTS_SECRET: the 1st secret');
  });

  it('accepts each configured secret, and a header carrying two signatures', async () => {
    await start({ platformEventsSecrets: [NEW_SECRET, OLD_SECRET] });
    expectOk(await send(tradeOpened(at(1)), { secrets: [NEW_SECRET] }));
    expectOk(await send(tradeOpened(at(1)), { secrets: [OLD_SECRET] }));
    // The exchange rotating on its side signs with its new secret and the one we still hold.
    expectOk(await send(tradeOpened(at(1)), { secrets: ['exchange-next-secret', OLD_SECRET] }));
    expectRefused(await send(tradeOpened(at(1)), { secrets: ['retired-secret'] }), 401, 'invalid_signature');
  });

  it('answers 503 platform_events_not_configured when no secret is set', async () => {
    await start({ platformEventsSecrets: [] });
    expectRefused(await send(tradeOpened(at(1))), 503, 'platform_events_not_configured');
    expect(count('platform_events')).toBe(0);
  });
});

describe('the per-address rate limit', () => {
  it('answers 429 rate_limited with the envelope past the configured calls a minute, signed or not, storing nothing', async () => {
    await start({ platformEventsRateLimitPerMinute: 3 });
    expectOk(await send(tradeOpened(at(1))));
    expectRefused(await send('{}', { secrets: [] }), 401, 'invalid_signature');
    expectOk(await send(tradeOpened(at(1))));
    const before = footprint();
    expectRefused(await send(tradeOpened(at(1))), 429, 'rate_limited');
    expectRefused(await send('x'.repeat(100_000), { secrets: [] }), 429, 'rate_limited');
    expect(footprint()).toEqual(before);
    // Other routes keep their own limits.
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  });

  it('is generous by default: thousands a minute, for an exchange sending from a few addresses', async () => {
    await start();
    expect(running().ctx.config.platformEventsRateLimitPerMinute).toBeGreaterThanOrEqual(3_000);
  });
});

describe('the timestamp window', () => {
  beforeEach(() => start());

  it('accepts a send time up to 5 minutes either side of the clock', async () => {
    expectOk(await send(tradeOpened(at(1)), { sentAt: new Date(running().clock.now.getTime() - 299_000) }));
    expectOk(await send(tradeOpened(at(1)), { sentAt: new Date(running().clock.now.getTime() + 299_000) }));
  });

  it('refuses one more than 5 minutes old or ahead with 401 stale_timestamp, storing nothing', async () => {
    const before = footprint();
    expectRefused(await send(tradeOpened(at(1)), { sentAt: new Date(running().clock.now.getTime() - 301_000) }), 401, 'stale_timestamp');
    expectRefused(await send(tradeOpened(at(1)), { sentAt: new Date(running().clock.now.getTime() + 301_000) }), 401, 'stale_timestamp');
    expect(footprint()).toEqual(before);
  });

  it('orders by the event timestamp, not the send time: an event from hours ago is fine', async () => {
    expectOk(await send(tradeOpened(new Date(running().clock.now.getTime() - 6 * 3_600_000))));
  });
});

describe('the event’s own timestamp', () => {
  beforeEach(() => start());

  it('refuses an event dated after it was sent (beyond 5 minutes of skew) with 400 naming timestamp, storing nothing', async () => {
    const { data } = await openTrade();
    const before = footprint();
    const ahead = (minutes: number) => new Date(running().clock.now.getTime() + minutes * 60_000);
    for (const when of [new Date('2099-01-01T00:00:00Z'), ahead(6)]) {
      const answer = await send(event('dispute.opened', when, { tradeId: data.tradeId, openedBy: 'buyer', reason: 'No liberó.' }));
      expectRefused(answer, 400, 'invalid_request');
      expect(answer.body.error.message).toMatch(/^timestamp: /);
    }
    // Sent 4 minutes ago and dated now: inside the skew.
    const sentEarly = new Date(running().clock.now.getTime() - 4 * 60_000);
    expectRefused(await send(released(data.tradeId, -2), { sentAt: sentEarly }), 400, 'invalid_request');
    expect(footprint()).toEqual(before);
    expectOk(await send(released(data.tradeId, -4)));
  });

  it('refuses a settlement or dispute dated before its trade opened with 400 naming timestamp', async () => {
    const { data } = await openTrade();
    const before = footprint();
    for (const early of [released(data.tradeId, 61), cancelled(data.tradeId, 61), dispute(data.tradeId, 24 * 60)]) {
      const answer = await send(early);
      expectRefused(answer, 400, 'invalid_request');
      expect(answer.body.error.message).toMatch(/^timestamp: .*before trade/);
    }
    expect(footprint()).toEqual(before);
  });

  it('keeps a dispute frozen: a release dated before the trade opened cannot pass as one from before the dispute', async () => {
    const { data } = await openTrade();
    expectOk(await send(dispute(data.tradeId, 30)));
    expectRefused(await send(released(data.tradeId, 120)), 400, 'invalid_request');
    expect(escrowState(data.tradeId)).toBe('held');
  });
});

describe('bodies of the wrong shape', () => {
  beforeEach(() => start());

  it('names the unknown event type', async () => {
    const answer = await send(JSON.stringify({ type: 'trade.teleported', timestamp: at(1).toISOString(), data: {} }));
    expectRefused(answer, 400, 'unknown_event_type');
    expect(answer.body.error.message).toContain('trade.teleported');
  });

  it('names the field that is wrong, for every type, and stores nothing', async () => {
    const opened = await openTrade();
    const tradeId = opened.data.tradeId;
    const before = footprint();
    const bad: [string, unknown, string][] = [
      ['envelope', { type: 'trade.paid', data: { tradeId } }, 'timestamp'],
      ['envelope', { type: 'trade.paid', timestamp: '2026-11-24 12:00', data: { tradeId } }, 'timestamp'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', amount: '12,5' }, 'data.amount'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', amount: '1.1234567' }, 'data.amount'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', amount: '0' }, 'data.amount'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', asset: 'DOGE' }, 'data.asset'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', buyer: { ...opened.data.buyer, kycStatus: 'great' } }, 'data.buyer.kycStatus'],
      ['trade.opened', { ...opened.data, tradeId: 'T-new', seller: opened.data.buyer }, 'data.seller.id'],
      ['trade.opened', { ...opened.data, tradeId: 'T new!' }, 'data.tradeId'],
      ['trade.message', { tradeId, messageId: 'm1', sender: 'agent', body: 'hola' }, 'data.sender'],
      ['trade.message', { tradeId, messageId: 'm1', sender: 'buyer', body: '' }, 'data.body'],
      ['trade.receipt', { tradeId, uploadedBy: 'buyer', contentBase64: 'not base64!' }, 'data.contentBase64'],
      ['trade.receipt', { tradeId, uploadedBy: 'buyer', contentBase64: Buffer.from('plain text, not a receipt').toString('base64') }, 'data.contentBase64'],
      ['trade.paid', { tradeId, extra: true }, 'data'],
      ['trade.released', {}, 'data.tradeId'],
      ['trade.cancelled', { tradeId, reason: 42 }, 'data.reason'],
      ['dispute.opened', { tradeId, openedBy: 'agent', reason: 'x' }, 'data.openedBy'],
      ['dispute.opened', { tradeId, openedBy: 'buyer' }, 'data.reason'],
      ['liveness.requested', { tradeId, partyId: 'P-stranger' }, 'data.partyId'],
      ['liveness.requested', { tradeId, partyId: opened.data.buyer.id, verificationId: 'with spaces' }, 'data.verificationId'],
    ];
    for (const [type, data, field] of bad) {
      const body = type === 'envelope' ? data : { type, timestamp: at(1).toISOString(), data };
      const answer = await send(JSON.stringify(body));
      expectRefused(answer, 400, 'invalid_request');
      expect(answer.body.error.message, `${type} ${JSON.stringify(data).slice(0, 80)}`).toContain(field);
    }
    expectRefused(await send('[]'), 400, 'invalid_request');
    expectRefused(await send('"a string"'), 400, 'invalid_request');
    expectRefused(await send(''), 400, 'invalid_request');
    expect(footprint()).toEqual(before);
  });
});

describe('amounts beyond any real trade', () => {
  beforeEach(() => start());

  it('refuses crypto or fiat amounts above the ceilings with 400 naming the field, storing nothing', async () => {
    const before = footprint();
    const huge: [Parameters<typeof tradeOpened>[1], string][] = [
      [{ asset: 'BTC', amount: '999999999999999999' }, 'data.amount'],
      [{ asset: 'BTC', amount: '1000.00000001' }, 'data.amount'],
      [{ asset: 'USDT', amount: '99999999999999.999999' }, 'data.amount'],
      [{ asset: 'USDC', amount: '100000000.000001' }, 'data.amount'],
      [{ asset: 'ETH', amount: '10000.00000001' }, 'data.amount'],
      [{ fiatAmount: '999999999999999999.99' }, 'data.fiatAmount'],
      [{ fiatAmount: '1000000000000.01' }, 'data.fiatAmount'],
    ];
    for (const [overrides, field] of huge) {
      const answer = await send(tradeOpened(at(1), overrides));
      expectRefused(answer, 400, 'invalid_request');
      expect(answer.body.error.message, JSON.stringify(overrides)).toContain(field);
    }
    expect(footprint()).toEqual(before);
  });

  it('accepts a trade at each ceiling', async () => {
    expectOk(await send(tradeOpened(at(1), { asset: 'BTC', amount: '1000.00000000', fiatCurrency: 'USD', fiatAmount: '1000000000000.00' })));
    expectOk(await send(tradeOpened(at(1), { asset: 'USDT', amount: '100000000' })));
  });
});

describe('an event for a trade not opened yet', () => {
  beforeEach(() => start());

  it('is 404 unknown_trade for every type, stores nothing, and applies once the trade has opened', async () => {
    const opened = tradeOpened(at(60));
    const tradeId = opened.data.tradeId;
    const early: PlatformEvent[] = [
      event('trade.message', at(50), { tradeId, messageId: 'm1', sender: 'buyer', body: 'Hola, ya pagué.' }),
      event('trade.receipt', at(50), { tradeId, uploadedBy: 'buyer', contentBase64: PNG.toString('base64') }),
      paid(tradeId, 50),
      released(tradeId, 40),
      cancelled(tradeId, 40),
      dispute(tradeId, 40),
      event('liveness.requested', at(40), { tradeId, partyId: opened.data.buyer.id }),
    ];
    const before = footprint();
    for (const [index, sent] of early.entries()) {
      expectRefused(await send(sent, { id: `msg_early_${index}` }), 404, 'unknown_trade');
    }
    expect(footprint()).toEqual(before);
    // The exchange retries under the same ids; by then trade.opened has arrived.
    expectOk(await send(opened));
    expectOk(await send(early[0]!, { id: 'msg_early_0' }));
    expectOk(await send(early[2]!, { id: 'msg_early_2' }));
    expectOk(await send(early[3]!, { id: 'msg_early_3' }));
    expect(escrowState(tradeId)).toBe('released');
  });
});

describe('trade.opened', () => {
  beforeEach(() => start());

  it('creates the parties, records the trade without a dispute, locks the escrow and tells the exchange', async () => {
    const opened = await openTrade();
    const { tradeId, buyer, seller } = opened.data;
    expect(get('SELECT id, display_name, kyc_status, country, trade_count FROM parties WHERE id = ?', buyer.id)).toEqual({
      id: buyer.id,
      display_name: buyer.displayName,
      kyc_status: 'verified',
      country: 'VE',
      trade_count: 1,
    });
    expect(get('SELECT buyer_id, seller_id, disputed_at, paid_at, created_at FROM trades WHERE id = ?', tradeId)).toEqual({
      buyer_id: buyer.id,
      seller_id: seller.id,
      disputed_at: null,
      paid_at: null,
      created_at: opened.timestamp,
    });
    expect(
      all('SELECT account, amount_minor FROM ledger_entries WHERE escrow_id = ? ORDER BY amount_minor', `ESC-${tradeId}`),
    ).toEqual([
      { account: `party:${seller.id}`, amount_minor: -250_000_000 },
      { account: `escrow:ESC-${tradeId}`, amount_minor: 250_000_000 },
    ]);
    expect(count('cases')).toBe(0);
    expect(get('SELECT actor, action, subject FROM audit_log ORDER BY seq DESC LIMIT 1')).toEqual({
      actor: PLATFORM_USER_ID,
      action: 'escrow.locked',
      subject: tradeId,
    });
    expect(outbound).toHaveLength(1);
    expect(outboundEvent.parse(outbound[0])).toMatchObject({
      type: 'escrow.locked',
      data: { escrowId: `ESC-${tradeId}`, tradeId, caseId: null, asset: 'USDT', amount: '250.000000', cause: 'trade.opened' },
    });
  });

  it('runs transaction monitoring on the new trade (KYT on live events)', async () => {
    const opened = await openTrade({
      ...FOUR_EYES,
      amount: '6000.000000',
      fiatAmount: '6000.00',
      seller: { ...tradeOpened(at(0)).data.seller, accountCreatedAt: at(3 * 24 * 60).toISOString() },
    });
    expect(
      all('SELECT party_id, rule_id, level, case_id FROM kyt_alerts WHERE party_id = ?', opened.data.seller.id),
    ).toEqual([{ party_id: opened.data.seller.id, rule_id: 'new_account_high_value', level: 'MEDIUM', case_id: null }]);
  });

  it('refreshes a known party only from a newer event', async () => {
    const first = await openTrade();
    const buyer = first.data.buyer;
    const older = tradeOpened(at(90), { buyer: { ...buyer, displayName: 'Old name', kycStatus: 'pending' } });
    expectOk(await send(older));
    expect(get('SELECT display_name, kyc_status, trade_count FROM parties WHERE id = ?', buyer.id)).toEqual({
      display_name: buyer.displayName,
      kyc_status: 'verified',
      trade_count: 2,
    });
    const newer = tradeOpened(at(10), { buyer: { ...buyer, displayName: 'Mariana P. de Rojas', kycStatus: 'rejected' } });
    expectOk(await send(newer));
    expect(get('SELECT display_name, kyc_status FROM parties WHERE id = ?', buyer.id)).toEqual({
      display_name: 'Mariana P. de Rojas',
      kyc_status: 'rejected',
    });
  });

  it('never lets the exchange’s kycStatus replace an outcome MetaMap gave, however new the trade.opened', async () => {
    const first = await openTrade();
    const buyer = first.data.buyer;
    // MetaMap rejects the buyer's onboarding verification 5 minutes ago.
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      eventName: 'verification_completed',
      resource: 'https://api.getmati.com/v2/verifications/vrf_onboarding',
      timestamp: at(5).toISOString(),
      identityStatus: 'rejected',
      metadata: { partyId: buyer.id, caseId: null },
    });
    const hook = await fetch(`${base}/v1/webhooks/metamap`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(await hook.json()).toMatchObject({ status: 'applied' });
    expect(get('SELECT kyc_status FROM parties WHERE id = ?', buyer.id)).toEqual({ kyc_status: 'rejected' });
    // A trade.opened from before the rejection arrives late, and one from after it still says verified
    // (the exchange's own record lagging MetaMap's): neither undoes MetaMap's outcome.
    for (const minutesAgo of [30, 1]) {
      const late = tradeOpened(at(minutesAgo), { buyer: { ...buyer, displayName: `Name ${minutesAgo}`, kycStatus: 'verified' } });
      expectOk(await send(late));
    }
    expect(get('SELECT display_name, kyc_status FROM parties WHERE id = ?', buyer.id)).toEqual({
      display_name: 'Name 1',
      kyc_status: 'rejected',
    });
  });

  it('opens a trade once: another trade.opened for it with the same terms locks nothing more', async () => {
    const opened = await openTrade();
    const before = footprint();
    expectOk(await send(opened), 'unchanged');
    expect({ ...footprint(), platform_events: before.platform_events }).toEqual(before);
    expect(count('platform_events')).toBe(before.platform_events! + 1);
  });

  it('refuses another trade.opened for the trade with other parties, amount or asset: 409 trade_conflict, nothing stored', async () => {
    const opened = await openTrade();
    const other = tradeOpened(at(59));
    const before = footprint();
    for (const data of [
      { ...opened.data, amount: '999.000000' },
      { ...opened.data, fiatAmount: '9125.01' },
      { ...opened.data, asset: 'USDC' },
      { ...opened.data, buyer: other.data.buyer },
      { ...opened.data, seller: other.data.seller },
      { ...opened.data, buyer: opened.data.seller, seller: opened.data.buyer },
    ]) {
      const answer = await send({ ...opened, data });
      expectRefused(answer, 409, 'trade_conflict');
      expect(answer.body.error.message).toContain(`trade ${opened.data.tradeId} was opened already with another`);
    }
    // Not even the parties it names are created or refreshed, and no answer is kept: the conflict stays.
    expect(footprint()).toEqual(before);
    expect(get('SELECT buyer_id, amount_minor FROM trades WHERE id = ?', opened.data.tradeId)).toEqual({
      buyer_id: opened.data.buyer.id,
      amount_minor: 250_000_000,
    });
  });

  it('refuses a trade whose id, escrow id or case id another trade holds with 409 trade_conflict, nothing stored', async () => {
    const { ctx } = running();
    // The platform's own trades (the seed's, or a case made here) hold ids the exchange might also use.
    addCase(ctx, { tradeId: 'TRD-70001', escrowId: 'ESC-70001', caseId: 'DSP-70001' });
    addCase(ctx, { tradeId: 'TRD-70002', escrowId: 'ESC-70002-x', caseId: 'DSP-70002' });
    const before = footprint();
    const cases: [string, string][] = [
      ['TRD-70001', 'trade TRD-70001 was opened already with another buyerId, sellerId'],
      ['70001', 'escrow ESC-70001 belongs to trade TRD-70001'],
      ['70002', 'case DSP-70002 belongs to trade TRD-70002'],
    ];
    for (const [tradeId, message] of cases) {
      const answer = await send(tradeOpened(at(30), { tradeId }));
      expectRefused(answer, 409, 'trade_conflict');
      expect(answer.body.error.message).toContain(message);
    }
    expect(footprint()).toEqual(before);
  });

  it('refuses a dispute whose case id another trade took meanwhile with 409 trade_conflict, nothing stored', async () => {
    const { data } = await openTrade({ tradeId: '70003' });
    addCase(running().ctx, { caseId: 'DSP-70003' });
    const before = footprint();
    const answer = await send(dispute(data.tradeId, 40));
    expectRefused(answer, 409, 'trade_conflict');
    expect(answer.body.error.message).toContain('case DSP-70003 belongs to trade TRD-');
    expect(footprint()).toEqual(before);
    expect(escrowState(data.tradeId)).toBe('held');
  });
});

describe('idempotent redelivery', () => {
  beforeEach(() => start());

  it('answers a redelivery exactly as the first time and moves nothing twice', async () => {
    const opened = tradeOpened(at(60));
    const first = await send(opened, { id: 'msg_open' });
    const afterFirst = footprint();
    const again = await send(opened, { id: 'msg_open' });
    expect(again).toEqual(first);
    expect(footprint()).toEqual(afterFirst);

    const release = released(opened.data.tradeId, 30);
    const releasedFirst = await send(release, { id: 'msg_release' });
    expectOk(releasedFirst);
    const afterRelease = footprint();
    // Later, with a new send time (a new signature over the same bytes), as a retrying sender does.
    running().clock.advance(120_000);
    expect(await send(release, { id: 'msg_release' })).toEqual(releasedFirst);
    expect(footprint()).toEqual(afterRelease);
    expect(settlements(opened.data.tradeId)).toHaveLength(1);
    expect(outbound.map((queued) => queued.type)).toEqual(['escrow.locked', 'escrow.released']);
  });

  it('refuses the same webhook-id with another body with 422 idempotency_key_reused', async () => {
    const opened = await openTrade();
    await send(paid(opened.data.tradeId, 30), { id: 'msg_paid' });
    const before = footprint();
    expectRefused(await send(cancelled(opened.data.tradeId, 20), { id: 'msg_paid' }), 422, 'idempotency_key_reused');
    expect(footprint()).toEqual(before);
    expect(escrowState(opened.data.tradeId)).toBe('held');
  });

  it('stores a final refusal and answers it again', async () => {
    const opened = await openTrade();
    expectOk(await send(released(opened.data.tradeId, 30)));
    const refusal = await send(cancelled(opened.data.tradeId, 20), { id: 'msg_cancel_late' });
    expectRefused(refusal, 409, 'escrow_already_settled');
    expect(await send(cancelled(opened.data.tradeId, 20), { id: 'msg_cancel_late' })).toEqual(refusal);
  });
});

describe('one transaction', () => {
  beforeEach(() => start());

  it('leaves nothing of an event whose answer could not be stored: no trade, no ledger rows, no audit entry', async () => {
    // The answer's row is the transaction's last write: make it fail, as a crash at that point would.
    running().ctx.db.exec(
      "CREATE TEMP TRIGGER refuse_answers BEFORE INSERT ON platform_events BEGIN SELECT RAISE(ABORT, 'disk gone'); END",
    );
    const before = footprint();
    const opened = tradeOpened(at(60));
    expect((await send(opened, { id: 'msg_crash' })).status).toBe(500);
    expect(footprint()).toEqual(before);
    running().ctx.db.exec('DROP TRIGGER refuse_answers');
    expectOk(await send(opened, { id: 'msg_crash' }));
    expect(escrowState(opened.data.tradeId)).toBe('held');
  });
});

describe('a database constraint the checks did not foresee', () => {
  beforeEach(() => start());

  it('is 409 trade_conflict with a generic message, not 500, and leaves nothing behind', async () => {
    await openTrade({ paymentMethod: 'Zelle' });
    // Stands in for any uniqueness the event handlers do not check first.
    running().ctx.db.exec('CREATE UNIQUE INDEX test_one_trade_per_method ON trades(payment_method)');
    const before = footprint();
    expectRefused(await send(tradeOpened(at(30), { paymentMethod: 'Zelle' })), 409, 'trade_conflict');
    expect(footprint()).toEqual(before);
    running().ctx.db.exec('DROP INDEX test_one_trade_per_method');
  });
});

describe('trade.message and trade.receipt', () => {
  beforeEach(() => start());

  it('keeps the chat before a dispute and shows all of it in the case once one opens; later lines go straight in', async () => {
    const { data } = await openTrade();
    const line = (messageId: string, minutesAgo: number, sender: 'buyer' | 'seller', body: string) =>
      event('trade.message', at(minutesAgo), { tradeId: data.tradeId, messageId, sender, body });
    expectOk(await send(line('m1', 55, 'buyer', 'Buenas, ya hice el Pago Móvil.')));
    expectOk(await send(line('m2', 50, 'seller', 'No me ha llegado nada todavía.')));
    // The same line again (another webhook-id) is one line.
    expectOk(await send(line('m2', 50, 'seller', 'No me ha llegado nada todavía.')), 'unchanged');
    expect(count('messages')).toBe(0);
    const opened = await send(dispute(data.tradeId, 40));
    const caseId = opened.body.caseId as string;
    expect(latestDetail(caseId).messages.map((message) => [message.sender, message.body])).toEqual([
      ['buyer', 'Buenas, ya hice el Pago Móvil.'],
      ['seller', 'No me ha llegado nada todavía.'],
    ]);
    const version = latestDetail(caseId).version;
    expectOk(await send(line('m3', 30, 'buyer', 'Adjunto el comprobante.')));
    const detail = latestDetail(caseId);
    expect(detail.version).toBe(version + 1);
    expect(detail.messages.map((message) => message.body)).toContain('Adjunto el comprobante.');
    expect(get('SELECT actor, action, subject FROM audit_log ORDER BY seq DESC LIMIT 1')).toEqual({
      actor: PLATFORM_USER_ID,
      action: 'message.received',
      subject: caseId,
    });
  });

  it('stores a receipt once by its sha256, and adds the trade’s receipts to the case', async () => {
    const { data } = await openTrade();
    const receipt = event('trade.receipt', at(50), {
      tradeId: data.tradeId,
      uploadedBy: 'buyer',
      fileName: 'comprobante.png',
      contentBase64: PNG.toString('base64'),
    });
    expectOk(await send(receipt));
    expectOk(await send(receipt), 'unchanged');
    const sha = get<{ sha256: string; mime: string }>('SELECT sha256, mime FROM evidence_files');
    expect(sha.mime).toBe('image/png');
    expect(all('SELECT trade_id, sha256, uploaded_by, file_name FROM trade_receipts')).toEqual([
      { trade_id: data.tradeId, sha256: sha.sha256, uploaded_by: 'buyer', file_name: 'comprobante.png' },
    ]);
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    expect(latestDetail(caseId).evidence).toEqual([
      expect.objectContaining({ sha256: sha.sha256, kind: 'receipt', uploader: 'buyer', mime: 'image/png' }),
    ]);
  });

  it('keeps the lines of trades whose ids and message ids run into each other apart', async () => {
    // Joined with '-', trade 70010 line x-1 and trade 70010-x line 1 would be the same message id.
    for (const [tradeId, messageId] of [
      ['70010', 'x-1'],
      ['70010-x', '1'],
    ] as const) {
      await openTrade({ tradeId });
      expectOk(await send(dispute(tradeId, 40)));
      expectOk(await send(event('trade.message', at(30), { tradeId, messageId, sender: 'buyer', body: `Línea ${messageId}` })));
    }
    expect(all('SELECT case_id, body FROM messages ORDER BY case_id')).toEqual([
      { case_id: 'DSP-70010', body: 'Línea x-1' },
      { case_id: 'DSP-70010-x', body: 'Línea 1' },
    ]);
  });

  it('adds a receipt sent after the dispute straight to the case', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    const pdf = Buffer.from('%PDF-1.4\n% a bank statement\n');
    expectOk(
      await send(event('trade.receipt', at(30), { tradeId: data.tradeId, uploadedBy: 'seller', contentBase64: pdf.toString('base64') })),
    );
    expect(latestDetail(caseId).evidence).toEqual([expect.objectContaining({ uploader: 'seller', mime: 'application/pdf' })]);
  });
});

describe('trade.paid', () => {
  beforeEach(() => start());

  it('records the newest payment mark; an older one changes nothing', async () => {
    const { data } = await openTrade();
    expectOk(await send(paid(data.tradeId, 30)));
    expectOk(await send(paid(data.tradeId, 45)), 'unchanged');
    expect(get('SELECT paid_at FROM trades WHERE id = ?', data.tradeId)).toEqual({ paid_at: at(30).toISOString() });
  });

  it('after the escrow settled is recorded as a fact and moves nothing', async () => {
    const { data } = await openTrade();
    expectOk(await send(released(data.tradeId, 20)));
    const ledger = count('ledger_entries');
    expectOk(await send(paid(data.tradeId, 30)));
    expect(get('SELECT paid_at FROM trades WHERE id = ?', data.tradeId)).toEqual({ paid_at: at(30).toISOString() });
    expect(escrowState(data.tradeId)).toBe('released');
    expect(count('ledger_entries')).toBe(ledger);
  });
});

describe('trade.released and trade.cancelled', () => {
  beforeEach(() => start());

  it('releases the escrow to the buyer exactly once', async () => {
    const { data } = await openTrade();
    expectOk(await send(released(data.tradeId, 20)));
    expectOk(await send(released(data.tradeId, 19)), 'unchanged');
    expect(settlements(data.tradeId)).toEqual([{ kind: 'release', account: `party:${data.buyer.id}`, amount_minor: 250_000_000 }]);
    expect(outboundEvent.parse(outbound.at(-1))).toMatchObject({
      type: 'escrow.released',
      data: { beneficiaryPartyId: data.buyer.id, cause: 'trade.released', movementId: expect.stringMatching(/^MOV-/) },
    });
  });

  it('refunds the seller on a cancel; a release after it is refused, whatever their timestamps', async () => {
    const { data } = await openTrade();
    expectOk(await send(cancelled(data.tradeId, 20)));
    expect(settlements(data.tradeId)).toEqual([{ kind: 'refund', account: `party:${data.seller.id}`, amount_minor: 250_000_000 }]);
    expect(outbound.at(-1)).toMatchObject({ type: 'escrow.refunded', data: { beneficiaryPartyId: data.seller.id } });
    // The release happened earlier on the exchange but arrived later: the escrow has moved, it stays moved.
    expectRefused(await send(released(data.tradeId, 30)), 409, 'escrow_already_settled');
    expect(escrowState(data.tradeId)).toBe('refunded');
    expect(settlements(data.tradeId)).toHaveLength(1);
  });
});

describe('dispute.opened', () => {
  beforeEach(() => start());

  it('opens the case on the trade’s escrow, with the SLA from the dispute’s time, and tells the desks', async () => {
    const { data } = await openTrade();
    const answer = await send(dispute(data.tradeId, 40, 'seller'));
    expect(answer.body).toEqual({ eventId: expect.any(String), status: 'applied', tradeId: data.tradeId, caseId: `DSP-${data.tradeId}` });
    const caseId = answer.body.caseId as string;
    const detail = latestDetail(caseId);
    expect(detail).toMatchObject({
      id: caseId,
      status: 'open',
      openedAt: at(40).toISOString(),
      slaDueAt: new Date(at(40).getTime() + 24 * 3_600_000).toISOString(),
      fourEyes: { required: false },
    });
    expect(detail.escrow).toMatchObject({ state: 'held' });
    expect(get('SELECT opened_by, reason FROM cases WHERE id = ?', caseId)).toEqual({
      opened_by: 'seller',
      reason: 'Pagué por Pago Móvil y el vendedor no libera.',
    });
    expect(get('SELECT disputed_at FROM trades WHERE id = ?', data.tradeId)).toEqual({ disputed_at: at(40).toISOString() });
    expect(get('SELECT dispute_count FROM parties WHERE id = ?', data.buyer.id)).toEqual({ dispute_count: 1 });
    expect(get("SELECT actor, subject FROM audit_log WHERE action = 'case.opened'")).toEqual({ actor: PLATFORM_USER_ID, subject: caseId });
    // The same dispute again (another webhook-id): the case is there already.
    expect((await send(dispute(data.tradeId, 39))).body).toMatchObject({ status: 'unchanged', caseId });
    expect(count('cases')).toBe(1);
  });

  it('gives a four-eyes case the longer SLA window', async () => {
    const { data } = await openTrade(FOUR_EYES);
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    expect(latestDetail(caseId)).toMatchObject({
      fourEyes: { required: true },
      slaDueAt: new Date(at(40).getTime() + 72 * 3_600_000).toISOString(),
    });
  });

  it('freezes the escrow: a release or cancel that happened after the dispute opened is refused 409 escrow_frozen', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    const before = footprint();
    expectRefused(await send(released(data.tradeId, 30), { id: 'msg_frozen' }), 409, 'escrow_frozen');
    expectRefused(await send(cancelled(data.tradeId, 30)), 409, 'escrow_frozen');
    expect({ ...footprint(), platform_events: before.platform_events }).toEqual(before);
    expect(escrowState(data.tradeId)).toBe('held');
    expect(latestDetail(caseId).status).toBe('open');
    // Stored: the redelivery answers the same.
    expectRefused(await send(released(data.tradeId, 30), { id: 'msg_frozen' }), 409, 'escrow_frozen');
  });

  it('applies a release that happened before the dispute but arrived after it: the case is settled by the parties', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    expectOk(await send(released(data.tradeId, 45)));
    expect(escrowState(data.tradeId)).toBe('released');
    const detail = latestDetail(caseId);
    expect(detail).toMatchObject({ status: 'resolved', verdict: null, escrow: { state: 'released' } });
    expect(outbound.at(-1)).toMatchObject({ type: 'escrow.released', data: { caseId } });
  });

  it('refuses the late release with escrow_already_settled once a verdict moved the escrow', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    const agent = addUser(running().ctx, 'agent');
    await claim(running(), agent, caseId);
    const verdict = await postVerdict(running(), agent, caseId, verdictInput(running(), agent, { outcome: 'refund' }));
    expect(verdict.status, JSON.stringify(verdict.body)).toBe(200);
    expectRefused(await send(released(data.tradeId, 45)), 409, 'escrow_already_settled');
    expect(escrowState(data.tradeId)).toBe('refunded');
  });

  it('refuses a dispute for a trade whose escrow was settled before it with 409 trade_already_settled', async () => {
    const { data } = await openTrade();
    expectOk(await send(released(data.tradeId, 45)));
    const before = footprint();
    expectRefused(await send(dispute(data.tradeId, 40)), 409, 'trade_already_settled');
    expect({ ...footprint(), platform_events: before.platform_events }).toEqual(before);
  });

  it('arriving before the chat that preceded it still shows that chat once it arrives', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    expectOk(
      await send(event('trade.message', at(50), { tradeId: data.tradeId, messageId: 'early', sender: 'buyer', body: 'Ya pagué.' })),
    );
    expect(latestDetail(caseId).messages.map((message) => [message.body, message.at])).toEqual([['Ya pagué.', at(50).toISOString()]]);
  });
});

describe('liveness.requested', () => {
  beforeEach(() => start());

  it('creates a pending check for the party with the verification id, on the case once there is one', async () => {
    const { data } = await openTrade();
    expectOk(
      await send(event('liveness.requested', at(30), { tradeId: data.tradeId, partyId: data.seller.id, verificationId: 'vrf_before' })),
    );
    expect(get('SELECT party_id, case_id, status, provider_verification_id, requested_by FROM liveness_checks')).toEqual({
      party_id: data.seller.id,
      case_id: null,
      status: 'pending',
      provider_verification_id: 'vrf_before',
      requested_by: PLATFORM_USER_ID,
    });
    expectOk(
      await send(event('liveness.requested', at(29), { tradeId: data.tradeId, partyId: data.seller.id, verificationId: 'vrf_before' })),
      'unchanged',
    );
    const caseId = (await send(dispute(data.tradeId, 20))).body.caseId as string;
    expectOk(await send(event('liveness.requested', at(10), { tradeId: data.tradeId, partyId: data.buyer.id })));
    // The check asked before the dispute joined the case when it opened, as the one asked after it is.
    expect(latestDetail(caseId).liveness).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partyId: data.buyer.id, status: 'pending', caseId }),
        expect.objectContaining({ partyId: data.seller.id, providerVerificationId: 'vrf_before', caseId }),
      ]),
    );
  });

  it('links the checks asked for on the trade to the case its dispute opens; MetaMap naming the trade still finds them', async () => {
    const { data } = await openTrade();
    // An onboarding check of the same party, and another trade's check, stay where they are.
    const other = await openTrade({ seller: data.seller });
    expectOk(await send(event('liveness.requested', at(35), { tradeId: other.data.tradeId, partyId: data.seller.id })));
    // Asked before the dispute, without a verification id yet: MetaMap's webhooks will name the trade.
    expectOk(await send(event('liveness.requested', at(30), { tradeId: data.tradeId, partyId: data.buyer.id })));
    expect(get('SELECT case_id, trade_id FROM liveness_checks WHERE party_id = ?', data.buyer.id)).toEqual({
      case_id: null,
      trade_id: data.tradeId,
    });
    const caseId = (await send(dispute(data.tradeId, 20))).body.caseId as string;
    const checkId = get<{ id: string }>('SELECT id FROM liveness_checks WHERE party_id = ?', data.buyer.id).id;
    expect(all('SELECT id, case_id FROM liveness_checks ORDER BY case_id')).toEqual([
      { id: expect.any(String), case_id: null },
      { id: checkId, case_id: caseId },
    ]);
    expect(JSON.parse(get<{ data: string }>("SELECT data FROM audit_log WHERE action = 'case.opened'").data)).toMatchObject({
      livenessChecks: [checkId],
    });
    expect(latestDetail(caseId).liveness).toContainEqual(expect.objectContaining({ id: checkId, caseId, status: 'pending' }));
    // MetaMap's verdict on the verification the exchange started, with the metadata it started it with.
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      eventName: 'verification_completed',
      resource: 'https://api.getmati.com/v2/verifications/vrf_trade',
      timestamp: at(5).toISOString(),
      identityStatus: 'rejected',
      metadata: { partyId: data.buyer.id, caseId: null, tradeId: data.tradeId },
    });
    const hook = await fetch(`${base}/v1/webhooks/metamap`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(await hook.json()).toEqual({ status: 'applied', checkId });
    expect(get('SELECT case_id, status, provider_verification_id FROM liveness_checks WHERE id = ?', checkId)).toEqual({
      case_id: caseId,
      status: 'rejected',
      provider_verification_id: 'vrf_trade',
    });
    // A failed Proof of Life of this case flags it.
    expect(latestDetail(caseId).flags).toMatchObject({ livenessFailed: true });
  });

  it('gives a verification MetaMap starts for a disputed trade to the trade’s case', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 20))).body.caseId as string;
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      eventName: 'verification_completed',
      resource: 'https://api.getmati.com/v2/verifications/vrf_sdk',
      timestamp: at(5).toISOString(),
      identityStatus: 'verified',
      metadata: { partyId: data.seller.id, caseId: null, tradeId: data.tradeId },
    });
    const hook = await fetch(`${base}/v1/webhooks/metamap`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(await hook.json()).toMatchObject({ status: 'applied' });
    expect(get("SELECT case_id, trade_id, trigger FROM liveness_checks WHERE provider_verification_id = 'vrf_sdk'")).toEqual({
      case_id: caseId,
      trade_id: data.tradeId,
      trigger: 'trade',
    });
  });
});

describe('a MetaMap webhook arriving before its liveness.requested', () => {
  beforeEach(() => start());

  const kycOf = (partyId: string) => get<{ kyc_status: string }>('SELECT kyc_status FROM parties WHERE id = ?', partyId).kyc_status;
  const checkOf = (verificationId: string) =>
    get<{ id: string; party_id: string; trade_id: string | null; trigger: string; status: string }>(
      'SELECT id, party_id, trade_id, trigger, status FROM liveness_checks WHERE provider_verification_id = ?',
      verificationId,
    );
  /** MetaMap's verdict on a verification, with metadata naming the party only (no trade). */
  async function metamapVerdict(verificationId: string, partyId: string, status: 'verified' | 'rejected', minutesAgo: number) {
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      eventName: 'verification_completed',
      resource: `https://api.getmati.com/v2/verifications/${verificationId}`,
      timestamp: at(minutesAgo).toISOString(),
      identityStatus: status,
      metadata: { partyId, caseId: null },
    });
    const hook = await fetch(`${base}/v1/webhooks/metamap`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    return (await hook.json()) as { status: string };
  }

  it('makes the check the webhook created the trade’s: later results of the verification leave KYC alone', async () => {
    const { data } = await openTrade();
    expect(await metamapVerdict('vrf_early', data.seller.id, 'rejected', 4)).toMatchObject({ status: 'applied' });
    // Taken for the party's own verification: its outcome became their KYC status.
    expect(checkOf('vrf_early')).toMatchObject({ trigger: 'onboarding', trade_id: null });
    expect(kycOf(data.seller.id)).toBe('rejected');
    const request = event('liveness.requested', at(5), { tradeId: data.tradeId, partyId: data.seller.id, verificationId: 'vrf_early' });
    expectOk(await send(request));
    expect(checkOf('vrf_early')).toMatchObject({ trigger: 'trade', trade_id: data.tradeId, status: 'rejected' });
    expect(
      JSON.parse(get<{ data: string }>("SELECT data FROM audit_log WHERE action = 'liveness.requested'").data),
    ).toMatchObject({ checkId: checkOf('vrf_early').id, adoptedFrom: 'onboarding', kycAlreadySet: 'rejected' });
    expectOk(await send(request), 'unchanged');
    // A later result of the same verification is the trade's Proof of Life, not the party's KYC.
    expect(await metamapVerdict('vrf_early', data.seller.id, 'verified', 3)).toMatchObject({ status: 'applied' });
    expect(checkOf('vrf_early')).toMatchObject({ trigger: 'trade', status: 'verified' });
    expect(kycOf(data.seller.id)).toBe('rejected');
    // The check joins the case its dispute opens, as one requested first does.
    const caseId = (await send(dispute(data.tradeId, 2))).body.caseId as string;
    expect(latestDetail(caseId).liveness).toContainEqual(expect.objectContaining({ id: checkOf('vrf_early').id, caseId }));
  });

  it('in the usual order, request then webhook, the check is the trade’s and KYC stays', async () => {
    const { data } = await openTrade();
    expectOk(await send(event('liveness.requested', at(5), { tradeId: data.tradeId, partyId: data.seller.id, verificationId: 'vrf_usual' })));
    expect(await metamapVerdict('vrf_usual', data.seller.id, 'rejected', 4)).toMatchObject({ status: 'applied' });
    expect(checkOf('vrf_usual')).toMatchObject({ trigger: 'trade', trade_id: data.tradeId, status: 'rejected' });
    expect(kycOf(data.seller.id)).toBe('verified');
  });

  it('refuses a verification of another party, or of another trade, with 409 verification_conflict, storing nothing', async () => {
    const { data } = await openTrade();
    expect(await metamapVerdict('vrf_buyer', data.buyer.id, 'verified', 4)).toMatchObject({ status: 'applied' });
    const before = footprint();
    expectRefused(
      await send(event('liveness.requested', at(5), { tradeId: data.tradeId, partyId: data.seller.id, verificationId: 'vrf_buyer' })),
      409,
      'verification_conflict',
    );
    expect(footprint()).toEqual(before);
    expect(checkOf('vrf_buyer')).toMatchObject({ party_id: data.buyer.id, trigger: 'onboarding', trade_id: null });
    // The buyer's verification asked for on one trade cannot be another trade's too.
    const other = await openTrade({ buyer: data.buyer });
    expectOk(await send(event('liveness.requested', at(5), { tradeId: data.tradeId, partyId: data.buyer.id, verificationId: 'vrf_buyer' })));
    expectRefused(
      await send(event('liveness.requested', at(5), { tradeId: other.data.tradeId, partyId: data.buyer.id, verificationId: 'vrf_buyer' })),
      409,
      'verification_conflict',
    );
    expect(checkOf('vrf_buyer')).toMatchObject({ trade_id: data.tradeId });
  });
});

describe('an escrow on a compliance hold', () => {
  beforeEach(() => start());

  it('refuses a settling event 409 escrow_on_hold without storing it; the retry applies once the hold is lifted', async () => {
    const { data } = await openTrade();
    const caseId = (await send(dispute(data.tradeId, 40))).body.caseId as string;
    const compliance = addUser(running().ctx, 'compliance');
    const hold = await call(running(), compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'KYT: sanctions exposure.' });
    expect(hold.status, JSON.stringify(hold.body)).toBe(200);
    // The seller released before the dispute; the exchange's delivery arrives during the hold.
    const release = released(data.tradeId, 45);
    const before = footprint();
    expectRefused(await send(release, { id: 'msg_during_hold' }), 409, 'escrow_on_hold');
    expectRefused(await send(release, { id: 'msg_during_hold' }), 409, 'escrow_on_hold');
    expect(footprint()).toEqual(before);
    expect(escrowState(data.tradeId)).toBe('held');
    const lifted = await call(running(), compliance, 'DELETE', `/v1/cases/${caseId}/hold`, {
      reason: 'Funds traced to a regulated exchange.',
      totp: freshCode(running(), compliance),
    });
    expect(lifted.status, JSON.stringify(lifted.body)).toBe(200);
    // The exchange's retry, same webhook-id and bytes: applied now, and answered the same from then on.
    const retry = await send(release, { id: 'msg_during_hold' });
    expect(retry.body).toEqual({ eventId: 'msg_during_hold', status: 'applied', tradeId: data.tradeId, caseId });
    expect(escrowState(data.tradeId)).toBe('released');
    expect(latestDetail(caseId)).toMatchObject({ status: 'resolved', verdict: null });
    expect((await send(release, { id: 'msg_during_hold' })).body).toEqual(retry.body);
    expect(settlements(data.tradeId)).toHaveLength(1);
  });
});

describe('KYT over the receipts of live trades', () => {
  beforeEach(() => start());

  const receipt = (tradeId: string, uploadedBy: 'buyer' | 'seller', bytes: Buffer) =>
    event('trade.receipt', at(50), { tradeId, uploadedBy, contentBase64: bytes.toString('base64') });
  const sharedReceiptAlerts = () => all<{ party_id: string }>("SELECT party_id FROM kyt_alerts WHERE rule_id = 'shared_receipt'");

  it('reads only what buyers gave: one seller’s statement in two trades is no shared receipt', async () => {
    const first = await openTrade();
    const second = await openTrade({ seller: first.data.seller });
    const statement = Buffer.from('%PDF-1.4\n% the seller’s bank statement: nothing arrived\n');
    expectOk(await send(receipt(first.data.tradeId, 'seller', statement)));
    expectOk(await send(receipt(second.data.tradeId, 'seller', statement)));
    expect(sharedReceiptAlerts()).toEqual([]);
  });

  it('raises shared_receipt when two buyers give the same file', async () => {
    const first = await openTrade();
    const second = await openTrade();
    expectOk(await send(receipt(first.data.tradeId, 'buyer', PNG)));
    expectOk(await send(receipt(second.data.tradeId, 'buyer', PNG)));
    expect(sharedReceiptAlerts().map((alert) => alert.party_id).sort()).toEqual(
      [first.data.buyer.id, second.data.buyer.id].sort(),
    );
  });
});

describe('KYT alerts raised on a live trade, before any dispute', () => {
  // An exchange to tell: escrow events are queued only when one is configured (the queue itself is mocked).
  beforeEach(() => start({ outboundUrl: 'http://127.0.0.1:9/exchange', outboundSecret: 'test-outbound-secret-of-24-bytes-or-more' }));

  /** 25,000 USD from a seller whose account is 3 days old: new_account_high_value, HIGH. */
  const highValueFromNewAccount = () =>
    openTrade({
      ...FOUR_EYES,
      amount: '25000.000000',
      fiatAmount: '25000.00',
      seller: { ...tradeOpened(at(0)).data.seller, accountCreatedAt: at(3 * 24 * 60).toISOString() },
    });
  const alertOf = (partyId: string) =>
    get<{ id: string; level: string; case_id: string | null }>(
      "SELECT id, level, case_id FROM kyt_alerts WHERE party_id = ? AND rule_id = 'new_account_high_value'",
      partyId,
    );
  const holdOf = (tradeId: string) =>
    get<{ hold_reason: string | null; hold_by: string | null }>('SELECT hold_reason, hold_by FROM escrows WHERE trade_id = ?', tradeId);

  it('holds the live escrow at once: the seller’s release is 409 escrow_on_hold, and the exchange hears escrow.held', async () => {
    const { data } = await highValueFromNewAccount();
    const alert = alertOf(data.seller.id);
    expect(alert).toMatchObject({ level: 'HIGH', case_id: null });
    expect(holdOf(data.tradeId)).toEqual({ hold_reason: expect.stringContaining(alert.id), hold_by: 'USR-kyt-monitor' });
    expect(outbound.map((queued) => [queued.type, 'cause' in queued.data ? queued.data.cause : null])).toContainEqual([
      'escrow.held',
      'kyt_alert',
    ]);
    const hold = JSON.parse(get<{ data: string; subject: string }>("SELECT data FROM audit_log WHERE action = 'escrow.hold_placed'").data);
    expect(hold).toMatchObject({ alertId: alert.id, tradeId: data.tradeId, escrowId: `ESC-${data.tradeId}` });
    expectRefused(await send(released(data.tradeId, 30)), 409, 'escrow_on_hold');
    expect(escrowState(data.tradeId)).toBe('held');
  });

  it('joins the case its dispute opens: the case shows the alert, the kyt flag and the hold from its first feed row', async () => {
    const { data } = await highValueFromNewAccount();
    const alert = alertOf(data.seller.id);
    const caseId = (await send(dispute(data.tradeId, 20))).body.caseId as string;
    expect(alertOf(data.seller.id)).toMatchObject({ id: alert.id, case_id: caseId });
    const first = JSON.parse(
      get<{ data: string }>("SELECT data FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq LIMIT 1", caseId).data,
    ) as CaseDetail;
    expect(first.flags).toMatchObject({ kyt: true, onHold: true });
    expect(first.kytAlerts.map((linked) => linked.id)).toContain(alert.id);
    expect(JSON.parse(get<{ data: string }>("SELECT data FROM audit_log WHERE action = 'kyt.alerts_linked'").data)).toEqual({
      caseId,
      tradeId: data.tradeId,
      alertIds: [alert.id],
    });
    // The seller's release, done before the dispute and delivered late, cannot get past the hold.
    expectRefused(await send(released(data.tradeId, 30)), 409, 'escrow_on_hold');
    expect(escrowState(data.tradeId)).toBe('held');
  });

  it('holds the escrow when the dispute opens if an open HIGH alert of the trade has no hold standing', async () => {
    const { data } = await highValueFromNewAccount();
    // As stored before live escrows were held: the alert without its hold.
    running().ctx.db.prepare('UPDATE escrows SET hold_reason = NULL, hold_by = NULL, hold_at = NULL WHERE trade_id = ?').run(data.tradeId);
    outbound.length = 0;
    const caseId = (await send(dispute(data.tradeId, 20))).body.caseId as string;
    expect(holdOf(data.tradeId)).toEqual({ hold_reason: expect.stringContaining(alertOf(data.seller.id).id), hold_by: 'USR-kyt-monitor' });
    expect(outbound.filter((queued) => queued.type === 'escrow.held')).toHaveLength(1);
    expect(latestDetail(caseId).flags).toMatchObject({ kyt: true, onHold: true });
    expectRefused(await send(released(data.tradeId, 30)), 409, 'escrow_on_hold');
  });

  it('leaves a MEDIUM alert’s escrow free, and an alert about another trade out of the case', async () => {
    const medium = await openTrade({
      ...FOUR_EYES,
      amount: '6000.000000',
      fiatAmount: '6000.00',
      seller: { ...tradeOpened(at(0)).data.seller, accountCreatedAt: at(3 * 24 * 60).toISOString() },
    });
    expect(holdOf(medium.data.tradeId).hold_reason).toBeNull();
    // The same seller's next, small trade: its case is not about the first trade's alert.
    const small = await openTrade({ seller: medium.data.seller });
    const caseId = (await send(dispute(small.data.tradeId, 20))).body.caseId as string;
    expect(alertOf(medium.data.seller.id).case_id).toBeNull();
    expect(latestDetail(caseId).flags).toMatchObject({ kyt: false, onHold: false });
  });
});

describe('a Proof of Life that failed before the dispute', () => {
  beforeEach(() => start());

  it('flags the case its dispute opens as livenessFailed from the first feed row', async () => {
    const { data } = await openTrade();
    // MetaMap's events are refused outside a window of minutes around the clock: all of this is recent.
    expectOk(await send(event('liveness.requested', at(4), { tradeId: data.tradeId, partyId: data.buyer.id, verificationId: 'vrf_failed_early' })));
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      eventName: 'verification_completed',
      resource: 'https://api.getmati.com/v2/verifications/vrf_failed_early',
      timestamp: at(3).toISOString(),
      identityStatus: 'rejected',
      metadata: { partyId: data.buyer.id, caseId: null, tradeId: data.tradeId },
    });
    const hook = await fetch(`${base}/v1/webhooks/metamap`, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect(await hook.json()).toMatchObject({ status: 'applied' });
    const caseId = (await send(dispute(data.tradeId, 2))).body.caseId as string;
    const first = JSON.parse(
      get<{ data: string }>("SELECT data FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq LIMIT 1", caseId).data,
    ) as CaseDetail;
    expect(first.flags).toMatchObject({ livenessFailed: true });
    expect(first.liveness).toContainEqual(expect.objectContaining({ partyId: data.buyer.id, status: 'rejected', caseId }));
  });
});
