// The route contract (shared/api/routes.ts) against the real server on a loopback port: every entry is a
// route the server has, every entry with a body refuses a body of the wrong shape with 400
// invalid_request, and a real answer of every entry parses with the entry's response schema. Every error
// code the server can answer is one of API_ERRORS.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ERROR_CODES, API_ERRORS, isApiErrorCode } from '../../shared/api/errors';
import { EVERY_CALL_ERRORS, pathOf, ROUTES, type RouteName, type RouteSpec } from '../../shared/api/routes';
import type { Role } from '../../shared/domain/dispute';
import { isoWeekOf } from '../../shared/domain/iso-week';
import { toErrorResponse } from '../../electron/server/app';
import { payloadTooLarge } from '../../electron/server/http/body';
import { attachEvidence, putEvidence } from '../../electron/server/evidence/store';
import type { MetamapEventBody } from '../../electron/server/webhooks/payload';
import { signedMetamapDelivery } from '../../electron/server/webhooks/signature';
import { signedHeaders } from '../../electron/server/webhooks/standard-webhooks';
import { FOUR_EYES_TRADE, newKey } from './fixtures/case-api';
import { tradeOpened } from './fixtures/platform-events';
import {
  addAlert,
  addCase,
  addUser,
  advanceSignedIn,
  createTestServer,
  freshCode,
  PLATFORM_TEST_SECRET,
  type TestServer,
  type TestUser,
} from './harness';

let server: TestServer;
let base: string;
let users: { agent: TestUser; otherAgent: TestUser; compliance: TestUser; supervisor: TestUser };
const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];
/** Every error answer seen in this file, to check its code and status against API_ERRORS. */
const errorAnswers: { where: string; status: number; code: unknown }[] = [];

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);

interface Sent {
  status: number;
  contentType: string;
  body: unknown;
}

async function send(
  route: RouteSpec,
  options: {
    as?: TestUser | null;
    params?: Record<string, string>;
    query?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Sent> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as) headers.authorization = `Bearer ${options.as.token}`;
  if (route.idempotencyKey) headers['idempotency-key'] ??= newKey();
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const url = `${base}${pathOf(route, options.params)}${options.query ? `?${options.query}` : ''}`;
  const response = await fetch(url, { method: route.method, headers, body: payload });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const body: unknown = contentType.startsWith('application/json') && text ? JSON.parse(text) : undefined;
  if (response.status >= 400) {
    errorAnswers.push({
      where: `${route.method} ${route.path}`,
      status: response.status,
      code: (body as { error?: { code?: unknown } } | undefined)?.error?.code,
    });
  }
  return { status: response.status, contentType, body };
}

/** The answer is the route's success status and parses with its response schema. */
function expectContractAnswer(route: RouteSpec, answer: Sent): void {
  const where = `${route.method} ${route.path} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}`;
  expect(answer.status, where).toBe(route.status);
  const parsed = route.response.safeParse(answer.body);
  expect(parsed.success ? null : parsed.error.issues.slice(0, 3), where).toBeNull();
}

function roleOf(route: RouteSpec): Role | null {
  if (route.access === 'public' || route.access === 'webhook') return null;
  if (route.access === 'signed_in') return 'agent';
  return route.access[0]!;
}

const userFor = (route: RouteSpec) => {
  const role = roleOf(route);
  return role ? users[role] : null;
};

const partiesOf = (caseId: string) =>
  server.ctx.db
    .prepare(
      'SELECT t.buyer_id AS buyerId, t.seller_id AS sellerId FROM cases c JOIN trades t ON t.id = c.trade_id WHERE c.id = ?',
    )
    .get(caseId) as { buyerId: string; sellerId: string };

