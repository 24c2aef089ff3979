// POST /v1/webhooks/metamap (DESIGN §2, §3): signed with HMAC-SHA256 over the raw body; events are matched
// to a party and case by metadata, then by verification id. Fixtures are the DESIGN §3 payload shapes,
// sent byte for byte as stored.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail, LivenessCheck } from '../../shared/api/types';
import { readAudit } from '../../electron/server/audit/chain';
import { createParty } from '../../electron/server/cases/create';
import { DEFAULT_METAMAP_EVENT_WINDOW } from '../../electron/server/config';
import { normaliseScore } from '../../electron/server/webhooks/apply-event';
import { outsideWindow } from '../../electron/server/webhooks/event-window';
import { verificationResource, type MetamapEventBody } from '../../electron/server/webhooks/payload';
import {
  hasValidSignature,
  signedMetamapDelivery,
  signWebhookBody,
} from '../../electron/server/webhooks/signature';
import { addCase, addUser, createTestServer, latestFeedDetail, readFeedPage, type TestServer } from './harness';

const SECRET = 'test-webhook-secret';
const VERIFICATION = '6740c1a2f1e2d3c4b5a69788';
const ONBOARDING_VERIFICATION = '6740d9e8a7b6c5d4e3f20011';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, 'fixtures', 'metamap', `${name}.json`));

let server: TestServer;
afterEach(async () => server?.close());

/** The world the fixtures speak of: buyer PTY-MM-BUYER and seller PTY-MM-SELLER in case DSP-MM-00001. */
async function setUp(overrides: Parameters<typeof createTestServer>[0] = {}) {
  server = await createTestServer(overrides);
  const party = (id: string, displayName: string) =>
    server.ctx.write(() =>
      createParty(server.ctx, {
        id,
        displayName,
        kycStatus: 'pending',
        country: 'VE',
        accountCreatedAt: new Date('2025-01-10T00:00:00.000Z'),
        tradeCount: 3,
        disputeCount: 0,
      }),
    );
  party('PTY-MM-BUYER', 'Mateo Buyer');
  party('PTY-MM-SELLER', 'Sara Seller');
  addCase(server.ctx, { caseId: 'DSP-MM-00001', buyerId: 'PTY-MM-BUYER', sellerId: 'PTY-MM-SELLER' });
}

function post(body: Buffer | string, headers: Record<string, string> = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/v1/webhooks/metamap',
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

const signed = (body: Buffer | string) => post(body, { 'x-signature': signWebhookBody(SECRET, body) });

const count = (table: string) =>
  (server.ctx.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const stored = () => ({
  checks: count('liveness_checks'),
  audit: count('audit_log'),
  changes: count('changes'),
  events: count('metamap_events'),
});

function checks(): LivenessCheck[] {
  return latestDetail('DSP-MM-00001').liveness;
}

function latestDetail(caseId: string): CaseDetail {
  return latestFeedDetail(server.ctx, caseId);
}

describe('MetaMap webhook signature', () => {
  it('accepts the right signature and a valid event', async () => {
    await setUp();
    const response = await signed(fixture('step-completed-liveness'));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ status: 'applied', checkId: expect.stringMatching(/^LIV-/) });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not hex', 'z'.repeat(64)],
    ['too short', 'ab'.repeat(16)],
    ['for another body', signWebhookBody(SECRET, '{"eventName":"step_completed"}')],
    ['made with another secret', signWebhookBody('not-the-secret', fixture('step-completed-liveness'))],
  ])('refuses a %s signature with 401 invalid_signature and stores nothing', async (_name, signature) => {
    await setUp();
    const before = stored();
    const response = await post(
      fixture('step-completed-liveness'),
      signature === undefined ? {} : { 'x-signature': signature },
    );
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'invalid_signature', message: expect.any(String) } });
    expect(stored()).toEqual(before);
  });

  it('answers malformed JSON 400 invalid_request like every route (DESIGN §2), signed or not, storing nothing', async () => {
    await setUp();
    const before = stored();
    const malformed = '{"eventName": "step_completed", ';
    for (const response of [
      await post(malformed),
      await post(malformed, { 'x-signature': 'ab'.repeat(32) }),
      await signed(malformed),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
    }
    expect(stored()).toEqual(before);
  });

  it('answers a body over 1 MiB 413 payload_too_large whatever its type, storing nothing', async () => {
    await setUp();
    const before = stored();
    const huge = JSON.stringify({ eventName: 'step_completed', padding: 'x'.repeat(1024 * 1024) });
    for (const contentType of ['application/json', 'application/octet-stream', 'text/plain']) {
      const response = await post(huge, {
        'content-type': contentType,
        'x-signature': signWebhookBody(SECRET, huge),
      });
      expect(response.statusCode, contentType).toBe(413);
      expect(response.json().error.code).toBe('payload_too_large');
    }
    expect(stored()).toEqual(before);
  });

  it('answers 503 and stores nothing when no secret is configured', async () => {
    await setUp({ metamapWebhookSecret: null });
    const before = stored();
    const response = await signed(fixture('step-completed-liveness'));
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('webhooks_not_configured');
    expect(stored()).toEqual(before);
  });

  it('compares hex signatures in any letter case and refuses anything else', () => {
    const body = Buffer.from('{}');
    const signature = signWebhookBody(SECRET, body);
    expect(hasValidSignature(SECRET, body, signature)).toBe(true);
    expect(hasValidSignature(SECRET, body, signature.toUpperCase())).toBe(true);
    expect(hasValidSignature(SECRET, body, `sha256=${signature}`)).toBe(false);
    expect(hasValidSignature(SECRET, body, [signature])).toBe(false);
    expect(hasValidSignature(SECRET, Buffer.from('{} '), signature)).toBe(false);
  });
});

