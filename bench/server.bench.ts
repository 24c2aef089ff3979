// Platform server benchmarks (issue #2): the sync feed and verdict round trips, each beside a baseline
// measured on the same data in the same run.
import Database from 'better-sqlite3';
import path from 'node:path';
import { hashPasswordSync } from '../electron/server/auth/passwords';
import { totpCodeAt } from '../electron/server/auth/totp';
import { createUser } from '../electron/server/auth/users';
import { defaultConfig } from '../electron/server/config';
import { hashToken, newOpaqueToken } from '../electron/server/http/session';
import { startServer, DATABASE_FILE, type RunningServer } from '../electron/server/start';
import { compare, timed, type Comparison } from './measure';

interface Session {
  token: string;
  secret: string;
}

function addAgentWithSession(server: RunningServer, index: number): Session {
  const { ctx } = server;
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const token = newOpaqueToken();
  ctx.write(() => {
    const id = createUser(ctx, {
      username: `bench-agent-${index}`,
      displayName: `Bench agent ${index}`,
      role: 'agent',
      password: `bench-${index}-password`,
      // Cheap: these agents never sign in with it, and a hundred hashes at OWASP's cost would take 40 s.
      passwordHash: hashPasswordSync(`bench-${index}-password`, { N: 2 ** 10, r: 8, p: 1 }),
      totpSecret: secret,
    });
    const now = ctx.now();
    ctx.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), id, now.toISOString(), new Date(now.getTime() + 3_600_000).toISOString());
  });
  return { token, secret };
}

async function getJson(url: string, token?: string): Promise<unknown> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function postJson(url: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function benchSyncFeed(server: RunningServer, session: Session, dataDir: string): Promise<Comparison> {
  let changes = 0;
  const httpSeconds = await timed(async () => {
    let cursor = 0;
    for (;;) {
      const page = (await getJson(`${server.url}/v1/sync?after=${cursor}&limit=500`, session.token)) as {
        changes: unknown[];
        cursor: number;
        hasMore: boolean;
      };
      changes += page.changes.length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
  });
  const raw = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  let rawRows = 0;
  const rawSeconds = await timed(() => {
    const statement = raw.prepare('SELECT seq, type, entity_id, data FROM changes WHERE seq > ? ORDER BY seq LIMIT 500');
    let cursor = 0;
    for (;;) {
      const rows = statement.all(cursor) as { seq: number; data: string }[];
      if (rows.length === 0) break;
      for (const row of rows) JSON.parse(row.data);
      rawRows += rows.length;
      cursor = rows.at(-1)!.seq;
    }
  });
  raw.close();
  return compare(
    'sync feed',
    { name: `GET /v1/sync pages of 500 (${changes} changes)`, value: changes / httpSeconds, unit: 'changes/s' },
    { name: `raw better-sqlite3 read + JSON.parse of the same ${rawRows} rows`, value: rawRows / rawSeconds, unit: 'rows/s' },
  );
}

async function benchVerdicts(server: RunningServer, verdicts: number): Promise<Comparison> {
  const page = (await getJson(
    `${server.url}/v1/cases?status=open&limit=500`,
    addAgentWithSession(server, 0).token,
  )) as { items: { id: string; flags: { fourEyes: boolean; onHold: boolean } }[] };
  const cases = page.items.filter((item) => !item.flags.fourEyes && !item.flags.onHold).slice(0, verdicts);
  // One agent per verdict: a TOTP code is good once per user and step, and a real office has many agents.
  const agents = cases.map((_, index) => addAgentWithSession(server, index + 1));
  for (const [index, item] of cases.entries()) {
    await postJson(`${server.url}/v1/cases/${item.id}/claim`, agents[index]!.token, {});
  }
  const verdictSeconds = await timed(async () => {
    for (const [index, item] of cases.entries()) {
      const agent = agents[index]!;
      await postJson(
        `${server.url}/v1/cases/${item.id}/verdict`,
        agent.token,
        {
          outcome: index % 2 === 0 ? 'release' : 'refund',
          reasonCode: index % 2 === 0 ? 'payment_confirmed' : 'payment_not_received',
          rationale: 'Benchmark verdict.',
          totp: totpCodeAt(agent.secret, new Date()),
        },
        { 'idempotency-key': `bench-verdict-${item.id}` },
      );
    }
  });
  const healthSeconds = await timed(async () => {
    for (let i = 0; i < cases.length; i++) await getJson(`${server.url}/v1/health`);
  });
  return compare(
    'verdict round trips',
    { name: `POST /v1/cases/{id}/verdict, sequential (${cases.length})`, value: cases.length / verdictSeconds, unit: 'verdicts/s' },
    { name: `GET /v1/health on the same server (${cases.length})`, value: cases.length / healthSeconds, unit: 'requests/s' },
    'Each verdict checks a TOTP code, moves the escrow in one BEGIN IMMEDIATE transaction with synchronous=FULL, appends the audit chain and a feed row.',
  );
}

export async function runServerBenchmarks(dataDir: string, loadCases: number): Promise<Comparison[]> {
  const server = await startServer(
    defaultConfig({ dataDir, seed: 'load', loadCases, logLevel: 'silent' }),
  );
  try {
    const session = addAgentWithSession(server, 10_000);
    return [await benchSyncFeed(server, session, dataDir), await benchVerdicts(server, 100)];
  } finally {
    await server.close();
  }
}
