// The KYT rules engine, rule by rule: facts that must fire each rule and facts just short of it that must
// not, the words a reviewer reads, and the dedupe keys that keep a re-run from raising anything twice.
import { describe, expect, it } from 'vitest';
import { KYT_RULE_SET } from '../../electron/server/kyt/engine/config';
import { evaluateKyt } from '../../electron/server/kyt/engine/evaluate';
import type { AlertCandidate, KytFacts, PartyFact, TradeFact } from '../../electron/server/kyt/engine/types';

const T0 = Date.parse('2026-11-02T10:00:00Z');
const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();
const hours = (n: number) => minutes(n * 60);
const days = (n: number) => hours(n * 24);

let tradeCounter = 0;
function trade(fields: Partial<TradeFact> & Pick<TradeFact, 'buyerId' | 'sellerId'>): TradeFact {
  tradeCounter += 1;
  return {
    id: `T-${String(tradeCounter).padStart(4, '0')}`,
    caseId: null,
    at: hours(0),
    asset: 'USDT',
    amount: '500.000000',
    fiatCurrency: 'USD',
    fiatAmount: '500.00',
    usdCents: 50_000,
    depositAddress: null,
    payoutAddress: null,
    payoutAccount: null,
    receiptSha256s: [],
    disputeLoser: null,
    ...fields,
  };
}

const party = (id: string, accountCreatedAt = '2024-01-01T00:00:00Z'): PartyFact => ({
  id,
  displayName: `Name ${id}`,
  accountCreatedAt,
});
const PARTIES = ['alice', 'bob', 'carol', 'dave', 'erin'].map((id) => party(id));

function facts(trades: TradeFact[], extra: Partial<KytFacts> = {}): KytFacts {
  return { trades, parties: PARTIES, riskAddresses: [], hops: [], ...extra };
}

const ofRule = (alerts: AlertCandidate[], ruleId: string) =>
  alerts.filter((alert) => alert.ruleId === ruleId);

describe('address exposure', () => {
  const riskAddresses = [
    { address: 'TSanctioned', category: 'sanctions' as const, source: 'OFAC SDN list' },
    { address: 'bc1qmixer', category: 'mixer' as const, source: 'Known mixer cluster' },
    { address: 'bc1qdarknet', category: 'darknet' as const, source: 'Darknet market cluster' },
    { address: 'TScam', category: 'scam' as const, source: 'Chainabuse report 88121' },
  ];
  const hops = [
    { from: 'TSanctioned', to: 'THop1' },
    { from: 'THop1', to: 'THop2' },
    { from: 'THop2', to: 'THop3' },
    { from: 'bc1qpayout', to: 'bc1qmixer' },
  ];

  it('a deposit straight from a sanctioned address is a SEVERE direct alert on the seller', () => {
    const deposit = trade({
      buyerId: 'alice',
      sellerId: 'bob',
      caseId: 'DSP-1',
      depositAddress: 'TSanctioned',
    });
    const [alert, ...rest] = ofRule(
      evaluateKyt(facts([deposit], { riskAddresses, hops })),
      'sanctions_exposure',
    );
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({
      partyId: 'bob',
      caseId: 'DSP-1',
      level: 'SEVERE',
      exposure: 'DIRECT',
      ruleVersion: KYT_RULE_SET.sanctions.version,
      tradeIds: [deposit.id],
    });
    expect(alert?.details).toContain('came from TSanctioned, itself listed as sanctions by OFAC SDN list');
    expect(alert?.details).toContain('500.000000 USDT');
  });

  it('two hops away is an indirect HIGH alert naming the path; beyond the limit nothing fires', () => {
    const near = trade({ buyerId: 'alice', sellerId: 'bob', depositAddress: 'THop2' });
    const far = trade({ buyerId: 'alice', sellerId: 'carol', depositAddress: 'THop3' });
    const alerts = ofRule(evaluateKyt(facts([near, far], { riskAddresses, hops })), 'sanctions_exposure');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ partyId: 'bob', level: 'HIGH', exposure: 'INDIRECT' });
    expect(alerts[0]?.details).toContain('2 hops away (via THop1) from TSanctioned');
  });

  it('a payout that flows on to a mixer raises a mixer alert on the buyer, not the seller', () => {
    const payout = trade({
      buyerId: 'alice',
      sellerId: 'bob',
      asset: 'BTC',
      amount: '0.01000000',
      payoutAddress: 'bc1qpayout',
    });
    const alerts = ofRule(evaluateKyt(facts([payout], { riskAddresses, hops })), 'mixer_exposure');
    expect(alerts.map((alert) => [alert.partyId, alert.level, alert.exposure])).toEqual([
      ['alice', 'MEDIUM', 'INDIRECT'],
    ]);
  });

  it('darknet and scam lists fire their own rules; clean addresses fire nothing', () => {
    const trades = [
      trade({ buyerId: 'alice', sellerId: 'bob', payoutAddress: 'bc1qdarknet' }),
      trade({ buyerId: 'carol', sellerId: 'dave', depositAddress: 'TScam' }),
      trade({ buyerId: 'carol', sellerId: 'dave', depositAddress: 'TClean', payoutAddress: 'TAlsoClean' }),
    ];
    const alerts = evaluateKyt(facts(trades, { riskAddresses, hops }));
    expect(alerts.map((alert) => [alert.ruleId, alert.partyId, alert.level])).toEqual([
      ['darknet_exposure', 'alice', 'SEVERE'],
      ['scam_exposure', 'dave', 'HIGH'],
    ]);
  });
});

