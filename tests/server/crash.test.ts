// A verdict answered 200 survives `kill -9`: the real server CLI runs as a child process, verdicts stream
// in, the process is killed mid-stream and restarted on the same data folder. Afterwards the ledger
// balances, the audit chain verifies, every answered verdict is there with its escrow moved, and a
// verdict the client never heard back about can be retried under its key without moving anything twice.
// Verdicts answered together share one sync of the WAL (group commit, db/group-commit.ts): the second run
// keeps many in flight so that the kill lands while a batch is being synced. (kill -9 keeps the kernel's page
// cache, so that no answer leaves before its sync is group-commit.test.ts's part.)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/server/audit/chain';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { claimCase } from '../../electron/server/cases/claim';
import { defaultConfig } from '../../electron/server/config';
import { createContext } from '../../electron/server/context';
import { openDatabase } from '../../electron/server/db/open';
import { checkLedger } from '../../electron/server/ledger/escrow';
import { DATABASE_FILE } from '../../electron/server/start';
import { addCase, addUser, tempDir, type TestUser } from './harness';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(PROJECT_ROOT, 'electron/server/cli.ts');
interface Stream {
  verdicts: number;
  inFlight: number;
  killAfterAnswers: number;
}

const children: ChildProcess[] = [];
let dir: string;

afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** Starts the server CLI on the data folder and resolves once it prints its address. */
function startServerProcess(): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, '--port', '0', '--data', dir, '--log-level', 'warn'],
    {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[0], exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

interface Submission {
  agent: TestUser;
  caseId: string;
  key: string;
  body: { outcome: 'release' | 'refund'; reasonCode: string; rationale: string; totp: string };
  sent: boolean;
  answer?: { status: number; body: { case: { status: string; escrow: { state: string } } } };
}

async function send(url: string, submission: Submission) {
  const response = await fetch(`${url}/v1/cases/${submission.caseId}/verdict`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${submission.agent.token}`,
      'content-type': 'application/json',
      'idempotency-key': submission.key,
    },
    body: JSON.stringify(submission.body),
  });
  return { status: response.status, body: await response.json() };
}

/** Users, sessions and claimed cases, written straight into the store the server will open. */
function prepareDataFolder(verdicts: number): Submission[] {
  dir = tempDir('dd-crash-');
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  const ctx = createContext(db, defaultConfig({ dataDir: dir, logLevel: 'silent' }));
  // One agent per verdict: the server runs on the real clock, and a TOTP code is good once per user.
  const submissions = Array.from({ length: verdicts }, (_, i): Submission => {
    const agent = addUser(ctx, 'agent', `crash-agent-${i}`);
    const caseId = addCase(ctx);
    ctx.write(() => claimCase(ctx, agent, caseId));
    return {
      agent,
      caseId,
      key: `crash-verdict-${i}`,
      body: {
        outcome: i % 2 === 0 ? 'release' : 'refund',
        reasonCode: i % 2 === 0 ? 'payment_confirmed' : 'payment_not_received',
        rationale: `Crash test verdict ${i}.`,
        totp: '',
      },
      sent: false,
    };
  });
  db.close();
  return submissions;
}

const movedState = (outcome: 'release' | 'refund') => (outcome === 'release' ? 'released' : 'refunded');

async function killMidStream({ verdicts, inFlight, killAfterAnswers }: Stream): Promise<void> {
  const submissions = prepareDataFolder(verdicts);
  const first = await startServerProcess();

  // Stream the verdicts, a few in flight at a time; kill the server once enough have been answered.
  let next = 0;
  let answered = 0;
  let killed = false;
  async function lane(): Promise<void> {
    while (!killed && next < submissions.length) {
      const submission = submissions[next++]!;
      submission.body.totp = totpCodeAt(submission.agent.totpSecret, new Date());
      submission.sent = true;
      try {
        const answer = await send(first.url, submission);
        if (answer.status === 200) answered += 1;
        submission.answer = answer;
      } catch {
        // The connection died with the server: the client never learnt the outcome.
        continue;
      }
      if (answered >= killAfterAnswers && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  await first.exited;
  expect(first.child.signalCode).toBe('SIGKILL');

  const confirmed = submissions.filter((s) => s.answer?.status === 200);
  const unanswered = submissions.filter((s) => s.sent && s.answer === undefined);
  const unsent = submissions.filter((s) => !s.sent);
  expect(confirmed.length).toBeGreaterThanOrEqual(killAfterAnswers);
  expect(submissions.filter((s) => s.answer && s.answer.status !== 200)).toEqual([]);
  expect(confirmed.length + unanswered.length + unsent.length).toBe(verdicts);

  const second = await startServerProcess();
  for (const submission of confirmed) {
    const detail = await fetch(`${second.url}/v1/cases/${submission.caseId}`, {
      headers: { authorization: `Bearer ${submission.agent.token}` },
    }).then((r) => r.json() as Promise<{ status: string; escrow: { state: string } }>);
    expect(detail.status).toBe('resolved');
    expect(detail.escrow.state).toBe(movedState(submission.body.outcome));
    // The key's stored answer survived too: the same request is answered exactly as before.
    expect(await send(second.url, submission)).toEqual(submission.answer);
  }
  // A verdict the client never heard back about, retried under its key: answered from the store if it
  // committed, refused while the dead request's lease runs, or taken now if it never got that far.
  for (const submission of unanswered) {
    const retry = await send(second.url, submission);
    const outcome = retry.status === 200 ? 'taken' : (retry.body as { error: { code: string } }).error.code;
    if (retry.status === 200) expect(retry.body.case.escrow.state).toBe(movedState(submission.body.outcome));
    expect(['taken', 'idempotency_key_in_flight', 'invalid_totp', 'totp_replayed']).toContain(outcome);
  }
  // And the restarted server goes on taking verdicts.
  for (const submission of unsent) {
    submission.body.totp = totpCodeAt(submission.agent.totpSecret, new Date());
    expect((await send(second.url, submission)).status).toBe(200);
  }
  second.child.kill('SIGTERM');
  await second.exited;

  const db = openDatabase(path.join(dir, DATABASE_FILE));
  try {
    expect(checkLedger(db)).toEqual({ balanced: true, problems: [] });
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, firstBad: null });
    // Case, escrow, verdict and audit agree for every case, answered or not.
    const rows = db
      .prepare(
        `SELECT c.id, c.status, e.state,
                (SELECT COUNT(*) FROM verdicts v WHERE v.case_id = c.id AND v.state = 'executed') AS verdicts,
                (SELECT COUNT(*) FROM audit_log a WHERE a.subject = c.id AND a.action = 'verdict.executed') AS audits
         FROM cases c JOIN escrows e ON e.id = c.escrow_id`,
      )
      .all() as { id: string; status: string; state: string; verdicts: number; audits: number }[];
    expect(rows).toHaveLength(verdicts);
    for (const row of rows) {
      const decided = row.status === 'resolved';
      expect({ id: row.id, moved: row.state !== 'held', verdicts: row.verdicts, audits: row.audits }).toEqual(
        {
          id: row.id,
          moved: decided,
          verdicts: decided ? 1 : 0,
          audits: decided ? 1 : 0,
        },
      );
    }
  } finally {
    db.close();
  }
}

it('survives kill -9 in the middle of a stream of verdicts', () =>
  killMidStream({ verdicts: 40, inFlight: 4, killAfterAnswers: 12 }), 30_000);

it('survives kill -9 while many verdicts answered together share their syncs', () =>
  killMidStream({ verdicts: 120, inFlight: 16, killAfterAnswers: 60 }), 60_000);
