// A seller's release racing an agent's verdict on the same escrow, in separate OS processes: two platform
// servers (the real CLI, each its own Node process with its own connection) on one data folder, as a
// deployment with two API nodes behind a load balancer runs. Each round the release is POSTed to one node
// as a signed platform event and the agent's verdict to the other over HTTP, both sent in the same tick;
// which node gets which alternates by round. SQLite's write lock serialises the two transactions and the
// ledger's conditional UPDATE decides who moves the escrow: every round exactly one of them does, the
// other gets its documented 409, the ledger balances and the audit chain verifies (README "Platform
// events", release and cancel). The release happened on the exchange before the dispute opened (it
// arrived late), so it is allowed while the escrow is held and really contends with the verdict.
//
// The thread variant (platform-race.test.ts) races the two transactions tighter (a shared-memory gate);
// this one proves the same over the real HTTP routes, between processes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/server/audit/chain';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { claimCase } from '../../electron/server/cases/claim';
import { defaultConfig } from '../../electron/server/config';
import { createContext } from '../../electron/server/context';
import { openDatabase, type Db } from '../../electron/server/db/open';
import { checkLedger } from '../../electron/server/ledger/escrow';
import { receivePlatformEvent } from '../../electron/server/platform/ingest';
import { DATABASE_FILE } from '../../electron/server/start';
import { event, sendRaw, tradeOpened, type Delivery } from './fixtures/platform-events';
import { addUser, PLATFORM_TEST_SECRET, tempDir, type TestUser } from './harness';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(PROJECT_ROOT, 'electron/server/cli.ts');
const ROUNDS = 80;

let dir: string;
const children: ChildProcess[] = [];

