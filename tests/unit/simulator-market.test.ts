// The simulated market as plans, before anything is sent: every event it would send has the contract's
// shape, the same seed plays the same market, and no trade takes a step the exchange could not take.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { platformEvent, type PlatformEvent } from '../../shared/api/platform-events';
import { DEFAULT_USD_RATES } from '../../electron/server/config';
import { metamapEvent } from '../../electron/server/webhooks/payload';
import { SimulatedMarket, type MarketOptions } from '../../electron/simulator/market';
import { metamapBody, platformBody, type TradePlan } from '../../electron/simulator/plan';

const AT = new Date('2026-12-01T15:00:00.000Z');
const TRADES = 160;

function plans(overrides: Partial<MarketOptions> = {}, count = TRADES): TradePlan[] {
  const market = new SimulatedMarket({
    seed: '42',
    runId: 'unit',
    start: AT,
    usdRates: DEFAULT_USD_RATES,
    proofOfLife: true,
    ...overrides,
  });
  return Array.from({ length: count }, () => market.nextTrade());
}

const fingerprint = (list: TradePlan[]) => createHash('sha256').update(JSON.stringify(list)).digest('hex');

const played = plans();

/** The platform events of a plan as sent, stamped one second apart (late ones before their predecessor). */
function eventsOf(
  plan: TradePlan,
): { event: PlatformEvent; at: number; expectRefusal: boolean; late: boolean }[] {
  let at = AT.getTime();
  const out = [];
  for (const step of plan.steps) {
    at = step.happenedBeforePreviousMs ? at - step.happenedBeforePreviousMs : at + 1_000;
    if (step.delivery.channel !== 'platform') continue;
    out.push({
      event: platformEvent.parse(platformBody(step.delivery.event, new Date(at))),
      at,
      expectRefusal: Boolean(step.expectRefusal),
      late: Boolean(step.happenedBeforePreviousMs),
    });
  }
  return out;
}

