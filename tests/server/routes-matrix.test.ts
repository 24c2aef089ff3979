// Every route × every role (DESIGN §4), and bad input on every route: always a 4xx with the envelope,
// never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/domain/dispute';
import { putEvidence } from '../../electron/server/evidence/store';
import { addAlert, addCase, addUser, bearer, createTestServer, type TestServer, type TestUser } from './harness';

interface RouteCase {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  allowed: readonly Role[];
}

let server: TestServer;
let users: Record<Role, TestUser>;
let caseId: string;
let alertId: string;
let reportId: string;
let sha: string;

const ALL: readonly Role[] = ['agent', 'compliance', 'supervisor'];
const COMPLIANCE_AND_SUPERVISOR: readonly Role[] = ['compliance', 'supervisor'];
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  server = await createTestServer();
  users = {
    agent: addUser(server.ctx, 'agent'),
    compliance: addUser(server.ctx, 'compliance'),
    supervisor: addUser(server.ctx, 'supervisor'),
  };
  caseId = addCase(server.ctx);
  sha = server.ctx.write(() => putEvidence(server.ctx.db, PNG, server.clock.now)).sha256;
  alertId = addAlert(server.ctx, caseId, 'KYT-MATRIX-1');
  addAlert(server.ctx, caseId, 'KYT-MATRIX-2');
  const reported = await server.app.inject({
    method: 'POST',
    url: '/v1/kyt/alerts/KYT-MATRIX-2/decision',
    headers: bearer(users.compliance),
    payload: { decision: 'report', reason: 'Funds from a darknet market.', narrative: 'Seen twice this week.' },
  });
  reportId = reported.json<{ reportId: string }>().reportId;
});
afterAll(async () => server.close());

function routes(): RouteCase[] {
  const id = caseId;
  return [
    { method: 'GET', url: '/v1/me', allowed: ALL },
    { method: 'GET', url: '/v1/cases', allowed: ALL },
    { method: 'GET', url: `/v1/cases/${id}`, allowed: ALL },
    { method: 'POST', url: `/v1/cases/${id}/claim`, body: {}, allowed: ['agent'] },
    { method: 'POST', url: `/v1/cases/${id}/messages`, body: { body: 'Hola, reviso el caso.' }, allowed: ['agent'] },
    { method: 'POST', url: `/v1/cases/${id}/notes`, body: { body: 'Internal note.' }, allowed: ALL },
    { method: 'POST', url: `/v1/cases/${id}/liveness-requests`, body: { partyId: 'PTY-x' }, allowed: ['agent'] },
    {
      method: 'POST',
      url: `/v1/cases/${id}/verdict`,
      body: { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid.', totp: '000000' },
      allowed: ['agent'],
    },
    { method: 'POST', url: `/v1/cases/${id}/verdict/approve`, body: { totp: '000000' }, allowed: ['supervisor'] },
    { method: 'POST', url: `/v1/cases/${id}/verdict/reject`, body: { reason: 'No.', totp: '000000' }, allowed: ['supervisor'] },
    { method: 'POST', url: `/v1/cases/${id}/reassign`, body: { assigneeId: 'nobody', reason: 'Shift change.' }, allowed: ['supervisor'] },
    { method: 'POST', url: `/v1/cases/${id}/hold`, body: { reason: 'KYT review.' }, allowed: ['compliance'] },
    { method: 'DELETE', url: `/v1/cases/${id}/hold`, body: { reason: 'Cleared.', totp: '000000' }, allowed: ['compliance'] },
    { method: 'GET', url: '/v1/kyt/alerts', allowed: ['compliance'] },
    { method: 'GET', url: '/v1/kyt/rules', allowed: COMPLIANCE_AND_SUPERVISOR },
    { method: 'GET', url: `/v1/kyt/alerts/${alertId}`, allowed: ['compliance'] },
    { method: 'POST', url: `/v1/kyt/alerts/${alertId}/assign`, body: {}, allowed: ['compliance'] },
    { method: 'POST', url: `/v1/kyt/alerts/${alertId}/decision`, body: { decision: 'escalate', reason: 'Looks bad.' }, allowed: ['compliance'] },
    { method: 'GET', url: `/v1/reports/${reportId}`, allowed: COMPLIANCE_AND_SUPERVISOR },
    { method: 'GET', url: `/v1/reports/${reportId}?format=pdf`, allowed: COMPLIANCE_AND_SUPERVISOR },
    { method: 'GET', url: `/v1/reports/${reportId}?format=goaml`, allowed: COMPLIANCE_AND_SUPERVISOR },
    { method: 'GET', url: `/v1/evidence/${sha}`, allowed: ALL },
    { method: 'GET', url: '/v1/sync?after=0', allowed: ALL },
    { method: 'GET', url: '/v1/users?role=agent', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/audit', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/audit/verify', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/verdicts', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/verdicts?format=csv', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/verdicts/agents', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/reviews', allowed: ['supervisor'] },
    { method: 'GET', url: '/v1/platform/deliveries', allowed: ['supervisor'] },
    { method: 'POST', url: '/v1/platform/deliveries/evt_none/retry', body: {}, allowed: ['supervisor'] },
    { method: 'POST', url: '/v1/reviews/REV-2026-W48-DSP-NONE', body: { evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: true }, allowed: ['supervisor'] },
  ];
}

async function send(route: RouteCase, headers: Record<string, string>, payload?: string) {
  return server.app.inject({
    method: route.method,
    url: route.url,
    headers: { ...headers, ...(route.body !== undefined || payload ? { 'content-type': 'application/json' } : {}), 'idempotency-key': `matrix-${Math.random().toString(36).slice(2, 12)}` },
    ...(payload !== undefined ? { payload } : route.body !== undefined ? { payload: JSON.stringify(route.body) } : {}),
  });
}

function expectEnvelope(body: string) {
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof parsed.error?.code).toBe('string');
  expect(typeof parsed.error?.message).toBe('string');
  return parsed.error!.code as string;
}

