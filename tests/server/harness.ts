// Test harness for the platform server: a real SQLite file in a temp folder per test, the real Fastify app
// (requests injected, or listening on a loopback port when a test needs real sockets), and helpers to
// make users, sessions, cases and TOTP codes without going through the UI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Role } from '../../shared/domain/dispute';
import { buildServer, type BuildOptions, type BuiltServer } from '../../electron/server/app';
import { hashPasswordSync, type ScryptCost } from '../../electron/server/auth/passwords';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { createUser } from '../../electron/server/auth/users';
import { createParty, openDispute, type NewDispute } from '../../electron/server/cases/create';
import { defaultConfig, type ServerConfig } from '../../electron/server/config';
import type { ServerContext } from '../../electron/server/context';
import { openDatabase } from '../../electron/server/db/open';
import { hashToken, newOpaqueToken } from '../../electron/server/http/session';
import { raiseKytAlert } from '../../electron/server/kyt/alerts';
import { claimCase } from '../../electron/server/cases/claim';
import { placeHold } from '../../electron/server/cases/hold';
import { requestLiveness } from '../../electron/server/cases/liveness-requests';
import { postAgentMessage } from '../../electron/server/cases/messages';
import { addNote } from '../../electron/server/cases/notes';
import { issueVerdict } from '../../electron/server/cases/verdict';
import type { AuthUser } from '../../electron/server/http/session';
import { readFeedPageBytes } from '../../electron/server/feed/changes';
import type { CaseDetail, SyncPage } from '../../shared/api/types';

/** The secret test servers accept platform events under (POST /v1/platform/events). */
export const PLATFORM_TEST_SECRET = 'test-platform-events-secret-32b';

/**
 * Tests hash passwords at a cheap cost: hundreds of test users at OWASP's (0.4 s each) would take minutes.
 * Set through config.passwordHashCost, which only code can set, never a flag or the environment.
 */
export const TEST_PASSWORD_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

export const tempDir = (prefix = 'dd-test-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export interface TestServer extends BuiltServer {
  dir: string;
  dbFile: string;
  clock: { now: Date; advance(ms: number): void; set(at: Date): void };
  close(): Promise<void>;
}

/** A server on a fresh database file. Time is pinned and moves only when the test says so. */
export async function createTestServer(
  overrides: Partial<ServerConfig> = {},
  build: BuildOptions = {},
): Promise<TestServer> {
  const dir = tempDir();
  const dbFile = path.join(dir, 'platform.db');
  const clock = {
    now: new Date('2026-11-24T12:00:10.000Z'),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
    set(at: Date) {
      clock.now = at;
    },
  };
  const config = defaultConfig({ dataDir: dir, logLevel: 'silent', now: () => clock.now, passwordHashCost: TEST_PASSWORD_COST, metamapWebhookSecret: 'test-webhook-secret', platformEventsSecrets: [PLATFORM_TEST_SECRET], ...overrides });
  const db = openDatabase(dbFile);
  const built = await buildServer(db, config, build);
  return {
    ...built,
    dir,
    dbFile,
    clock,
    async close() {
      await built.app.close();
      built.ctx.checkpoints.flush();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  id: string;
  username: string;
  role: Role;
  password: string;
  totpSecret: string;
  token: string;
}

// Valid base32 secrets (20 bytes each) for test users.
const SECRETS = [
  'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK',
  'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
  'ONSWG4TFORZWK3DFONSWG4TFORZWK3DF',
  'NBSWY3DPO5XXE3DENBSWY3DPO5XXE3DE',
];
let userCounter = 0;

/** A user with a confirmed TOTP secret and a live session token (made directly in the store). */
export function addUser(ctx: ServerContext, role: Role, username = `${role}${++userCounter}`): TestUser {
  const password = `${username}-password`;
  const totpSecret = SECRETS[userCounter % SECRETS.length]!;
  const token = newOpaqueToken();
  const id = ctx.write(() => {
    const passwordHash = hashPasswordSync(password, TEST_PASSWORD_COST);
    const userId = createUser(ctx, { username, displayName: `Test ${username}`, role, password, passwordHash, totpSecret });
    const now = ctx.now();
    ctx.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now.toISOString(), new Date(now.getTime() + 3_600_000).toISOString());
    return userId;
  });
  return { id, username, role, password, totpSecret, token };
}

/** Another live session of the same user, as if they had signed in again elsewhere. */
export function addSession(ctx: ServerContext, user: TestUser): TestUser {
  const token = newOpaqueToken();
  const now = ctx.now();
  ctx.write(() =>
    ctx.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), user.id, now.toISOString(), new Date(now.getTime() + 3_600_000).toISOString()),
  );
  return { ...user, token };
}

/**
 * Moves the pinned clock on by `ms` with every session still live, as if each test user had signed in again:
 * for tests that need time to pass (a week to end) between requests of the same users.
 */
export function advanceSignedIn(server: TestServer, ms: number): void {
  server.clock.advance(ms);
  const expiresAt = new Date(server.clock.now.getTime() + 3_600_000).toISOString();
  server.ctx.db
    .prepare('UPDATE sessions SET expires_at = ?, last_used_at = ? WHERE revoked_at IS NULL')
    .run(expiresAt, server.clock.now.toISOString());
}

/**
 * A fresh code for `user`: codes are single use per step, so each call moves the pinned clock to the next
 * 30 s step first.
 */
export function freshCode(server: TestServer, user: TestUser): string {
  server.clock.advance(30_000);
  return totpCodeAt(user.totpSecret, server.clock.now);
}

let caseCounter = 0;