describe('MetaMap webhook payloads', () => {
  it('creates a trade check on the right party and case, without storing MetaMap media URLs', async () => {
    await setUp();
    const before = stored();
    const response = await signed(fixture('step-completed-liveness'));
    expect(response.statusCode).toBe(200);
    const row = server.ctx.db.prepare('SELECT * FROM liveness_checks').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      party_id: 'PTY-MM-BUYER',
      case_id: 'DSP-MM-00001',
      trigger: 'trade',
      status: 'pending',
      provider: 'metamap',
      provider_verification_id: VERIFICATION,
      frames: '[]',
      created_at: server.clock.now.toISOString(),
      completed_at: null,
    });
    expect(stored()).toEqual({
      checks: before.checks + 1,
      audit: before.audit + 1,
      changes: before.changes + 1,
      events: before.events + 1,
    });
    const [entry] = readAudit(server.ctx.db, 0, 10);
    expect(entry).toMatchObject({
      actor: 'metamap',
      action: 'liveness.step_completed',
      subject: row.id,
      data: {
        verificationId: VERIFICATION,
        partyId: 'PTY-MM-BUYER',
        caseId: 'DSP-MM-00001',
        stepId: 'liveness',
        match: 'created',
      },
    });
    expect(checks()).toEqual([
      expect.objectContaining({ id: row.id, partyId: 'PTY-MM-BUYER', providerVerificationId: VERIFICATION }),
    ]);
    const everything =
      JSON.stringify(server.ctx.db.prepare('SELECT * FROM liveness_checks').all()) +
      JSON.stringify(readAudit(server.ctx.db, 0, 100)) +
      JSON.stringify(readFeedPage(server.ctx, 0, 500));
    expect(everything).not.toContain('media.getmati.com');
  });

  it('updates the same check through step_completed and verification_completed', async () => {
    await setUp();
    const { checkId } = (await signed(fixture('step-completed-liveness'))).json<{ checkId: string }>();
    server.clock.advance(11_000);
    expect((await signed(fixture('step-completed-facematch-different-person'))).json()).toEqual({
      status: 'applied',
      checkId,
    });
    expect(checks()[0]).toMatchObject({
      id: checkId,
      status: 'pending',
      faceMatchScore: 0.314,
      errorCode: 'facematch.differentPerson',
    });
    server.clock.advance(11_000);
    expect((await signed(fixture('verification-completed-rejected'))).json()).toEqual({
      status: 'applied',
      checkId,
    });
    expect(count('liveness_checks')).toBe(1);
    const detail = latestDetail('DSP-MM-00001');
    expect(detail.liveness[0]).toMatchObject({
      id: checkId,
      status: 'rejected',
      faceMatchScore: 0.314,
      errorCode: 'facematch.differentPerson',
      completedAt: server.clock.now.toISOString(),
    });
    expect(detail.flags.livenessFailed).toBe(true);
    expect(readAudit(server.ctx.db, 0, 10).map((entry) => entry.action)).toEqual([
      'liveness.step_completed',
      'liveness.step_completed',
      'liveness.verification_completed',
    ]);
  });

  it('gives the verification id to the pending check an agent requested, instead of a new one', async () => {
    await setUp();
    const ana = addUser(server.ctx, 'agent');
    server.ctx.write(() =>
      server.ctx.db
        .prepare(
          `INSERT INTO liveness_checks (id, party_id, case_id, trigger, status, requested_by, created_at)
           VALUES ('LIV-REQUESTED', 'PTY-MM-BUYER', 'DSP-MM-00001', 'trade', 'pending', ?, ?)`,
        )
        .run(ana.id, server.clock.now.toISOString()),
    );
    expect((await signed(fixture('step-completed-liveness'))).json()).toEqual({
      status: 'applied',
      checkId: 'LIV-REQUESTED',
    });
    expect(count('liveness_checks')).toBe(1);
    expect(checks()[0]).toMatchObject({
      id: 'LIV-REQUESTED',
      providerVerificationId: VERIFICATION,
      requestedBy: { id: ana.id },
    });
    expect(readAudit(server.ctx.db, 0, 10)[0]?.data).toMatchObject({ match: 'claimed' });
  });

  it('records an onboarding check, its step error and the party KYC outcome on every open case of the party', async () => {
    await setUp();
    const otherCase = addCase(server.ctx, { sellerId: 'PTY-MM-SELLER' });
    const before = stored();
    expect((await signed(fixture('step-completed-selfie-fraud-onboarding'))).statusCode).toBe(200);
    const check = latestDetail(otherCase).liveness[0];
    expect(check).toMatchObject({
      partyId: 'PTY-MM-SELLER',
      caseId: null,
      trigger: 'onboarding',
      providerVerificationId: ONBOARDING_VERIFICATION,
      errorCode: 'selfieFraudDetection.fraudAttempt',
    });
    // One feed row for each case the party is in.
    expect(stored().changes).toBe(before.changes + 2);
    await signed(fixture('verification-completed-onboarding-verified'));
    expect(latestDetail('DSP-MM-00001').seller.kycStatus).toBe('verified');
    expect(latestDetail(otherCase).liveness[0]).toMatchObject({ id: check!.id, status: 'verified' });
  });

  it('acknowledges a redelivered event without storing it twice', async () => {
    await setUp();
    await signed(fixture('step-completed-facematch-different-person'));
    await signed(fixture('verification-completed-rejected'));
    const before = stored();
    for (const name of ['step-completed-facematch-different-person', 'verification-completed-rejected']) {
      server.clock.advance(60_000);
      const response = await signed(fixture(name));
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'unchanged', checkId: expect.any(String), reason: 'duplicate' });
    }
    expect(stored()).toEqual(before);
  });

  it('accepts and ignores an event it does not handle', async () => {
    await setUp();
    const before = stored();
    const response = await signed(fixture('verification-inputs-completed'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ignored', reason: 'unhandled_event' });
    expect(stored()).toEqual(before);
  });

  it.each([
    ['an unknown party', { partyId: 'PTY-NOBODY', caseId: 'DSP-MM-00001' }, 'unknown_party'],
    ['a case the party is not in', { partyId: 'PTY-MM-BUYER', caseId: 'DSP-NOWHERE' }, 'unknown_case'],
    ['no metadata', null, 'no_party'],
  ])('acknowledges a new verification for %s and stores nothing', async (_name, metadata, reason) => {
    await setUp();
    const before = stored();
    const body = JSON.stringify({ ...JSON.parse(fixture('step-completed-liveness').toString()), metadata });
    const response = await signed(body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ignored', reason });
    expect(stored()).toEqual(before);
  });

  it.each([
    ['no event name', { resource: 'https://api.getmati.com/v2/verifications/abc' }],
    [
      'a step without a step',
      { eventName: 'step_completed', resource: 'https://api.getmati.com/v2/verifications/abc' },
    ],
    [
      'a resource without an id',
      {
        eventName: 'verification_completed',
        resource: 'https://api.getmati.com/',
        identityStatus: 'verified',
      },
    ],
    [
      'a resource that is no URL',
      { eventName: 'verification_completed', resource: 'abc', identityStatus: 'verified' },
    ],
    [
      'an unknown identity status',
      {
        eventName: 'verification_completed',
        resource: `https://api.getmati.com/v2/verifications/${VERIFICATION}`,
        identityStatus: 'maybe',
      },
    ],
    ['an array', []],
    ['null', null],
  ])('refuses %s with 400 invalid_request, signed or not stored', async (_name, payload) => {
    await setUp();
    const before = stored();
    const response = await signed(JSON.stringify(payload));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(stored()).toEqual(before);
  });

  it('reads scores as 0..1, converting percentages', () => {
    expect(normaliseScore(0.87)).toBe(0.87);
    expect(normaliseScore(87)).toBe(0.87);
    expect(normaliseScore(1)).toBe(1);
    expect(normaliseScore(-1)).toBeNull();
    expect(normaliseScore(101)).toBeNull();
    expect(normaliseScore('0.5')).toBeNull();
  });
});

describe('MetaMap webhook time window, duplicates and order', () => {
  const MINUTE = 60_000;
  const BUYER_CASE = { partyId: 'PTY-MM-BUYER', caseId: 'DSP-MM-00001' };
  const SELLER_ONBOARDING = { partyId: 'PTY-MM-SELLER', caseId: null };

  /** An ISO time `offsetMs` from the server's pinned clock: events are dated as MetaMap dates them. */
  const at = (offsetMs: number) => new Date(server.clock.now.getTime() + offsetMs).toISOString();

  const completed = (
    identityStatus: 'verified' | 'reviewNeeded' | 'rejected',
    timestamp: string,
    verification = ONBOARDING_VERIFICATION,
    metadata: { partyId: string; caseId: string | null } = SELLER_ONBOARDING,
  ): MetamapEventBody => ({
    eventName: 'verification_completed',
    resource: verificationResource(verification),
    flowId: '66f0a1b2c3d4e5f60718293a',
    timestamp,
    metadata,
    identityStatus,
  });

  const stepCompleted = (
    id: string,
    timestamp: string,
    data: Record<string, unknown>,
    errorCode: string | null = null,
  ): MetamapEventBody => ({
    eventName: 'step_completed',
    resource: verificationResource(VERIFICATION),
    flowId: '66f0a1b2c3d4e5f60718293a',
    timestamp,
    metadata: BUYER_CASE,
    step: { id, status: 200, data, error: errorCode ? { type: 'StepError', code: errorCode } : null },
  });

  const send = (event: MetamapEventBody) => {
    const { body, headers } = signedMetamapDelivery(SECRET, event);
    return post(body, headers);
  };

  const kycOf = (partyId: string) =>
    (server.ctx.db.prepare('SELECT kyc_status FROM parties WHERE id = ?').get(partyId) as { kyc_status: string })
      .kyc_status;
  const checkOf = (verification: string) =>
    server.ctx.db
      .prepare(
        `SELECT status, liveness_score, face_match_score, error_code FROM liveness_checks
         WHERE provider_verification_id = ?`,
      )
      .get(verification);

  it('leaves a party rejected when an older verified outcome is replayed or arrives late', async () => {
    await setUp();
    const verified = signedMetamapDelivery(SECRET, completed('verified', at(-3 * MINUTE)));
    expect((await post(verified.body, verified.headers)).json().status).toBe('applied');
    expect(kycOf('PTY-MM-SELLER')).toBe('verified');
    expect((await send(completed('rejected', at(-2 * MINUTE)))).json().status).toBe('applied');
    expect(kycOf('PTY-MM-SELLER')).toBe('rejected');
    const before = stored();

    server.clock.advance(MINUTE);
    // The very delivery that said `verified`, captured and sent again.
    const replay = await post(verified.body, verified.headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual({ status: 'unchanged', checkId: expect.any(String), reason: 'duplicate' });
    // Another `verified` event of the same verification that happened before the rejection.
    const late = await send(completed('verified', at(-3.5 * MINUTE)));
    expect(late.statusCode).toBe(200);
    expect(late.json()).toEqual({
      status: 'unchanged',
      checkId: replay.json().checkId,
      reason: 'older_than_current',
    });

    expect(kycOf('PTY-MM-SELLER')).toBe('rejected');
    expect(checkOf(ONBOARDING_VERIFICATION)).toMatchObject({ status: 'rejected' });
    expect(latestDetail('DSP-MM-00001').seller.kycStatus).toBe('rejected');
    expect(stored()).toEqual(before);
  });

  it('never lets an outcome that arrives first be overwritten by an older one that arrives second', async () => {
    await setUp();
    const trade = (status: 'verified' | 'rejected', timestamp: string) =>
      completed(status, timestamp, VERIFICATION, BUYER_CASE);
    expect((await send(trade('rejected', at(-1 * MINUTE)))).json().status).toBe('applied');
    const before = stored();
    const older = await send(trade('verified', at(-2 * MINUTE)));
    expect(older.json()).toMatchObject({ status: 'unchanged', reason: 'older_than_current' });
    expect(checkOf(VERIFICATION)).toMatchObject({ status: 'rejected' });
    expect(latestDetail('DSP-MM-00001').flags.livenessFailed).toBe(true);
    expect(stored()).toEqual(before);
  });

  it('makes a repeated status hold as of the newer event, so an event between the two cannot undo it', async () => {
    await setUp();
    await send(completed('verified', at(-3 * MINUTE)));
    const before = stored();
    // The same outcome again, later: nothing a reader sees changes, so nothing is audited or fed.
    const again = await send(completed('verified', at(-1 * MINUTE)));
    expect(again.json()).toMatchObject({ status: 'unchanged', reason: 'no_change' });
    expect(stored()).toEqual({ ...before, events: before.events + 1 });
    const between = await send(completed('rejected', at(-2 * MINUTE)));
    expect(between.json()).toMatchObject({ status: 'unchanged', reason: 'older_than_current' });
    expect(kycOf('PTY-MM-SELLER')).toBe('verified');
    expect(checkOf(ONBOARDING_VERIFICATION)).toMatchObject({ status: 'verified' });
  });

  it("keeps a party's KYC from the latest onboarding verification when an earlier one finishes late", async () => {
    await setUp();
    const earlier = '6740d9e8a7b6c5d4e3f2aaaa';
    await send(completed('rejected', at(-1 * MINUTE)));
    expect(kycOf('PTY-MM-SELLER')).toBe('rejected');
    // The earlier verification's own check records its outcome; the party's status stays the newer one.
    const late = await send(completed('verified', at(-4 * MINUTE), earlier));
    expect(late.json().status).toBe('applied');
    expect(checkOf(earlier)).toMatchObject({ status: 'verified' });
    expect(kycOf('PTY-MM-SELLER')).toBe('rejected');
    expect(readAudit(server.ctx.db, 0, 10).at(-1)?.data).not.toHaveProperty('kycStatus');
  });

  it('applies steps that arrive out of order by the time each value was set', async () => {
    await setUp();
    await send(stepCompleted('facematch', at(-1 * MINUTE), { score: 31.4 }, 'facematch.differentPerson'));
    // Older than the face match, but the first word on liveness: its score is taken, its error is not.
    const liveness = await send(
      stepCompleted('liveness', at(-2 * MINUTE), { score: 0.92 }, 'liveness.lowQuality'),
    );
    expect(liveness.json().status).toBe('applied');
    expect(checkOf(VERIFICATION)).toEqual({
      status: 'pending',
      liveness_score: 0.92,
      face_match_score: 0.314,
      error_code: 'facematch.differentPerson',
    });
    const before = stored();
    const olderFaceMatch = await send(stepCompleted('facematch', at(-3 * MINUTE), { score: 95 }));
    expect(olderFaceMatch.json()).toMatchObject({ status: 'unchanged', reason: 'older_than_current' });
    expect(checkOf(VERIFICATION)).toMatchObject({ face_match_score: 0.314 });
    expect(stored()).toEqual(before);
  });

  it('shows the bidi controls of a step error code as markers, in the store and in the case the desk reads', async () => {
    await setUp();
    // "…\u202Eexe.gnp" would display reversed in the identity panel: the code must read as it was sent.
    const sent = await send(stepCompleted('facematch', at(-1 * MINUTE), { score: 31.4 }, 'facematch.\u202Eexe.gnp\u2066x\u2069'));
    expect(sent.json().status).toBe('applied');
    const marked = 'facematch.[U+202E]exe.gnp[U+2066]x[U+2069]';
    expect(checkOf(VERIFICATION)).toMatchObject({ error_code: marked });
    expect(checks().find((check) => check.errorCode !== null)?.errorCode).toBe(marked);
  });

  it('knows a redelivered event however MetaMap serialises it again, and stores and audits nothing', async () => {
    await setUp();
    const first = await signed(fixture('step-completed-facematch-different-person'));
    expect(first.json().status).toBe('applied');
    const before = stored();
    const reserialised = JSON.stringify(
      JSON.parse(fixture('step-completed-facematch-different-person').toString()),
      null,
      4,
    );
    const again = await signed(reserialised);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ status: 'unchanged', checkId: first.json().checkId, reason: 'duplicate' });
    expect(stored()).toEqual(before);
  });

  it('lets exactly one of two simultaneous deliveries of a new event apply it', async () => {
    await setUp();
    const event = stepCompleted('liveness', at(-MINUTE), { score: 0.9 });
    const answers = await Promise.all([send(event), send(event)]);
    expect(answers.map((answer) => answer.json().status).sort()).toEqual(['applied', 'unchanged']);
    expect(stored()).toMatchObject({ checks: 1, audit: 1, events: 1 });
  });

  it.each([
    ['older than the window', -30 * MINUTE - 1],
    ['further ahead than the window', 5 * MINUTE + 1],
    ['a day old', -24 * 60 * MINUTE],
  ])('refuses an event %s with 400 stale_event and stores nothing', async (_name, offset) => {
    await setUp();
    const before = stored();
    const response = await send(completed('rejected', at(offset)));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'stale_event', message: expect.any(String) } });
    expect(stored()).toEqual(before);
    expect(kycOf('PTY-MM-SELLER')).toBe('pending');
  });

  it('accepts events at the edges of the window', async () => {
    await setUp();
    expect((await send(completed('rejected', at(-30 * MINUTE)))).statusCode).toBe(200);
    expect((await send(stepCompleted('liveness', at(5 * MINUTE), { score: 0.9 }))).statusCode).toBe(200);
  });

  it('takes the window from the server configuration', async () => {
    await setUp({ metamapEventWindow: { maxAgeMs: 2 * MINUTE, maxAheadMs: 0 } });
    expect((await send(completed('rejected', at(-3 * MINUTE)))).json().error.code).toBe('stale_event');
    expect((await send(completed('rejected', at(1)))).json().error.code).toBe('stale_event');
    expect((await send(completed('rejected', at(-2 * MINUTE)))).json().status).toBe('applied');
  });

  it.each([
    ['no timestamp', undefined],
    ['a timestamp that is not a date', 'yesterday'],
    ['a date without a time', '2026-11-24'],
  ])('refuses a handled event with %s as 400 invalid_request, storing nothing', async (_name, timestamp) => {
    await setUp();
    const before = stored();
    const event = { ...completed('rejected', at(0)), timestamp };
    const response = await post(JSON.stringify(event), {
      'x-signature': signWebhookBody(SECRET, JSON.stringify(event)),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(stored()).toEqual(before);
  });

  it('checks the signature before the time window and before the duplicate record', async () => {
    await setUp();
    const stale = JSON.stringify(completed('rejected', at(-60 * MINUTE)));
    const unsigned = await post(stale, { 'x-signature': signWebhookBody('not-the-secret', stale) });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.code).toBe('invalid_signature');

    const fresh = signedMetamapDelivery(SECRET, completed('rejected', at(-MINUTE)));
    await post(fresh.body, fresh.headers);
    const forged = await post(fresh.body, { 'x-signature': signWebhookBody('not-the-secret', fresh.body) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('invalid_signature');
  });

  it('draws the window edges inclusively', () => {
    const now = new Date('2026-11-24T12:00:00.000Z');
    const window = DEFAULT_METAMAP_EVENT_WINDOW;
    const shifted = (ms: number) => new Date(now.getTime() + ms);
    expect(outsideWindow(shifted(-window.maxAgeMs), now, window)).toBeNull();
    expect(outsideWindow(shifted(-window.maxAgeMs - 1), now, window)).toBe('too_old');
    expect(outsideWindow(shifted(window.maxAheadMs), now, window)).toBeNull();
    expect(outsideWindow(shifted(window.maxAheadMs + 1), now, window)).toBe('ahead_of_clock');
  });
});

describe('query plans of the MetaMap webhook', () => {
  it('finds duplicates, checks and parties through keys and indexes, never scanning a table', async () => {
    await setUp();
    const { db } = server.ctx;
    const statements: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      statements.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const deliveries = [
      'step-completed-liveness',
      'verification-completed-rejected',
      'step-completed-selfie-fraud-onboarding',
      'verification-completed-onboarding-verified',
    ];
    for (const name of deliveries) {
      expect((await signed(fixture(name))).statusCode).toBe(200);
    }
    const webhookQueries = statements.filter((sql) => /\b(metamap_events|liveness_checks|parties)\b/.test(sql));
    expect(webhookQueries.length).toBeGreaterThan(5);
    expect(webhookQueries.join('\n')).toContain('metamap_events');
    for (const sql of webhookQueries) {
      const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((match) => match[1]!))];
      const args = names.length
        ? [Object.fromEntries(names.map((name) => [name, 'x']))]
        : Array<string>((sql.match(/\?/g) ?? []).length).fill('x');
      const plan = (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail);
      expect(plan.filter((detail) => detail.startsWith('SCAN')), `${sql}\n${plan.join('\n')}`).toEqual([]);
    }
  });
});