describe('every route × every role', () => {
  it('answers 401 unauthenticated without a token and with a made-up one', async () => {
    for (const route of [...routes(), { method: 'GET', url: '/v1/events', allowed: ALL } as RouteCase]) {
      for (const headers of [{}, { authorization: "Bearer not-a-real-token-at-all-000000" }] as Record<string, string>[]) {
        const response = await send(route, headers);
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(expectEnvelope(response.body)).toBe('unauthenticated');
      }
    }
  });

  for (const role of ALL) {
    it(`lets a ${role} do exactly what DESIGN §4 allows`, async () => {
      for (const route of routes()) {
        const response = await send(route, bearer(users[role]));
        const where = `${role} ${route.method} ${route.url} → ${response.statusCode} ${response.body.slice(0, 200)}`;
        expect(response.statusCode, where).toBeLessThan(500);
        if (route.allowed.includes(role)) {
          expect(response.statusCode, where).not.toBe(401);
          if (response.statusCode === 403) expect(expectEnvelope(response.body), where).not.toBe('forbidden');
        } else {
          expect(response.statusCode, where).toBe(403);
          expect(expectEnvelope(response.body), where).toBe('forbidden');
        }
      }
    });
  }

  it('answers 404 not_found for an unknown route, with or without a token', async () => {
    for (const headers of [{}, bearer(users.agent)]) {
      for (const url of ['/v1/nope', '/v2/cases', '/', '/v1/cases/x/y/z']) {
        const response = await server.app.inject({ method: 'GET', url, headers });
        expect(response.statusCode, url).toBe(404);
        expect(expectEnvelope(response.body)).toBe('not_found');
      }
    }
  });
});