describe('structuring', () => {
  const nearThreshold = (at: string) =>
    trade({ buyerId: 'alice', sellerId: 'bob', at, usdCents: 9_850_00, amount: '9850.000000' });

  it('five trades just under 10,000 USD within 48 h are one HIGH alert listing the amounts', () => {
    const trades = [0, 6, 12, 30, 47].map((h) => nearThreshold(hours(h)));
    const alerts = ofRule(evaluateKyt(facts(trades)), 'structuring');
    // Both sides of each trade are watched; the buyer's alert is the one of interest here.
    const alice = alerts.find((alert) => alert.partyId === 'alice');
    expect(alice).toMatchObject({
      level: 'HIGH',
      tradeIds: trades.map((t) => t.id),
      windowStart: hours(0),
      windowEnd: hours(47),
    });
    expect(alice?.details).toContain('5 trades worth just under the $10,000.00 reporting threshold');
    expect(alice?.details).toContain('$9,850.00');
  });

  it('does not fire for trades spread wider than the window, or at or above the threshold, or far below it', () => {
    const spread = [0, 49, 98].map((h) => nearThreshold(hours(h)));
    const atThreshold = [1, 2, 3].map((h) =>
      trade({ buyerId: 'carol', sellerId: 'dave', at: hours(h), usdCents: 10_000_00 }),
    );
    const farBelow = [1, 2, 3].map((h) =>
      trade({ buyerId: 'erin', sellerId: 'dave', at: hours(h), usdCents: 5_000_00 }),
    );
    expect(ofRule(evaluateKyt(facts([...spread, ...atThreshold, ...farBelow])), 'structuring')).toEqual([]);
  });
});

describe('velocity', () => {
  it('twelve trades in a day is MEDIUM; eleven spread over two days is nothing', () => {
    const busy = Array.from({ length: 12 }, (_, i) =>
      trade({ buyerId: 'alice', sellerId: i % 2 ? 'bob' : 'carol', at: hours(i * 2) }),
    );
    const alerts = ofRule(evaluateKyt(facts(busy)), 'velocity');
    expect(alerts.map((alert) => [alert.partyId, alert.level])).toEqual([['alice', 'MEDIUM']]);
    expect(alerts[0]?.details).toContain('12 trades worth $6,000.00 in all with 2 counterparties');

    const calm = Array.from({ length: 11 }, (_, i) =>
      trade({ buyerId: 'dave', sellerId: 'erin', at: hours(i * 5) }),
    );
    expect(ofRule(evaluateKyt(facts(calm)), 'velocity')).toEqual([]);
  });
});

