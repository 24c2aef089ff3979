// A seller's release racing an agent's verdict on the same escrow, each on its own database connection in
// its own thread, released together by a shared gate, many rounds over: exactly one of them moves the
// escrow, the other is refused, and the ledger balances. The release happened on the exchange before the
// dispute opened (it arrived late), so it is allowed while the escrow is held: the ledger's conditional
// UPDATE alone decides who wins (README "Platform events", trade.released). The same race between two
// server processes on one database, over the real HTTP routes, is platform-race-processes.test.ts; this
// one races the two transactions tighter than HTTP can.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCase } from '../../electron/server/cases/claim';
import { receivePlatformEvent } from '../../electron/server/platform/ingest';
import { bundleWorker, type BundledWorker } from './fixtures/bundle-worker';
import { expectConsistent } from './fixtures/case-api';
import { event, tradeOpened } from './fixtures/platform-events';
import type { SettlementRaceReport, SettlementRaceTask } from './fixtures/settlement-race-worker';
import { addUser, createTestServer, type TestServer } from './harness';

const ROUNDS = 60;

let server: TestServer;
let settlementWorker: BundledWorker;

beforeAll(async () => {
  settlementWorker = await bundleWorker('settlement-race-worker', 'dd-settlement-race-');
  server = await createTestServer();
});

afterAll(async () => {
  await server?.close();
  settlementWorker.remove();
});

/** A thread playing its side of every round; its reports arrive in order, one `ready` and one `done` a round. */
function contender(gate: SharedArrayBuffer, tasks: SettlementRaceTask[]) {
  const worker = new Worker(settlementWorker.file, { workerData: { dbFile: server.dbFile, gate, tasks } });
  const reports: SettlementRaceReport[] = [];
  const waiting: ((report: SettlementRaceReport) => void)[] = [];
  let failure: Error | null = null;
  worker.on('message', (report: SettlementRaceReport) => {
    const waiter = waiting.shift();
    if (waiter) waiter(report);
    else reports.push(report);
  });
  worker.on('error', (error) => (failure = error));
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  return {
    next(): Promise<SettlementRaceReport> {
      if (failure) return Promise.reject(failure);
      const queued = reports.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
    exited,
  };
}

/** A trade opened an hour ago, disputed 20 minutes ago, its case claimed by the agent. */
function disputedTrade(agentId: string, round: number) {
  const { ctx } = server;
  const minutesAgo = (minutes: number) => new Date(ctx.now().getTime() - minutes * 60_000);
  const opened = tradeOpened(minutesAgo(60));
  const tradeId = opened.data.tradeId;
  const deliver = (body: unknown, id: string) => {
    const answer = receivePlatformEvent(ctx, id, Buffer.from(JSON.stringify(body)));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { caseId: string };
  };
  deliver(opened, `msg_open_${round}`);
  const { caseId } = deliver(
    event('dispute.opened', minutesAgo(20), { tradeId, openedBy: 'buyer', reason: 'El vendedor no libera.' }),
    `msg_dispute_${round}`,
  );
  ctx.write(() => claimCase(ctx, { id: agentId }, caseId));
  // The seller released at minute 30, before the dispute; the exchange's delivery of it is late.
  const release = JSON.stringify(event('trade.released', minutesAgo(30), { tradeId }));
  return { tradeId, caseId, release };
}

const read = <T>(sql: string, ...args: unknown[]) => server.ctx.db.prepare(sql).get(...args) as T;

describe('a seller’s release racing an agent’s verdict on one escrow, in separate threads', () => {
  it(`exactly one moves it, ${ROUNDS} rounds over; the ledger balances`, async () => {
    const agent = addUser(server.ctx, 'agent');
    const nowIso = server.clock.now.toISOString();
    const rounds = Array.from({ length: ROUNDS }, (_, i) => ({ round: i + 1, ...disputedTrade(agent.id, i + 1) }));
    const gate = new SharedArrayBuffer(4);
    const flag = new Int32Array(gate);
    const releaser = contender(
      gate,
      rounds.map(({ round, release }) => ({ kind: 'release', round, nowIso, eventId: `msg_release_${round}`, body: release })),
    );
    const judge = contender(
      gate,
      rounds.map(({ round, caseId }) => ({ kind: 'verdict', round, nowIso, caseId, agentId: agent.id })),
    );
    const wins = { release: 0, verdict: 0 };
    for (const { round, tradeId, caseId } of rounds) {
      await Promise.all([releaser.next(), judge.next()]);
      Atomics.store(flag, 0, round);
      Atomics.notify(flag, 0);
      const [releaseReport, verdictReport] = await Promise.all([releaser.next(), judge.next()]);
      const escrow = read<{ state: string }>('SELECT state FROM escrows WHERE trade_id = ?', tradeId).state;
      const verdicts = read<{ n: number }>("SELECT COUNT(*) AS n FROM verdicts WHERE case_id = ? AND state = 'executed'", caseId).n;
      const moves = read<{ n: number }>(
        "SELECT COUNT(DISTINCT movement_id) AS n FROM ledger_entries WHERE escrow_id = ? AND kind <> 'lock'",
        `ESC-${tradeId}`,
      ).n;
      const where = `round ${round}: ${JSON.stringify({ releaseReport, verdictReport, escrow })}`;
      expect(moves, where).toBe(1);
      if (releaseReport.type !== 'done' || verdictReport.type !== 'done') throw new Error(where);
      if (releaseReport.status === 200) {
        wins.release++;
        expect(verdictReport.code, where).toBe('case_already_resolved');
        expect([escrow, verdicts], where).toEqual(['released', 0]);
      } else {
        wins.verdict++;
        expect([releaseReport.status, releaseReport.code, verdictReport.code], where).toEqual([409, 'escrow_already_settled', null]);
        expect([escrow, verdicts], where).toEqual(['refunded', 1]);
      }
      expect(read<{ status: string }>('SELECT status FROM cases WHERE id = ?', caseId).status, where).toBe('resolved');
    }
    expect(await Promise.all([releaser.exited, judge.exited])).toEqual([0, 0]);
    expect(wins.release + wins.verdict).toBe(ROUNDS);
    expectConsistent(server);
  }, 120_000);
});
