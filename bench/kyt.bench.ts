// KYT monitor benchmarks (issue #8): the rules engine over every trade of the load seed, and the loading
// of its facts, each beside a plain SELECT of the same trades; and the cost of monitoring a trade as it is
// recorded, beside recording it without the monitor. Same data, same run.
import { recordTrade, type NewTrade } from '../electron/server/cases/create';
import { usdCentsOf } from '../electron/server/cases/usd';
import { defaultConfig } from '../electron/server/config';
import { evaluateKyt } from '../electron/server/kyt/engine/evaluate';
import type { KytFacts } from '../electron/server/kyt/engine/types';
import { loadAllKytFacts } from '../electron/server/sql/kyt-facts';
import { startServer, type RunningServer } from '../electron/server/start';
import { compare, timed, type Comparison } from './measure';

/** The trades as a plain SELECT reads them: the floor any loading of facts stands on. */
function selectTrades(server: RunningServer): number {
  const rows = server.ctx.db.prepare('SELECT * FROM trades').all();
  return rows.length;
}

async function benchEngine(server: RunningServer): Promise<Comparison[]> {
  const { ctx } = server;
  let facts: KytFacts | null = null;
  let selected = 0;
  const usdCents = (currency: string, fiatMinor: bigint) => Number(usdCentsOf(ctx.config, currency, fiatMinor));
  // Warm both paths once (statement compilation, page cache), then measure.
  loadAllKytFacts(ctx.db, usdCents);
  selectTrades(server);
  const loadSeconds = await timed(() => {
    facts = loadAllKytFacts(ctx.db, usdCents);
  });
  const selectSeconds = await timed(() => {
    selected = selectTrades(server);
  });
  const loaded = facts as unknown as KytFacts;
  let candidates = 0;
  const engineSeconds = await timed(() => {
    candidates = evaluateKyt(loaded).length;
  });
  const trades = loaded.trades.length;
  return [
    compare(
      'KYT rules engine',
      { name: `evaluateKyt, all 12 rules over ${trades} trades (${candidates} candidates)`, value: trades / engineSeconds, unit: 'trades/s' },
      { name: `plain SELECT * FROM trades (${selected} rows)`, value: selected / selectSeconds, unit: 'rows/s' },
      `Engine ${engineSeconds.toFixed(2)} s, SELECT ${selectSeconds.toFixed(2)} s.`,
    ),
    compare(
      'KYT facts loading',
      { name: `loadAllKytFacts: trades with cases, verdicts, receipts, parties, risk list, hops (${trades} trades)`, value: trades / loadSeconds, unit: 'trades/s' },
      { name: `plain SELECT * FROM trades (${selected} rows)`, value: selected / selectSeconds, unit: 'rows/s' },
      `Loading ${loadSeconds.toFixed(2)} s.`,
    ),
  ];
}

/** Recording trades one write each, with the monitor over the new trade's parties or without it. */
async function benchRecording(server: RunningServer, count: number): Promise<Comparison> {
  const { ctx } = server;
  const [buyerId, sellerId] = (
    ctx.db.prepare("SELECT id FROM parties WHERE id >= 'PTY-2' ORDER BY id LIMIT 2").all() as { id: string }[]
  ).map((row) => row.id);
  if (!buyerId || !sellerId) throw new Error('The load seed has no parties to trade');
  const trade = (index: number, monitored: boolean): NewTrade => ({
    tradeId: `TRD-BENCH-${monitored ? 'M' : 'P'}${index}`,
    // Alternate pairs so that neither party trades fast enough to be the velocity rule's business.
    buyerId: index % 2 === 0 ? buyerId : sellerId,
    sellerId: index % 2 === 0 ? sellerId : buyerId,
    asset: 'USDT',
    amount: '120.000000',
    fiatCurrency: 'USD',
    fiatAmount: '121.20',
    price: '1.01',
    paymentMethod: 'Zelle',
    tradeCreatedAt: new Date(Date.now() - (count * 2 - index) * 3_600_000 * 12),
    paidAt: null,
  });
  const plainSeconds = await timed(() => {
    for (let i = 0; i < count; i++) ctx.write(() => recordTrade(ctx, trade(i, false), { monitor: false }));
  });
  const monitoredSeconds = await timed(() => {
    for (let i = 0; i < count; i++) ctx.write(() => recordTrade(ctx, trade(i, true), { monitor: true }));
  });
  return compare(
    'trade recorded with the KYT monitor',
    { name: `recordTrade + incremental monitor run, one write each (${count})`, value: count / monitoredSeconds, unit: 'trades/s' },
    { name: `recordTrade without the monitor, one write each (${count})`, value: count / plainSeconds, unit: 'trades/s' },
    'The incremental run loads only the new trade’s parties (and whoever shares an instrument with them).',
  );
}

export async function runKytBenchmarks(dataDir: string, loadCases: number): Promise<Comparison[]> {
  let server: RunningServer | null = null;
  const seedSeconds = await timed(async () => {
    server = await startServer(defaultConfig({ dataDir, seed: 'load', loadCases, logLevel: 'silent' }));
  });
  const running = server as unknown as RunningServer;
  try {
    const trades = (running.ctx.db.prepare('SELECT COUNT(*) AS n FROM trades').get() as { n: number }).n;
    const results = [...(await benchEngine(running)), await benchRecording(running, 200)];
    return results.map((result) => ({
      ...result,
      notes: `${result.notes ?? ''} Load seed of ${loadCases} cases (${trades} trades, monitor run included): ${seedSeconds.toFixed(1)} s.`.trim(),
    }));
  } finally {
    await running.close();
  }
}