describe('bad input on every route', () => {
  const bodies = ['{"body":', '[]', '"just a string"', '{"body": 42, "outcome": ["release"]}', 'null', '{"x":1}'];

  it('never answers 5xx and always uses the envelope', async () => {
    for (const route of routes().filter((r) => r.method !== 'GET')) {
      for (const role of ALL) {
        for (const payload of bodies) {
          const response = await send(route, bearer(users[role]), payload);
          const where = `${role} ${route.method} ${route.url} ${payload} → ${response.statusCode}`;
          expect(response.statusCode, where).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, where).toBeLessThan(500);
          expectEnvelope(response.body);
        }
      }
    }
  });

  it('refuses malformed JSON with 400 invalid_request', async () => {
    const response = await send({ method: 'POST', url: `/v1/cases/${caseId}/notes`, allowed: ALL }, bearer(users.agent), '{"body":');
    expect(response.statusCode).toBe(400);
    expect(expectEnvelope(response.body)).toBe('invalid_request');
  });

  it('refuses a body over 1 MiB with 413 payload_too_large', async () => {
    const huge = JSON.stringify({ body: 'x'.repeat(1024 * 1024 + 10) });
    const response = await send({ method: 'POST', url: `/v1/cases/${caseId}/notes`, allowed: ALL }, bearer(users.agent), huge);
    expect(response.statusCode).toBe(413);
    expect(expectEnvelope(response.body)).toBe('payload_too_large');
  });

  it('refuses a body over 1 MiB with 413 whatever its declared type, or with none', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 10);
    for (const contentType of ['application/x-www-form-urlencoded', 'application/octet-stream', 'text/plain', undefined]) {
      const response = await server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/notes`,
        headers: { ...bearer(users.agent), ...(contentType ? { 'content-type': contentType } : {}) },
        payload: huge,
      });
      expect(response.statusCode, String(contentType)).toBe(413);
      expect(expectEnvelope(response.body)).toBe('payload_too_large');
    }
  });

  it('refuses a body over 1 MiB with 413 on every route, GET routes and DELETE included', async () => {
    const huge = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 10) });
    for (const route of [...routes(), { method: 'GET', url: '/v1/health', allowed: ALL } as RouteCase]) {
      const response = await send(route, bearer(users.agent), huge);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(413);
      expect(expectEnvelope(response.body)).toBe('payload_too_large');
    }
  });

  it('refuses a body that is not JSON by its declared type with 400 invalid_request', async () => {
    for (const contentType of ['application/x-www-form-urlencoded', 'application/octet-stream', 'text/plain']) {
      const response = await server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/notes`,
        headers: { ...bearer(users.agent), 'content-type': contentType },
        payload: '{"body":"Sent as the wrong type."}',
      });
      expect(response.statusCode, contentType).toBe(400);
      expect(expectEnvelope(response.body)).toBe('invalid_request');
    }
  });

  it('answers an unknown route 404 whatever its body, but still 413 for one over 1 MiB', async () => {
    for (const headers of [{}, bearer(users.agent)]) {
      for (const payload of ['{"body":', '{"ok":true}', 'plain text']) {
        const response = await server.app.inject({
          method: 'POST',
          url: '/v1/nope',
          headers: { ...headers, 'content-type': payload === 'plain text' ? 'text/plain' : 'application/json' },
          payload,
        });
        expect(response.statusCode, payload).toBe(404);
        expect(expectEnvelope(response.body)).toBe('not_found');
      }
    }
    const huge = await server.app.inject({
      method: 'POST',
      url: '/v1/nope',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ body: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(huge.statusCode).toBe(413);
  });

  it('treats path traversal in evidence ids as not found', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '../../etc/passwd', '%2e%2e%2fplatform.db', sha.toUpperCase(), `${sha}00`, 'x'.repeat(5000)]) {
      const response = await server.app.inject({ method: 'GET', url: `/v1/evidence/${id}`, headers: bearer(users.agent) });
      expect(response.statusCode, id).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, id).toBeLessThan(500);
      expectEnvelope(response.body);
    }
  });

  it('treats odd query strings as 400, never 5xx', async () => {
    for (const url of ['/v1/cases?limit=abc', '/v1/cases?limit=-1', '/v1/cases?cursor=%%%', '/v1/cases?status=bogus', '/v1/sync?after=abc', '/v1/sync?after=-5', '/v1/audit?after=x']) {
      const response = await server.app.inject({ method: 'GET', url, headers: bearer(users.supervisor) });
      expect(response.statusCode, url).toBe(400);
      expect(expectEnvelope(response.body)).toBe('invalid_request');
    }
  });

  it('clamps a limit above 500 instead of refusing it, however many digits it has, on every paged route', async () => {
    const paged: [string, TestUser][] = [
      ['/v1/cases', users.agent],
      ['/v1/sync', users.agent],
      ['/v1/kyt/alerts', users.compliance],
      ['/v1/audit', users.supervisor],
    ];
    for (const [path, user] of paged) {
      for (const limit of ['501', '100000', '99999999999999999999', '9'.repeat(400)]) {
        const response = await server.app.inject({ method: 'GET', url: `${path}?limit=${limit}`, headers: bearer(user) });
        expect(response.statusCode, `${path} limit=${limit.slice(0, 24)}`).toBe(200);
      }
    }
  });

  it('treats empty query parameters as not given, as in the templates of DESIGN §2', async () => {
    const templates: [string, TestUser][] = [
      ['/v1/cases?status=&limit=&cursor=', users.agent],
      ['/v1/sync?after=&limit=', users.agent],
      ['/v1/kyt/alerts?status=&level=', users.compliance],
      ['/v1/audit?after=&limit=', users.supervisor],
    ];
    for (const [url, user] of templates) {
      const response = await server.app.inject({ method: 'GET', url, headers: bearer(user) });
      expect(response.statusCode, url).toBe(200);
      const unfiltered = await server.app.inject({ method: 'GET', url: url.split('?')[0]!, headers: bearer(user) });
      expect(response.json(), url).toEqual(unfiltered.json());
    }
  });
});