beforeAll(async () => {
  server = await createTestServer();
  users = {
    agent: addUser(server.ctx, 'agent'),
    otherAgent: addUser(server.ctx, 'agent'),
    compliance: addUser(server.ctx, 'compliance'),
    supervisor: addUser(server.ctx, 'supervisor'),
  };
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => server.close());

describe('the route contract', () => {
  it('declares each call once, with codes from the one list', () => {
    const seen = new Set<string>();
    for (const name of ROUTE_NAMES) {
      const route = ROUTES[name];
      const key = `${route.method} ${route.path}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      for (const code of [...EVERY_CALL_ERRORS, ...route.errors])
        expect(API_ERROR_CODES, `${name}: ${code}`).toContain(code);
    }
  });

  it('is what the server serves: every entry is a route of the server', () => {
    for (const name of ROUTE_NAMES) {
      const route = ROUTES[name];
      expect(
        server.app.hasRoute({ method: route.method, url: route.path }),
        `${route.method} ${route.path}`,
      ).toBe(true);
    }
  });

  it('refuses a body of the wrong shape with 400 invalid_request on every entry that takes a body', async () => {
    const caseId = addCase(server.ctx);
    const withBody = ROUTE_NAMES.filter((name) => (ROUTES[name] as RouteSpec).body !== undefined);
    expect(withBody.length).toBeGreaterThan(10);
    for (const name of withBody) {
      const route = ROUTES[name];
      for (const bad of [{ unexpected: true }, [], 'just a string']) {
        const answer = await send(route, { as: userFor(route), params: { id: caseId }, body: bad });
        const where = `${name} ${JSON.stringify(bad)} → ${answer.status} ${JSON.stringify(answer.body)}`;
        expect(answer.status, where).toBe(400);
        expect(answer.body, where).toMatchObject({ error: { code: 'invalid_request' } });
      }
    }
  });

  it('answers every entry in the shape of its response schema', async () => {
    const answered = new Set<RouteName>();
    const expectAnswer = async (name: RouteName, options: Parameters<typeof send>[1] = {}): Promise<Sent> => {
      const route = ROUTES[name];
      const answer = await send(route, { as: userFor(route), ...options });
      expectContractAnswer(route, answer);
      answered.add(name);
      return answer;
    };
    const { agent, otherAgent, compliance, supervisor } = users;

    // Health and sign-in, then the signed-in user and the sign-out of that new session.
    await expectAnswer('health');
    const login = await expectAnswer('login', {
      body: { username: agent.username, password: agent.password },
    });
    const { loginToken } = login.body as { loginToken: string };
    const session = await expectAnswer('totp', { body: { loginToken, code: freshCode(server, agent) } });
    const signedIn = { ...agent, token: (session.body as { accessToken: string }).accessToken };
    await expectAnswer('me', { as: signedIn });
    await expectAnswer('logout', { as: signedIn });

    // A plain case: read, claim, talk, ask for a Proof of Life, decide.
    const plain = addCase(server.ctx);
    await expectAnswer('listCases', { query: 'limit=5' });
    await expectAnswer('getCase', { params: { id: plain } });
    await expectAnswer('claimCase', { params: { id: plain } });
    // A message points at the case's own evidence only: the file is filed as the buyer's receipt first.
    const sha256 = server.ctx.write(() => {
      const file = putEvidence(server.ctx.db, PNG, server.clock.now);
      attachEvidence(server.ctx.db, { caseId: plain, sha256: file.sha256, kind: 'receipt', uploader: 'buyer', at: server.clock.now });
      return file.sha256;
    });
    await expectAnswer('postMessage', {
      params: { id: plain },
      body: { body: 'Please send the statement.', evidence: [sha256] },
    });
    await expectAnswer('addNote', { params: { id: plain }, body: { body: 'Receipt looks fine.' } });
    await expectAnswer('requestLiveness', {
      params: { id: plain },
      body: { partyId: partiesOf(plain).buyerId },
    });
    const verdict = (totp: string) => ({
      outcome: 'release',
      reasonCode: 'payment_confirmed',
      rationale: 'Paid in full.',
      totp,
    });
    await expectAnswer('verdict', { params: { id: plain }, body: verdict(freshCode(server, agent)) });

    // The bytes of an evidence file: no schema, its sniffed type.
    const file = await send(ROUTES.evidence, { as: agent, params: { sha256 } });
    expect(file.status).toBe(200);
    expect(file.contentType).toBe('image/png');
    answered.add('evidence');

    // A four-eyes case: proposed, rejected, proposed again, approved.
    const big = addCase(server.ctx, FOUR_EYES_TRADE);
    await expectAnswer('claimCase', { params: { id: big } });
    await expectAnswer('verdict', { params: { id: big }, body: verdict(freshCode(server, agent)) });
    await expectAnswer('rejectVerdict', {
      params: { id: big },
      body: { reason: 'Ask for the statement.', totp: freshCode(server, supervisor) },
    });
    await expectAnswer('verdict', { params: { id: big }, body: verdict(freshCode(server, agent)) });
    await expectAnswer('approveVerdict', {
      params: { id: big },
      body: { totp: freshCode(server, supervisor) },
    });

    // The decided four-eyes case's sealed dossier, as JSON and as a PDF.
    await expectAnswer('caseDossier', { as: compliance, params: { id: big } });
    const dossierPdf = await send(ROUTES.caseDossier, { as: supervisor, params: { id: big }, query: 'format=pdf' });
    expect(dossierPdf.status).toBe(ROUTES.caseDossier.status);
    expect(dossierPdf.contentType).toMatch(/^application\/pdf/);

    // Compliance holds and KYT; a supervisor's reassignment.
    const held = addCase(server.ctx);
    await expectAnswer('placeHold', { params: { id: held }, body: { reason: 'KYT review.' } });
    await expectAnswer('liftHold', {
      params: { id: held },
      body: { reason: 'Cleared.', totp: freshCode(server, compliance) },
    });
    await expectAnswer('reassignCase', {
      params: { id: held },
      body: { assigneeId: otherAgent.id, reason: 'Shift change.' },
    });
    addAlert(server.ctx, held, 'KYT-CONTRACT-1');
    await expectAnswer('listKytAlerts', { as: compliance });
    await expectAnswer('decideKytAlert', {
      params: { id: 'KYT-CONTRACT-1' },
      body: { decision: 'escalate', reason: 'Looks bad.' },
    });
    await expectAnswer('kytRules', { as: supervisor });
    await expectAnswer('listUsers', { as: supervisor, query: 'role=agent' });
    addAlert(server.ctx, held, 'KYT-CONTRACT-2');
    await expectAnswer('getKytAlert', { params: { id: 'KYT-CONTRACT-2' } });
    await expectAnswer('assignKytAlert', { params: { id: 'KYT-CONTRACT-2' }, body: {} });
    const reported = await expectAnswer('decideKytAlert', {
      params: { id: 'KYT-CONTRACT-2' },
      body: { decision: 'report', reason: 'Darknet funds.', narrative: 'Received from a darknet market.' },
    });
    const reportId = (reported.body as { reportId: string }).reportId;
    await expectAnswer('report', { as: supervisor, params: { id: reportId } });
    // The same report as a document: the bytes, with their type.
    for (const [format, type] of [
      ['pdf', 'application/pdf'],
      ['goaml', 'application/xml'],
    ] as const) {
      const document = await send(ROUTES.report, { as: compliance, params: { id: reportId }, query: `format=${format}` });
      expect(document.status).toBe(ROUTES.report.status);
      expect(document.contentType).toMatch(new RegExp(`^${type}`));
    }

    // The feed (full case details in every change), the event stream and the audit log.
    const page = await expectAnswer('sync', { query: 'after=0&limit=500' });
    expect((page.body as { changes: unknown[] }).changes.length).toBeGreaterThan(0);
    const events = new AbortController();
    const stream = await fetch(`${base}${ROUTES.events.path}`, {
      headers: { authorization: `Bearer ${agent.token}` },
      signal: events.signal,
    });
    expect(stream.status).toBe(ROUTES.events.status);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    events.abort();
    answered.add('events');
    await expectAnswer('audit', { query: 'after=0&limit=500' });
    await expectAnswer('verifyAudit');
    await expectAnswer('auditCheckpoint');
    await expectAnswer('auditCheckpoints', { query: 'after=0&limit=500' });

    // The supervisor's workspace: the verdict history (and its CSV), the figures, a week's review sample and
    // a scorecard on it (the four-eyes verdict above was approved by this supervisor, so another is scored).
    await expectAnswer('listVerdicts', { query: 'limit=5' });
    const csv = await send(ROUTES.listVerdicts, { as: supervisor, query: 'format=csv' });
    expect(csv.status).toBe(ROUTES.listVerdicts.status);
    expect(csv.contentType).toMatch(/^text\/csv/);
    await expectAnswer('verdictFigures');
    // This week is open (nothing drawn yet); a week on, it is the last ended week, drawn on reading.
    expect((await expectAnswer('reviewWeek', { query: `week=${isoWeekOf(server.clock.now)}` })).body).toMatchObject({ status: 'open' });
    advanceSignedIn(server, 7 * 86_400_000);
    const sample = await expectAnswer('reviewWeek');
    expect(sample.body).toMatchObject({ status: 'drawn' });
    const reviewable = (sample.body as { items: { id: string; canReview: boolean }[] }).items.find((item) => item.canReview)!;
    await expectAnswer('submitReview', {
      params: { id: reviewable.id },
      body: { evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: true },
    });

    // The delivery log, and queuing again an event the worker gave up on (put there directly: this server
    // has no outbound URL, tests/server/outbound.test.ts delivers for real).
    server.ctx.db
      .prepare(
        `INSERT INTO outbound_events (id, type, trade_id, case_id, body, created_at, state, attempts, next_attempt_at, last_status, last_error)
         VALUES ('evt_contract', 'escrow.held', 'T-1', NULL, '{}', ?, 'failed', 3, NULL, 503, 'the exchange answered 503')`,
      )
      .run(server.clock.now.toISOString());
    await expectAnswer('listDeliveries', { query: 'state=failed&limit=5' });
    await expectAnswer('retryDelivery', { params: { id: 'evt_contract' }, body: {} });

    // Accounts (issue #11): a supervisor creates one, its invitation is redeemed, then disable, enable and a
    // 2FA reset; anyone signed in draws new backup codes.
    await expectAnswer('listAccounts');
    const created = await expectAnswer('createAccount', {
      body: { username: 'contractuser', displayName: 'Contract User', role: 'agent', totp: freshCode(server, supervisor) },
    });
    const invited = created.body as { account: { id: string }; invitation: { token: string } };
    await expectAnswer('redeemInvitation', { body: { token: invited.invitation.token, password: 'contract-password' } });
    const account = { id: invited.account.id };
    await expectAnswer('disableAccount', { params: account, body: { totp: freshCode(server, supervisor) } });
    await expectAnswer('enableAccount', { params: account, body: { totp: freshCode(server, supervisor) } });
    await expectAnswer('resetAccountTotp', { params: account, body: { totp: freshCode(server, supervisor) } });
    await expectAnswer('regenerateBackupCodes', { as: agent, body: { totp: freshCode(server, agent) } });

    // A signed MetaMap webhook, dated now: the server refuses events outside its time window.
    const fixture = fs.readFileSync(path.join(__dirname, 'fixtures/metamap/step-completed-liveness.json'));
    const delivery = signedMetamapDelivery('test-webhook-secret', {
      ...(JSON.parse(fixture.toString('utf8')) as MetamapEventBody),
      timestamp: server.clock.now.toISOString(),
    });
    await expectAnswer('metamapWebhook', { raw: delivery.body, headers: { 'x-signature': delivery.headers['x-signature'] } });

    // A signed platform event from the exchange: a trade opens.
    const tradeEvent = JSON.stringify(tradeOpened(server.clock.now));
    await expectAnswer('platformEvents', {
      raw: tradeEvent,
      headers: { ...signedHeaders([PLATFORM_TEST_SECRET], 'msg_contract', tradeEvent, server.clock.now) },
    });

    expect([...answered].sort()).toEqual([...ROUTE_NAMES].sort());
  });
});

describe('error codes', () => {
  const STEP_UP_STATUS = 403;

  it('every error the server answered in this file has a code of API_ERRORS, with its status', () => {
    expect(errorAnswers.length).toBeGreaterThan(0);
    for (const { where, status, code } of errorAnswers) {
      expect(typeof code === 'string' && isApiErrorCode(code), `${where}: ${String(code)}`).toBe(true);
      const usual = API_ERRORS[code as keyof typeof API_ERRORS];
      // invalid_totp and totp_replayed are 403 on a step-up (DESIGN §2): the session itself is fine there.
      const stepUp = (code === 'invalid_totp' || code === 'totp_replayed') && status === STEP_UP_STATUS;
      if (!stepUp) expect(status, `${where}: ${String(code)}`).toBe(usual);
    }
  });

  it("the server's own fallbacks (framework errors, rate limits, crashes) answer codes of API_ERRORS", () => {
    const failures = [
      payloadTooLarge(),
      Object.assign(new Error('body too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }),
      Object.assign(new Error('rate limited'), { statusCode: 429 }),
      Object.assign(new Error('bad request'), { statusCode: 400 }),
      new Error('a bug'),
    ];
    for (const failure of failures) {
      const { status, body } = toErrorResponse(failure);
      const { code } = (body as { error: { code: string } }).error;
      expect(isApiErrorCode(code), code).toBe(true);
      expect(status, code).toBe(API_ERRORS[code as keyof typeof API_ERRORS]);
    }
  });

  it('every code written in the server source is one of API_ERRORS', () => {
    const root = path.join(__dirname, '../../electron/server');
    const files = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'));
    const written = new Set<string>();
    const pattern = /(?:new ApiError\(\s*\d+,\s*|apiError\(\s*|conflict\(\s*|errorEnvelope\(\s*)'([a-z_]+)'/g;
    for (const file of files) {
      const source = fs.readFileSync(path.join(root, file), 'utf8');
      for (const match of source.matchAll(pattern)) written.add(match[1]!);
    }
    expect(written.size).toBeGreaterThan(15);
    for (const code of written) expect(API_ERROR_CODES, code).toContain(code);
  });
});