/** One API node: the server CLI on the shared data folder, resolved once it prints its address. */
function startNode(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--data', dir, '--log-level', 'warn'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PLATFORM_EVENTS_SECRET: PLATFORM_TEST_SECRET, PLATFORM_OUTBOUND_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) resolve(match[0]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Closes a node as an operator would (SIGTERM: it finishes, flushes its signed head and exits 0). */
function stopNode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

interface Round {
  round: number;
  tradeId: string;
  caseId: string;
  agent: TestUser;
  release: string;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/**
 * Written straight into the store before the nodes start, on the real clock they run on: per round a
 * trade opened an hour ago, disputed 20 minutes ago and claimed by an agent of its own (a TOTP code is
 * good once per user), and the late release of minute 30.
 */
function prepareDataFolder(): { rounds: Round[]; supervisor: TestUser } {
  dir = tempDir('dd-platform-race-');
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  const ctx = createContext(db, defaultConfig({ dataDir: dir, logLevel: 'silent', platformEventsSecrets: [PLATFORM_TEST_SECRET] }));
  const deliver = (body: unknown, id: string) => {
    const answer = receivePlatformEvent(ctx, id, Buffer.from(JSON.stringify(body)));
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { caseId: string };
  };
  const rounds = Array.from({ length: ROUNDS }, (_, i): Round => {
    const round = i + 1;
    const opened = tradeOpened(minutesAgo(60));
    const { tradeId } = opened.data;
    deliver(opened, `msg_open_${round}`);
    const { caseId } = deliver(
      event('dispute.opened', minutesAgo(20), { tradeId, openedBy: 'buyer', reason: 'El vendedor no libera.' }),
      `msg_dispute_${round}`,
    );
    const agent = addUser(ctx, 'agent', `race-agent-${round}`);
    ctx.write(() => claimCase(ctx, agent, caseId));
    const release = JSON.stringify(event('trade.released', minutesAgo(30), { tradeId }));
    return { round, tradeId, caseId, agent, release };
  });
  const supervisor = addUser(ctx, 'supervisor', 'race-supervisor');
  ctx.checkpoints.flush();
  db.close();
  return { rounds, supervisor };
}

async function postVerdict(node: string, { agent, caseId, round }: Round): Promise<Delivery> {
  const response = await fetch(`${node}/v1/cases/${caseId}/verdict`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json', 'idempotency-key': `race-${round}` },
    body: JSON.stringify({
      outcome: 'refund',
      reasonCode: 'payment_not_received',
      rationale: 'Race contender: the seller shows no payment arrived.',
      totp: totpCodeAt(agent.totpSecret, new Date()),
    }),
  });
  return { status: response.status, body: await response.json() };
}

let nodes: string[];
let prepared: ReturnType<typeof prepareDataFolder>;
let reader: Db;

beforeAll(async () => {
  prepared = prepareDataFolder();
  nodes = await Promise.all([startNode(), startNode()]);
  reader = openDatabase(path.join(dir, DATABASE_FILE));
}, 60_000);

afterAll(async () => {
  reader?.close();
  await Promise.all(children.splice(0).map(stopNode));
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = <T>(sql: string, ...args: unknown[]) => reader.prepare(sql).get(...args) as T;

describe('a seller’s release racing an agent’s verdict on one escrow, in two server processes', () => {
  it(`exactly one moves it, ${ROUNDS} rounds over; the loser gets its 409, the ledger balances, the chain verifies`, async () => {
    const [nodeA, nodeB] = nodes as [string, string];
    const wins = { release: 0, verdict: 0 };
    for (const round of prepared.rounds) {
      // Alternate which node takes which side, so that neither process's own pace decides the winners.
      const [releaseNode, verdictNode] = round.round % 2 === 0 ? [nodeA, nodeB] : [nodeB, nodeA];
      // The verdict's route does more before its write (session, code, case) than the event's: a head start
      // of 0 to 2 ms lets either side arrive first at the write lock in some rounds.
      const headStart = round.round % 3;
      const sendRelease = () => sendRaw(releaseNode, round.release, { id: `msg_release_${round.round}`, now: new Date() });
      const [verdict, release] = await Promise.all([
        postVerdict(verdictNode, round),
        headStart === 0 ? sendRelease() : delay(headStart).then(sendRelease),
      ]);
      const escrow = read<{ state: string }>('SELECT state FROM escrows WHERE trade_id = ?', round.tradeId).state;
      const executed = read<{ n: number }>("SELECT COUNT(*) AS n FROM verdicts WHERE case_id = ? AND state = 'executed'", round.caseId).n;
      const moves = read<{ n: number }>(
        "SELECT COUNT(DISTINCT movement_id) AS n FROM ledger_entries WHERE escrow_id = ? AND kind <> 'lock'",
        `ESC-${round.tradeId}`,
      ).n;
      const where = `round ${round.round}: ${JSON.stringify({ release, verdict, escrow })}`;
      expect(moves, where).toBe(1);
      if (release.status === 200) {
        wins.release++;
        expect(release.body, where).toMatchObject({ status: 'applied', caseId: round.caseId });
        expect([verdict.status, verdict.body.error?.code], where).toEqual([409, 'case_already_resolved']);
        expect([escrow, executed], where).toEqual(['released', 0]);
      } else {
        wins.verdict++;
        expect([release.status, release.body.error?.code], where).toEqual([409, 'escrow_already_settled']);
        expect(verdict.status, where).toBe(200);
        expect(verdict.body, where).toMatchObject({ case: { status: 'resolved', escrow: { state: 'refunded' } } });
        expect([escrow, executed], where).toEqual(['refunded', 1]);
      }
      expect(read<{ status: string }>('SELECT status FROM cases WHERE id = ?', round.caseId).status, where).toBe('resolved');
      expect(checkLedger(reader), where).toEqual({ balanced: true, problems: [] });
      expect(verifyAuditChain(reader), where).toMatchObject({ ok: true, firstBad: null });
    }
    console.info(`platform race between processes: the release won ${wins.release}, the verdict ${wins.verdict} of ${ROUNDS}`);
    expect(wins.release + wins.verdict).toBe(ROUNDS);
    // Both nodes signed checkpoints over the one chain: each node still finds the log as signed.
    for (const node of nodes) {
      const response = await fetch(`${node}/v1/audit/verify`, { headers: { authorization: `Bearer ${prepared.supervisor.token}` } });
      expect(await response.json()).toMatchObject({ ok: true, firstBad: null, problem: null });
    }
    expect(await Promise.all(children.map(stopNode))).toEqual([0, 0]);
  }, 90_000);
});