describe('new account trading high value', () => {
  it('a 10-day-old account trading 25,000 USD is HIGH; an old account or a small trade is nothing', () => {
    const newcomer = party('nina', days(-10));
    const big = trade({ buyerId: 'nina', sellerId: 'bob', usdCents: 25_000_00, caseId: 'DSP-9' });
    const small = trade({ buyerId: 'nina', sellerId: 'bob', at: hours(1), usdCents: 900_00 });
    const veteranBig = trade({ buyerId: 'alice', sellerId: 'bob', usdCents: 25_000_00 });
    const alerts = ofRule(
      evaluateKyt({
        trades: [big, small, veteranBig],
        parties: [...PARTIES, newcomer],
        riskAddresses: [],
        hops: [],
      }),
      'new_account_high_value',
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ partyId: 'nina', level: 'HIGH', caseId: 'DSP-9', tradeIds: [big.id] });
    expect(alerts[0]?.details).toContain('10 days later, traded');
  });
});

describe('rapid in-out', () => {
  it('buying 1 BTC and selling 0.9 of it 10 minutes later is HIGH; after two hours it is nothing', () => {
    const buy = trade({
      buyerId: 'alice',
      sellerId: 'bob',
      asset: 'BTC',
      amount: '1.00000000',
      at: minutes(0),
    });
    const sell = trade({
      buyerId: 'carol',
      sellerId: 'alice',
      asset: 'BTC',
      amount: '0.90000000',
      at: minutes(10),
    });
    const alerts = ofRule(evaluateKyt(facts([buy, sell])), 'rapid_in_out');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ partyId: 'alice', level: 'HIGH', tradeIds: [buy.id, sell.id] });
    expect(alerts[0]?.details).toContain('10 minutes later');

    const slowBuy = trade({
      buyerId: 'dave',
      sellerId: 'bob',
      asset: 'BTC',
      amount: '1.00000000',
      at: minutes(0),
    });
    const slowSell = trade({
      buyerId: 'carol',
      sellerId: 'dave',
      asset: 'BTC',
      amount: '1.00000000',
      at: minutes(120),
    });
    const smallSell = trade({
      buyerId: 'carol',
      sellerId: 'erin',
      asset: 'BTC',
      amount: '0.10000000',
      at: minutes(5),
    });
    const erinBuy = trade({
      buyerId: 'erin',
      sellerId: 'bob',
      asset: 'BTC',
      amount: '1.00000000',
      at: minutes(1),
    });
    expect(ofRule(evaluateKyt(facts([slowBuy, slowSell, erinBuy, smallSell])), 'rapid_in_out')).toEqual([]);
  });
});

describe('circular trading', () => {
  it('two accounts selling to each other back and forth raise an alert on both', () => {
    const trades = [0, 1, 2, 3].map((d) =>
      trade({ buyerId: d % 2 ? 'alice' : 'bob', sellerId: d % 2 ? 'bob' : 'alice', at: days(d) }),
    );
    const alerts = ofRule(evaluateKyt(facts(trades)), 'circular_trading');
    expect(alerts.map((alert) => [alert.partyId, alert.level])).toEqual([
      ['alice', 'MEDIUM'],
      ['bob', 'MEDIUM'],
    ]);
    expect(alerts[0]?.details).toContain('2 round trips');
  });

  it('one-way trades between the same two accounts are not circular', () => {
    const trades = [0, 1, 2, 3].map((d) => trade({ buyerId: 'alice', sellerId: 'bob', at: days(d) }));
    expect(ofRule(evaluateKyt(facts(trades)), 'circular_trading')).toEqual([]);
  });
});