/** A trade between two new parties with its escrow held and an open dispute. */
export function addCase(ctx: ServerContext, overrides: Partial<NewDispute> = {}): string {
  return ctx.write(() => {
    const now = ctx.now();
    const n = ++caseCounter;
    const party = (name: string) =>
      createParty(ctx, {
        displayName: name,
        kycStatus: 'verified',
        country: 'VE',
        accountCreatedAt: new Date(now.getTime() - 400 * 86_400_000),
        tradeCount: 12,
        disputeCount: 1,
      });
    const { caseId } = openDispute(ctx, {
      caseId: `DSP-T${String(n).padStart(5, '0')}`,
      buyerId: overrides.buyerId ?? party(`Buyer ${n}`),
      sellerId: overrides.sellerId ?? party(`Seller ${n}`),
      asset: 'USDT',
      amount: '250.000000',
      fiatCurrency: 'VES',
      fiatAmount: '9125.00',
      price: '36.50',
      paymentMethod: 'Pago Móvil',
      tradeCreatedAt: new Date(now.getTime() - 3_600_000),
      paidAt: new Date(now.getTime() - 3_000_000),
      openedAt: new Date(now.getTime() - 1_800_000),
      slaDueAt: new Date(now.getTime() + 4 * 3_600_000),
      reason: 'Buyer says they paid; seller says nothing arrived.',
      openedBy: 'buyer',
      ...overrides,
    });
    return caseId;
  });
}

export const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

/** The signed-in user a route would pass on (addUser names its users `Test <username>`). */
export const signedIn = (user: TestUser): AuthUser => ({
  id: user.id,
  username: user.username,
  displayName: `Test ${user.username}`,
  role: user.role,
});

/** The cases addCasesInEachState made: one in each state the moves leave a case in. */
export interface CasesInEachState {
  /** Opened, nothing done. */
  plain: string;
  /** Claimed by the agent, with the agent's message, the supervisor's note and a liveness request for its buyer. */
  claimed: string;
  /** Held by compliance. */
  held: string;
  /** Claimed and decided by the agent (a refund). */
  decided: string;
  /** Between the claimed case's buyer and a new seller: each detail lists both parties' checks from every case. */
  sameParty: string;
}

/** A case in each state the moves leave a case in, for the read model's tests. */
export function addCasesInEachState(
  ctx: ServerContext,
  users: { agent: TestUser; compliance: TestUser; supervisor: TestUser },
): CasesInEachState {
  const { agent, compliance, supervisor } = users;
  const [plain, claimed, held, decided] = [addCase(ctx), addCase(ctx), addCase(ctx), addCase(ctx)];
  const { buyer_id: buyerOfClaimed } = ctx.db
    .prepare('SELECT t.buyer_id FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?')
    .get(claimed) as { buyer_id: string };
  const sameParty = addCase(ctx, { buyerId: buyerOfClaimed });
  ctx.write(() => {
    claimCase(ctx, agent, claimed);
    postAgentMessage(ctx, signedIn(agent), claimed, { body: 'Please send the receipt.' });
    addNote(ctx, signedIn(supervisor), claimed, 'Watch this one.');
    requestLiveness(ctx, signedIn(agent), claimed, buyerOfClaimed);
    placeHold(ctx, compliance, held, 'KYT review');
    claimCase(ctx, agent, decided);
    issueVerdict(ctx, agent, decided, { outcome: 'refund', reasonCode: 'payment_not_received', rationale: 'No payment.' });
  });
  return { plain, claimed, held, decided, sameParty };
}

/** A HIGH KYT alert on the case's seller, raised by hand as transaction monitoring would. */
export function addAlert(ctx: ServerContext, caseId: string, id: string): string {
  ctx.write(() => {
    const { seller_id: sellerId } = ctx.db
      .prepare('SELECT t.seller_id FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?')
      .get(caseId) as { seller_id: string };
    raiseKytAlert(ctx.db, {
      id,
      caseId,
      partyId: sellerId,
      rule: 'Darknet market exposure',
      level: 'HIGH',
      score: 0.8,
      category: 'darknet market',
      exposure: 'INDIRECT',
      asset: 'USDT',
      amount: '250.000000',
      details: 'test alert',
      createdAt: ctx.now(),
    });
  });
  return id;
}

/** The page /v1/sync sends (readFeedPageBytes), read back. */
export function readFeedPage(ctx: ServerContext, after: number, limit: number): SyncPage | null {
  const bytes = readFeedPageBytes(ctx, after, limit);
  return bytes && (JSON.parse(bytes.toString('utf8')) as SyncPage);
}

/**
 * The case as /v1/sync serves its newest feed row: the feed keeps only which case changed, and the page
 * reads the detail. Throws when the case has no feed row (a change that never reached the desks).
 */
export function latestFeedDetail(ctx: ServerContext, caseId: string): CaseDetail {
  const row = ctx.db
    .prepare("SELECT seq FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq DESC LIMIT 1")
    .get(caseId) as { seq: number } | undefined;
  if (!row) throw new Error(`the feed has no row for ${caseId}`);
  const change = readFeedPage(ctx, row.seq - 1, 1)?.changes[0];
  if (change?.id !== caseId) throw new Error(`the feed row ${row.seq} was not served for ${caseId}`);
  return change.data;
}

/** The version the case's newest feed row recorded. */
export const latestFeedVersion = (ctx: ServerContext, caseId: string): number =>
  (
    ctx.db
      .prepare("SELECT version FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq DESC LIMIT 1")
      .get(caseId) as { version: number }
  ).version;
