// Exactly once where the race really happens: contenders on separate database connections in separate
// threads, released together by a shared gate; and over HTTP on a real loopback socket.
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { bundleWorker, type BundledWorker } from './fixtures/bundle-worker';
import type { RaceReport, RaceTask } from './fixtures/race-worker';
import { addCase, addUser, createTestServer, type TestServer, type TestUser } from './harness';
import {
  claim,
  escrowOf,
  expectConsistent,
  FOUR_EYES_TRADE,
  postVerdict,
  verdictInput,
} from './fixtures/case-api';

const CONTENDERS = 50;

let server: TestServer;
let agent: TestUser;
let raceWorker: BundledWorker;

beforeAll(async () => {
  raceWorker = await bundleWorker('race-worker', 'dd-race-');
});

afterAll(() => raceWorker.remove());

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

/** Starts one thread per task, waits until every one has its connection open, then opens the gate. */
async function race(
  tasks: Omit<RaceTask, 'dbFile' | 'nowIso'>[],
): Promise<Extract<RaceReport, { type: 'done' }>[]> {
  const gate = new SharedArrayBuffer(4);
  const ready: Promise<void>[] = [];
  const done = tasks.map((task) => {
    const worker = new Worker(raceWorker.file, {
      workerData: { ...task, dbFile: server.dbFile, nowIso: server.clock.now.toISOString(), gate },
    });
    let signalReady: () => void;
    ready.push(new Promise((resolve) => (signalReady = resolve)));
    return new Promise<Extract<RaceReport, { type: 'done' }>>((resolve, reject) => {
      worker.on('message', (message: RaceReport) =>
        message.type === 'ready' ? signalReady() : resolve(message),
      );
      worker.on('error', reject);
      worker.on('exit', (code) => code !== 0 && reject(new Error(`race worker exited with ${code}`)));
    });
  });
  await Promise.all(ready);
  const flag = new Int32Array(gate);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  return Promise.all(done);
}

const movements = (escrowId: string) =>
  server.ctx.db
    .prepare(
      "SELECT kind, COUNT(DISTINCT movement_id) AS n FROM ledger_entries WHERE escrow_id = ? AND kind <> 'lock' GROUP BY kind",
    )
    .all(escrowId);