describe('one instrument, different people', () => {
  it('the same receipt uploaded by two buyers alerts each of them, linked to their own case', () => {
    const sha = 'a'.repeat(64);
    const first = trade({ buyerId: 'alice', sellerId: 'bob', receiptSha256s: [sha], caseId: 'DSP-1' });
    const second = trade({
      buyerId: 'carol',
      sellerId: 'dave',
      receiptSha256s: [sha],
      caseId: 'DSP-2',
      at: hours(3),
    });
    const alerts = ofRule(evaluateKyt(facts([first, second])), 'shared_receipt');
    expect(alerts.map((alert) => [alert.partyId, alert.caseId, alert.level])).toEqual([
      ['alice', 'DSP-1', 'HIGH'],
      ['carol', 'DSP-2', 'HIGH'],
    ]);
    expect(alerts[0]?.details).toContain(`sha256 ${sha}`);
  });

  it('one buyer re-using their own receipt is not two people', () => {
    const sha = 'b'.repeat(64);
    const trades = [0, 1].map((h) =>
      trade({ buyerId: 'alice', sellerId: 'bob', receiptSha256s: [sha], at: hours(h) }),
    );
    expect(ofRule(evaluateKyt(facts(trades)), 'shared_receipt')).toEqual([]);
  });

  it('one receiving account given by three sellers is HIGH', () => {
    const trades = ['bob', 'dave', 'erin'].map((sellerId, i) =>
      trade({ buyerId: 'alice', sellerId, payoutAccount: 'ES91 2100 0418 4502 0005 1332', at: hours(i) }),
    );
    const alerts = ofRule(evaluateKyt(facts(trades)), 'shared_payout_account');
    expect(alerts.map((alert) => [alert.partyId, alert.level])).toEqual([
      ['bob', 'HIGH'],
      ['dave', 'HIGH'],
      ['erin', 'HIGH'],
    ]);
    const single = [trade({ buyerId: 'alice', sellerId: 'bob', payoutAccount: 'solo' })];
    expect(ofRule(evaluateKyt(facts(single)), 'shared_payout_account')).toEqual([]);
  });
});

describe('dispute-loss ratio', () => {
  it('losing 3 of 4 decided disputes is HIGH; 1 of 3 is nothing; fewer than 3 decided is not judged', () => {
    const losses = [
      trade({ buyerId: 'alice', sellerId: 'bob', disputeLoser: 'buyer' }),
      trade({ buyerId: 'alice', sellerId: 'carol', disputeLoser: 'buyer' }),
      trade({ buyerId: 'dave', sellerId: 'alice', disputeLoser: 'seller' }),
      trade({ buyerId: 'alice', sellerId: 'erin', disputeLoser: 'seller' }),
    ];
    const alerts = ofRule(evaluateKyt(facts(losses)), 'dispute_loss_ratio');
    expect(alerts.map((alert) => [alert.partyId, alert.level])).toEqual([['alice', 'HIGH']]);
    expect(alerts[0]?.details).toContain('lost 3 of 4 decided disputes (75%)');
  });
});

describe('re-running the engine', () => {
  it('gives the same dedupe keys, every key once, and keeps earlier windows when newer trades arrive', () => {
    const trades = [
      ...[0, 6, 12, 30, 47].map((h) =>
        trade({ buyerId: 'alice', sellerId: 'bob', at: hours(h), usdCents: 9_900_00 }),
      ),
      ...Array.from({ length: 12 }, (_, i) => trade({ buyerId: 'carol', sellerId: 'dave', at: hours(i) })),
      trade({ buyerId: 'erin', sellerId: 'bob', depositAddress: 'TSanctioned' }),
    ];
    const riskAddresses = [
      { address: 'TSanctioned', category: 'sanctions' as const, source: 'OFAC SDN list' },
    ];
    const first = evaluateKyt(facts(trades, { riskAddresses }));
    const again = evaluateKyt(facts([...trades].reverse(), { riskAddresses }));
    expect(again).toEqual(first);
    const keys = first.map((alert) => alert.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);

    const later = trade({ buyerId: 'carol', sellerId: 'dave', at: days(5) });
    const grown = evaluateKyt(facts([...trades, later], { riskAddresses })).map((alert) => alert.dedupeKey);
    expect(grown).toEqual(expect.arrayContaining(keys));
  });
});