describe('the simulated market', () => {
  it('sends only events of the contract: every platform event parses with platformEvent, every MetaMap body with the server’s schema', () => {
    let checked = 0;
    for (const plan of played) {
      for (const step of plan.steps) {
        const parsed =
          step.delivery.channel === 'platform'
            ? platformEvent.safeParse(platformBody(step.delivery.event, AT))
            : metamapEvent.safeParse(metamapBody(step.delivery.body, AT));
        expect(parsed.success, `${plan.tradeId}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(TRADES * 5);
  });

  it('plays the same market for the same seed, and another for another seed', () => {
    expect(fingerprint(plans({}, 40))).toBe(fingerprint(played.slice(0, 40)));
    expect(fingerprint(plans({ seed: '43' }, 40))).not.toBe(fingerprint(played.slice(0, 40)));
  });

  it('has every kind of trade: completed, cancelled, disputed, failed Proof of Life, KYT stories, and chats in Spanish and Portuguese', () => {
    const outcomes = new Set(played.map((plan) => plan.outcome));
    expect(outcomes).toEqual(new Set(['completed', 'cancelled', 'disputed']));
    expect(
      played.some((plan) => plan.proofOfLife === 'face_mismatch' || plan.proofOfLife === 'selfie_fraud'),
    ).toBe(true);
    expect(played.filter((plan) => plan.kytStory).length).toBeGreaterThan(3);
    const messages = (country: string) =>
      played
        .filter((plan) => plan.buyer.person.country === country)
        .flatMap(eventsOf)
        .flatMap(({ event }) => (event.type === 'trade.message' ? [event.data.body] : []));
    expect(messages('BR').join(' ')).toMatch(/\b(você|não|pagamento|Pix)\b/);
    expect(messages('VE').join(' ')).toMatch(/\b(Hola|pago|libera)\b/);
  });

  it('uploads receipts as PNG or JPEG images under 300 KB', () => {
    const receipts = played
      .flatMap(eventsOf)
      .flatMap(({ event }) =>
        event.type === 'trade.receipt' ? [Buffer.from(event.data.contentBase64, 'base64')] : [],
      );
    expect(receipts.length).toBeGreaterThan(TRADES / 2);
    for (const bytes of receipts) {
      expect(bytes.length).toBeLessThan(300 * 1024);
      const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
      expect(png || jpeg).toBe(true);
    }
  });

  it('never takes an impossible step: each trade opens first, is paid before it is released, settles at most once, and is frozen once disputed', () => {
    const webhookIds = new Set<string>();
    for (const plan of played) {
      const events = eventsOf(plan);
      expect(events[0]?.event.type, plan.tradeId).toBe('trade.opened');
      let paid = false;
      let settled: string | null = null;
      let disputedAt: number | null = null;
      const uploaded = new Set<string>();
      for (const { event, at, expectRefusal, late } of events) {
        const where = `${plan.tradeId} ${event.type}`;
        expect(event.data.tradeId, where).toBe(plan.tradeId);
        switch (event.type) {
          case 'trade.opened':
            expect(event.data.buyer.id, where).not.toBe(event.data.seller.id);
            expect(event.data.buyer.country, where).toBe(event.data.seller.country);
            break;
          case 'trade.receipt':
            uploaded.add(
              createHash('sha256').update(Buffer.from(event.data.contentBase64, 'base64')).digest('hex'),
            );
            break;
          case 'trade.message':
            // Evidence a message shows was uploaded in this trade before it.
            for (const sha of event.data.evidence ?? []) expect(uploaded.has(sha), where).toBe(true);
            break;
          case 'trade.paid':
            expect(paid || settled !== null, where).toBe(false);
            paid = true;
            break;
          case 'trade.released':
          case 'trade.cancelled':
            if (expectRefusal) {
              // A seller trying to release after the dispute froze the escrow: the platform must refuse it.
              expect(disputedAt !== null && at > disputedAt, where).toBe(true);
              break;
            }
            expect(settled, where).toBeNull();
            if (event.type === 'trade.released') expect(paid, where).toBe(true);
            else expect(paid, where).toBe(false);
            // Only a release that happened before the dispute (and arrives late) may follow it.
            if (disputedAt !== null) expect(late && at < disputedAt, where).toBe(true);
            settled = event.type;
            break;
          case 'dispute.opened':
            expect(disputedAt, where).toBeNull();
            expect(settled, where).toBeNull();
            disputedAt = at;
            break;
          case 'liveness.requested':
            expect(event.data.partyId, where).toBe(plan.buyer.id);
            expect(settled, where).toBeNull();
            break;
        }
      }
      for (const step of plan.steps) {
        if (step.delivery.channel !== 'platform') continue;
        expect(webhookIds.has(step.delivery.webhookId), step.delivery.webhookId).toBe(false);
        webhookIds.add(step.delivery.webhookId);
      }
      const types = events.filter((item) => !item.expectRefusal).map(({ event }) => event.type);
      if (plan.outcome === 'completed') expect(types, plan.tradeId).toContain('trade.released');
      if (plan.outcome === 'cancelled') expect(types, plan.tradeId).toContain('trade.cancelled');
      if (plan.outcome === 'disputed') expect(types, plan.tradeId).toContain('dispute.opened');
    }
  });

  it('asks for a Proof of Life before MetaMap answers it, and MetaMap ends each check with the outcome the plan says', () => {
    const checked = played.filter((plan) => plan.proofOfLife !== null);
    expect(checked.length).toBeGreaterThan(0);
    for (const plan of checked) {
      const requested = plan.steps.findIndex(
        (step) => step.delivery.channel === 'platform' && step.delivery.event.type === 'liveness.requested',
      );
      const webhooks = plan.steps.flatMap((step, index) =>
        step.delivery.channel === 'metamap' ? [{ index, body: step.delivery.body }] : [],
      );
      expect(requested, plan.tradeId).toBeGreaterThan(0);
      expect(webhooks.length).toBeGreaterThanOrEqual(3);
      expect(webhooks.every(({ index }) => index > requested)).toBe(true);
      const last = webhooks.at(-1)!.body;
      expect(last.eventName).toBe('verification_completed');
      expect(last.identityStatus).toBe(plan.proofOfLife === 'verified' ? 'verified' : 'rejected');
      expect(webhooks.every(({ body }) => body.metadata.partyId === plan.buyer.id)).toBe(true);
    }
  });

  it('plays no Proof of Life without the MetaMap secret', () => {
    const without = plans({ proofOfLife: false }, 80);
    expect(without.every((plan) => plan.proofOfLife === null)).toBe(true);
    expect(without.flatMap((plan) => plan.steps).some((step) => step.delivery.channel === 'metamap')).toBe(
      false,
    );
  });

  it('plays the KYT stories the rules engine watches for', () => {
    const stories = played.flatMap((plan) => (plan.kytStory ? [plan.kytStory.split(':')[0]] : []));
    expect(new Set(stories).size).toBeGreaterThanOrEqual(3);
    // Structuring: one buyer, several trades each just under 10,000 USD of USDT.
    const first = played.findIndex((plan) => plan.kytStory?.startsWith('structuring'));
    expect(first).toBeGreaterThanOrEqual(0);
    {
      const buyer = played[first]!.buyer.id;
      const burst = played
        .slice(first)
        .filter((plan) => plan.buyer.id === buyer)
        .slice(0, 3)
        .map((plan) => eventsOf(plan)[0]!.event);
      for (const opened of burst) {
        if (opened.type !== 'trade.opened') throw new Error('not an opening');
        expect(opened.data.asset).toBe('USDT');
        expect(Number(opened.data.amount)).toBeGreaterThanOrEqual(9_000);
        expect(Number(opened.data.amount)).toBeLessThan(10_000);
      }
    }
  });
});