describe('separate connections in separate threads', () => {
  it(`${CONTENDERS} settle transactions on one escrow, releases and refunds mixed: exactly one moves it`, async () => {
    const caseId = addCase(server.ctx);
    const escrowId = escrowOf(server, caseId).id;
    const reports = await race(
      Array.from({ length: CONTENDERS }, (_, i) => ({
        kind: 'settle' as const,
        caseId,
        escrowId,
        userId: agent.id,
        outcome: i % 2 === 0 ? ('release' as const) : ('refund' as const),
      })),
    );
    expect(reports.filter((r) => r.code !== null)).toEqual([]);
    expect(reports.filter((r) => r.won)).toHaveLength(1);
    const state = escrowOf(server, caseId).state;
    expect(['released', 'refunded']).toContain(state);
    expect(movements(escrowId)).toEqual([{ kind: state === 'released' ? 'release' : 'refund', n: 1 }]);
    expect(server.ctx.db.prepare('SELECT COUNT(*) AS n FROM verdicts').get()).toEqual({ n: 1 });
  }, 60_000);

  it(`${CONTENDERS} verdicts by the holder at once (a double submit gone wild): one executes, the rest are refused`, async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const escrowId = escrowOf(server, caseId).id;
    const reports = await race(
      Array.from({ length: CONTENDERS }, (_, i) => ({
        kind: 'verdict' as const,
        caseId,
        escrowId,
        userId: agent.id,
        outcome: i % 2 === 0 ? ('release' as const) : ('refund' as const),
      })),
    );
    expect(reports.filter((r) => r.won)).toHaveLength(1);
    expect(new Set(reports.filter((r) => !r.won).map((r) => r.code))).toEqual(
      new Set(['case_already_resolved']),
    );
    expect(movements(escrowId)).toHaveLength(1);
    const audit = server.ctx.db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'verdict.executed'")
      .get();
    expect(audit).toEqual({ n: 1 });
  }, 60_000);

  it('20 agents claim one case at once: exactly one holds it, the others get case_claimed', async () => {
    const caseId = addCase(server.ctx);
    const agents = Array.from({ length: 20 }, () => addUser(server.ctx, 'agent'));
    const reports = await race(
      agents.map((a) => ({
        kind: 'claim' as const,
        caseId,
        escrowId: '',
        userId: a.id,
        outcome: 'release' as const,
      })),
    );
    const winners = reports.flatMap((r, i) => (r.won ? [agents[i]!.id] : []));
    expect(winners).toHaveLength(1);
    expect(new Set(reports.filter((r) => !r.won).map((r) => r.code))).toEqual(new Set(['case_claimed']));
    const row = server.ctx.db.prepare('SELECT assignee_id, status FROM cases WHERE id = ?').get(caseId);
    expect(row).toEqual({ assignee_id: winners[0], status: 'in_review' });
  }, 60_000);

  it('20 supervisors approve one proposal at once: the escrow moves once', async () => {
    const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
    await claim(server, agent, caseId);
    expect((await postVerdict(server, agent, caseId, verdictInput(server, agent))).body.case.status).toBe(
      'pending_approval',
    );
    const supervisors = Array.from({ length: 20 }, () => addUser(server.ctx, 'supervisor'));
    const escrowId = escrowOf(server, caseId).id;
    const reports = await race(
      supervisors.map((s) => ({
        kind: 'approve' as const,
        caseId,
        escrowId,
        userId: s.id,
        outcome: 'release' as const,
      })),
    );
    expect(reports.filter((r) => r.won)).toHaveLength(1);
    expect(new Set(reports.filter((r) => !r.won).map((r) => r.code))).toEqual(
      new Set(['case_already_resolved']),
    );
    expect(movements(escrowId)).toEqual([{ kind: 'release', n: 1 }]);
  }, 60_000);
});

describe('over HTTP on a loopback socket', () => {
  let base: string;

  beforeEach(async () => {
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });

  async function post(user: TestUser, path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  }

  it('two supervisors approve the same proposal at once: one 200, one 409 case_already_resolved', async () => {
    const caseId = addCase(server.ctx, FOUR_EYES_TRADE);
    await claim(server, agent, caseId);
    await postVerdict(server, agent, caseId, verdictInput(server, agent));
    const [sofia, tomas] = [addUser(server.ctx, 'supervisor'), addUser(server.ctx, 'supervisor')];
    server.clock.advance(30_000);
    const answers = await Promise.all(
      [sofia, tomas].map((s) =>
        post(s, `/v1/cases/${caseId}/verdict/approve`, { totp: totpCodeAt(s.totpSecret, server.clock.now) }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error!.code).toBe('case_already_resolved');
    expect(movements(escrowOf(server, caseId).id)).toEqual([{ kind: 'release', n: 1 }]);
  });

  it('the same verdict sent twice at once under one key: both answered 200 with the same body, one move', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const body = verdictInput(server, agent);
    const headers = { 'idempotency-key': 'double-click-0001' };
    const answers = await Promise.all(
      [1, 2].map(() => post(agent, `/v1/cases/${caseId}/verdict`, body, headers)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[0]).toEqual(answers[1]);
    expect(movements(escrowOf(server, caseId).id)).toEqual([{ kind: 'release', n: 1 }]);
  });

  it('ten agents claim one case at once: one 200, nine 409 case_claimed', async () => {
    const caseId = addCase(server.ctx);
    const agents = Array.from({ length: 10 }, () => addUser(server.ctx, 'agent'));
    const answers = await Promise.all(agents.map((a) => post(a, `/v1/cases/${caseId}/claim`, {})));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409 && a.body.error!.code === 'case_claimed')).toHaveLength(9);
  });
});
