// The case routes other than the verdict (DESIGN §2, roles §4): reading the queue, claiming, writing to the
// parties, notes, Proof of Life requests, reassignment and compliance holds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EvidenceKind } from '../../shared/domain/dispute';
import { putEvidence } from '../../electron/server/evidence/store';
import { insertCaseEvidence } from '../../electron/server/sql/evidence';
import { encodeCaseCursor } from '../../electron/server/cases/list';
import { addCase, addUser, createTestServer, freshCode, type TestServer, type TestUser } from './harness';
import {
  call,
  claim,
  escrowOf,
  expectConsistent,
  footprint,
  postVerdict,
  verdictInput,
  FOUR_EYES_TRADE,
} from './fixtures/case-api';

let server: TestServer;
let agent: TestUser;
let otherAgent: TestUser;
let compliance: TestUser;
let supervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
  otherAgent = addUser(server.ctx, 'agent');
  compliance = addUser(server.ctx, 'compliance');
  supervisor = addUser(server.ctx, 'supervisor');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);

function auditActions(caseId: string): string[] {
  return (
    server.ctx.db.prepare('SELECT action FROM audit_log WHERE subject = ? ORDER BY seq').all(caseId) as {
      action: string;
    }[]
  ).map((row) => row.action);
}

/** The case as the last feed row shows it: every change must reach /v1/sync. */
function lastFeedVersion(caseId: string): number {
  const row = server.ctx.db
    .prepare("SELECT data FROM changes WHERE type = 'case' AND entity_id = ? ORDER BY seq DESC LIMIT 1")
    .get(caseId) as { data: string };
  return (JSON.parse(row.data) as { version: number }).version;
}

async function resolvedCase(): Promise<string> {
  const caseId = addCase(server.ctx);
  await claim(server, agent, caseId);
  expect((await postVerdict(server, agent, caseId, verdictInput(server, agent))).status).toBe(200);
  return caseId;
}

describe('GET /v1/cases', () => {
  function addCasesDueIn(minutes: number[]): string[] {
    return minutes.map((m) =>
      addCase(server.ctx, { slaDueAt: new Date(server.clock.now.getTime() + m * 60_000) }),
    );
  }

  it('lists summaries ordered by slaDueAt then id, for every role', async () => {
    const [late, early, tieA, tieB] = addCasesDueIn([300, 10, 60, 60]);
    for (const user of [agent, compliance, supervisor]) {
      const answer = await call(server, user, 'GET', '/v1/cases');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((c: { id: string }) => c.id)).toEqual([early, tieA, tieB, late]);
      expect(answer.body.nextCursor).toBeNull();
    }
    const first = (await call(server, agent, 'GET', '/v1/cases')).body.items[0];
    expect(Object.keys(first).sort()).toEqual(
      [
        'amount',
        'assignee',
        'asset',
        'buyer',
        'fiatAmount',
        'fiatCurrency',
        'flags',
        'id',
        'openedAt',
        'paymentMethod',
        'seller',
        'slaDueAt',
        'status',
        'version',
      ].sort(),
    );
    expect(first.flags).toEqual({ kyt: false, livenessFailed: false, fourEyes: false, onHold: false });
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const ids = addCasesDueIn([50, 40, 30, 20, 10]).reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await call(
        server,
        agent,
        'GET',
        `/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status).toBe(200);
      seen.push(...answer.body.items.map((c: { id: string }) => c.id));
      cursor = answer.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
  });

  it('a page that ends exactly at the last case has no next cursor', async () => {
    addCasesDueIn([1, 2]);
    expect((await call(server, agent, 'GET', '/v1/cases?limit=2')).body.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const [a, b] = addCasesDueIn([1, 2, 3]);
    await claim(server, agent, a!);
    await claim(server, agent, b!);
    const inReview = await call(server, agent, 'GET', '/v1/cases?status=in_review');
    expect(inReview.body.items.map((c: { id: string }) => c.id)).toEqual([a, b]);
    expect((await call(server, agent, 'GET', '/v1/cases?status=open')).body.items).toHaveLength(1);
    expect((await call(server, agent, 'GET', '/v1/cases?status=resolved')).body.items).toHaveLength(0);
  });

  it('defaults to 100 a page and clamps a limit above 500 to 500', async () => {
    server.ctx.write(() => {
      for (let i = 0; i < 501; i++) addCase(server.ctx);
    });
    const first = await call(server, agent, 'GET', '/v1/cases');
    expect(first.body.items).toHaveLength(100);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const clamped = await call(server, agent, 'GET', '/v1/cases?limit=100000');
    expect(clamped.status).toBe(200);
    expect(clamped.body.items).toHaveLength(500);
    const rest = await call(server, agent, 'GET', `/v1/cases?limit=500&cursor=${clamped.body.nextCursor}`);
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('treats empty parameters as absent', async () => {
    addCasesDueIn([1]);
    const answer = await call(server, agent, 'GET', '/v1/cases?status=&limit=&cursor=');
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(1);
  });

  it.each([
    ['limit=0'],
    ['limit=-1'],
    ['limit=abc'],
    ['limit=1.5'],
    ['limit=1&limit=2'],
    ['status=closed'],
    ['cursor=not!a!cursor'],
    ['cursor=bm90IGpzb24'], // "not json"
    [`cursor=${Buffer.from('{"slaDueAt":1}').toString('base64url')}`],
  ])('refuses %s with 400 invalid_request', async (query) => {
    const answer = await call(server, agent, 'GET', `/v1/cases?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
  });

  it('accepts a cursor it gave out even when that case is gone from the filter', async () => {
    const [a, b] = addCasesDueIn([1, 2]);
    const cursor = encodeCaseCursor({
      slaDueAt: new Date(server.clock.now.getTime() + 60_000).toISOString(),
      id: a!,
    });
    const answer = await call(server, agent, 'GET', `/v1/cases?status=open&cursor=${cursor}`);
    expect(answer.body.items.map((c: { id: string }) => c.id)).toEqual([b]);
  });

  it('needs a token', async () => {
    expect((await call(server, null, 'GET', '/v1/cases')).status).toBe(401);
  });
});

describe('GET /v1/cases/{id}', () => {
  it('returns the detail to every role, 404 for an unknown case, 401 without a token', async () => {
    const caseId = addCase(server.ctx);
    for (const user of [agent, compliance, supervisor]) {
      const answer = await call(server, user, 'GET', `/v1/cases/${caseId}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id: caseId,
        status: 'open',
        escrow: { state: 'held', hold: null },
        verdict: null,
      });
    }
    const missing = await call(server, agent, 'GET', '/v1/cases/DSP-NOPE');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await call(server, null, 'GET', `/v1/cases/${caseId}`)).status).toBe(401);
  });
});

describe('POST /v1/cases/{id}/claim', () => {
  it('assigns an open case to the calling agent, in review, with an audit entry and a feed row', async () => {
    const caseId = addCase(server.ctx);
    const answer = await claim(server, agent, caseId);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: caseId,
      status: 'in_review',
      version: 2,
      assignee: { id: agent.id, username: agent.username },
    });
    expect(auditActions(caseId)).toEqual(['case.claimed']);
    expect(lastFeedVersion(caseId)).toBe(2);
  });

  it('claiming your own case again is 200 and changes nothing', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const before = footprint(server);
    const again = await claim(server, agent, caseId);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'in_review', version: 2, assignee: { id: agent.id } });
    expect(footprint(server)).toEqual(before);
  });

  it('is 409 case_claimed when another agent holds the case, in review or awaiting approval', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    expect(await claim(server, otherAgent, caseId)).toMatchObject({
      status: 409,
      body: { error: { code: 'case_claimed' } },
    });
    const fourEyes = addCase(server.ctx, FOUR_EYES_TRADE);
    await claim(server, agent, fourEyes);
    await postVerdict(server, agent, fourEyes, verdictInput(server, agent));
    expect(await claim(server, otherAgent, fourEyes)).toMatchObject({
      status: 409,
      body: { error: { code: 'case_claimed' } },
    });
    expect((await claim(server, agent, fourEyes)).body.status).toBe('pending_approval');
  });

  it('is 409 case_already_resolved for a decided case, even for its holder', async () => {
    const caseId = await resolvedCase();
    for (const who of [agent, otherAgent]) {
      expect(await claim(server, who, caseId)).toMatchObject({
        status: 409,
        body: { error: { code: 'case_already_resolved' } },
      });
    }
  });

  it('takes no body: an empty object is fine, anything else is 400', async () => {
    const caseId = addCase(server.ctx);
    for (const payload of ['[]', 'null', '"x"', '{"assignee":"me"}']) {
      const answer = await server.app.inject({
        method: 'POST',
        url: `/v1/cases/${caseId}/claim`,
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
        payload,
      });
      expect(answer.statusCode, payload).toBe(400);
    }
    expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/claim`, {})).status).toBe(200);
  });

  it('is for agents only, 404 for an unknown case, 401 without a token', async () => {
    const caseId = addCase(server.ctx);
    for (const user of [compliance, supervisor]) {
      expect(await claim(server, user, caseId)).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden' } },
      });
    }
    expect((await claim(server, agent, 'DSP-NOPE')).status).toBe(404);
    expect((await call(server, null, 'POST', `/v1/cases/${caseId}/claim`)).status).toBe(401);
    expect((await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body.status).toBe('open');
  });
});

describe('POST /v1/cases/{id}/messages', () => {
  /** A file filed as evidence of `caseId`, as the exchange's receipts and the seed's files are. */
  function fileEvidence(caseId: string, bytes: Buffer, kind: EvidenceKind = 'receipt'): string {
    return server.ctx.write(() => {
      const { sha256 } = putEvidence(server.ctx.db, bytes, server.clock.now);
      insertCaseEvidence(server.ctx.db, {
        caseId,
        sha256,
        kind,
        uploader: 'buyer',
        fileName: `${kind}.png`,
        at: server.clock.now.toISOString(),
      });
      return sha256;
    });
  }

  it('the holder writes to both parties: 201 message pointing at the case’s evidence, audit entry, feed row', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const sha256 = fileEvidence(caseId, PNG);
    const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, {
      body: 'Please both upload your bank statements.',
      evidence: [sha256, sha256],
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^MSG-/),
      sender: 'agent',
      author: { id: agent.id, username: agent.username, displayName: `Test ${agent.username}` },
      body: 'Please both upload your bank statements.',
      at: server.clock.now.toISOString(),
      evidence: [sha256],
    });
    const detail = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
    expect(detail.messages).toEqual([answer.body]);
    // The file stays as it was filed: pointing at it in a message neither copies nor re-files it.
    expect(detail.evidence).toEqual([
      expect.objectContaining({ sha256, uploader: 'buyer', mime: 'image/png', kind: 'receipt' }),
    ]);
    expect(auditActions(caseId)).toEqual(['case.claimed', 'case.message_sent']);
    expect(lastFeedVersion(caseId)).toBe(detail.version);
  });

  it('refuses unknown evidence with 404 and writes nothing', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const before = footprint(server);
    const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, {
      body: 'See this.',
      evidence: ['a'.repeat(64)],
    });
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(footprint(server)).toEqual(before);
  });

  it('refuses a file of another case (another customer’s ID photo) as it refuses an unknown one, writing nothing', async () => {
    const caseId = addCase(server.ctx);
    const otherCase = addCase(server.ctx);
    await claim(server, agent, caseId);
    const own = fileEvidence(caseId, PNG);
    const othersIdPhoto = fileEvidence(otherCase, Buffer.concat([PNG, Buffer.from('other customer')]), 'id_photo');
    const storedOnly = server.ctx.write(
      () => putEvidence(server.ctx.db, Buffer.concat([PNG, Buffer.from('in the store, in no case')]), server.clock.now).sha256,
    );
    const before = footprint(server);
    for (const foreign of [othersIdPhoto, storedOnly]) {
      const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, {
        body: 'Is this you?',
        evidence: [own, foreign],
      });
      expect(answer).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      expect(answer.body.error.message).not.toContain(otherCase);
    }
    expect(footprint(server)).toEqual(before);
    const detail = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
    expect(detail.evidence.map((file: { sha256: string }) => file.sha256)).toEqual([own]);
  });

  it.each(['id_photo', 'selfie', 'liveness_frame'] as const)(
    'never sends one party’s identity evidence (%s) to the parties, even of its own case: 400, nothing written',
    async (kind) => {
      const caseId = addCase(server.ctx);
      await claim(server, agent, caseId);
      const identity = fileEvidence(caseId, PNG, kind);
      const before = footprint(server);
      const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, {
        body: 'Is this you?',
        evidence: [identity],
      });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
      expect(answer.body.error.message).toMatch(/^evidence\.0: /);
      expect(footprint(server)).toEqual(before);
    },
  );

  it('is 403 not_case_holder for an agent who does not hold the case, 403 forbidden for other roles', async () => {
    const caseId = addCase(server.ctx);
    const unclaimed = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, { body: 'Hi.' });
    expect(unclaimed).toMatchObject({ status: 403, body: { error: { code: 'not_case_holder' } } });
    await claim(server, agent, caseId);
    const other = await call(server, otherAgent, 'POST', `/v1/cases/${caseId}/messages`, { body: 'Hi.' });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'not_case_holder' } } });
    for (const user of [compliance, supervisor]) {
      const answer = await call(server, user, 'POST', `/v1/cases/${caseId}/messages`, { body: 'Hi.' });
      expect(answer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    }
  });

  it.each([
    [{}],
    [{ body: '' }],
    [{ body: '   ' }],
    [{ body: 'x', evidence: ['nope'] }],
    [{ body: 'x', extra: 1 }],
    [{ body: 'x'.repeat(4001) }],
    // The cap counts characters (code points), whatever their size in bytes.
    [{ body: '😀'.repeat(4001) }],
  ])('refuses the body %j with 400', async (payload) => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, payload);
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('takes 4,000 four-byte characters (16,000 bytes of UTF-8), the most a message holds', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, { body: '😀'.repeat(4000) });
    expect(answer.status).toBe(201);
    expect(Buffer.byteLength(answer.body.body)).toBe(16_000);
  });

  it('is 404 for an unknown case', async () => {
    expect((await call(server, agent, 'POST', '/v1/cases/DSP-NOPE/messages', { body: 'Hi.' })).status).toBe(
      404,
    );
  });

  it('takes no message once the case is resolved: 409 case_already_resolved, nothing written', async () => {
    const caseId = await resolvedCase();
    const before = footprint(server);
    const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, {
      body: 'The escrow was released to the buyer.',
    });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'case_already_resolved' } } });
    expect(footprint(server)).toEqual(before);
  });
});

describe('POST /v1/cases/{id}/notes', () => {
  it('any role writes an internal note: 201, in the detail, never a message', async () => {
    const caseId = addCase(server.ctx);
    const notes = [];
    for (const user of [agent, compliance, supervisor]) {
      server.clock.advance(1_000);
      const answer = await call(server, user, 'POST', `/v1/cases/${caseId}/notes`, {
        body: `Note by ${user.role}.`,
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        id: expect.stringMatching(/^NOTE-/),
        author: { id: user.id, username: user.username, displayName: `Test ${user.username}` },
        body: `Note by ${user.role}.`,
        at: server.clock.now.toISOString(),
      });
      notes.push(answer.body);
    }
    const detail = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
    expect(detail.notes).toEqual(notes);
    expect(detail.messages).toEqual([]);
    expect(auditActions(caseId)).toEqual(['case.note_added', 'case.note_added', 'case.note_added']);
    expect(lastFeedVersion(caseId)).toBe(4);
  });

  it('400 for a bad body, 404 for an unknown case, 401 without a token', async () => {
    const caseId = addCase(server.ctx);
    expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/notes`, { text: 'x' })).status).toBe(400);
    expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/notes`, { body: 'x'.repeat(4001) })).status).toBe(400);
    expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/notes`, { body: 'x'.repeat(4000) })).status).toBe(201);
    expect((await call(server, agent, 'POST', '/v1/cases/DSP-NOPE/notes', { body: 'x' })).status).toBe(404);
    expect((await call(server, null, 'POST', `/v1/cases/${caseId}/notes`, { body: 'x' })).status).toBe(401);
  });
});

describe('POST /v1/cases/{id}/liveness-requests', () => {
  it('the holder asks the buyer or the seller for a new Proof of Life: 201 a pending trade check', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const { buyer, seller } = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
    for (const party of [buyer, seller]) {
      const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/liveness-requests`, {
        partyId: party.id,
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        id: expect.stringMatching(/^LIV-/),
        partyId: party.id,
        caseId,
        trigger: 'trade',
        status: 'pending',
        provider: 'metamap',
        requestedBy: { id: agent.id, username: agent.username },
        completedAt: null,
      });
    }
    const detail = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body;
    expect(detail.liveness.map((check: { status: string }) => check.status)).toEqual(['pending', 'pending']);
    expect(auditActions(caseId)).toEqual(['case.claimed', 'liveness.requested', 'liveness.requested']);
  });

  it('a party of another case is 400 and nothing is written', async () => {
    const caseId = addCase(server.ctx);
    const elsewhere = addCase(server.ctx);
    await claim(server, agent, caseId);
    const stranger = (await call(server, agent, 'GET', `/v1/cases/${elsewhere}`)).body.buyer.id;
    const before = footprint(server);
    for (const partyId of [stranger, 'PTY-nobody']) {
      const answer = await call(server, agent, 'POST', `/v1/cases/${caseId}/liveness-requests`, { partyId });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    }
    expect(footprint(server)).toEqual(before);
  });

  it('is for the holder only, and not on a decided case', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const partyId = (await call(server, agent, 'GET', `/v1/cases/${caseId}`)).body.seller.id;
    const url = `/v1/cases/${caseId}/liveness-requests`;
    expect((await call(server, otherAgent, 'POST', url, { partyId })).body.error.code).toBe(
      'not_case_holder',
    );
    for (const user of [compliance, supervisor]) {
      expect((await call(server, user, 'POST', url, { partyId })).body.error.code).toBe('forbidden');
    }
    await postVerdict(server, agent, caseId, verdictInput(server, agent));
    expect(await call(server, agent, 'POST', url, { partyId })).toMatchObject({
      status: 409,
      body: { error: { code: 'case_already_resolved' } },
    });
    expect(
      (await call(server, agent, 'POST', '/v1/cases/DSP-NOPE/liveness-requests', { partyId })).status,
    ).toBe(404);
  });
});

describe('POST /v1/cases/{id}/reassign', () => {
  it('a supervisor hands a case in review to another agent, who may then decide it', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const answer = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, {
      assigneeId: otherAgent.id,
      reason: 'Shift change.',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'in_review', assignee: { id: otherAgent.id } });
    const audit = server.ctx.db
      .prepare("SELECT data FROM audit_log WHERE action = 'case.reassigned'")
      .get() as { data: string };
    expect(JSON.parse(audit.data)).toEqual({ from: agent.id, to: otherAgent.id, reason: 'Shift change.' });
    expect(lastFeedVersion(caseId)).toBe(answer.body.version);
    const old = await postVerdict(server, agent, caseId, verdictInput(server, agent));
    expect(old).toMatchObject({ status: 403, body: { error: { code: 'not_case_holder' } } });
    expect((await postVerdict(server, otherAgent, caseId, verdictInput(server, otherAgent))).status).toBe(
      200,
    );
  });

  it('an open case goes to the new agent in review; the current holder again is 409 already_assigned, nothing changes', async () => {
    const caseId = addCase(server.ctx);
    const answer = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, {
      assigneeId: agent.id,
      reason: 'Urgent.',
    });
    expect(answer.body).toMatchObject({ status: 'in_review', assignee: { id: agent.id } });
    const before = footprint(server);
    const again = await call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, {
      assigneeId: agent.id,
      reason: 'Urgent.',
    });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { code: 'already_assigned', message: `Test ${agent.username} already holds this case: choose another agent.` } },
    });
    expect(footprint(server)).toEqual(before);
  });

  it('the assignee must be an agent (400); a decided case is 409; supervisors only', async () => {
    const caseId = addCase(server.ctx);
    const url = `/v1/cases/${caseId}/reassign`;
    for (const assigneeId of [compliance.id, supervisor.id, 'USR-nobody']) {
      expect(await call(server, supervisor, 'POST', url, { assigneeId, reason: 'x' })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_request' } },
      });
    }
    for (const user of [agent, compliance]) {
      expect(
        (await call(server, user, 'POST', url, { assigneeId: otherAgent.id, reason: 'x' })).body.error.code,
      ).toBe('forbidden');
    }
    expect((await call(server, supervisor, 'POST', url, { assigneeId: otherAgent.id })).status).toBe(400);
    expect(
      (
        await call(server, supervisor, 'POST', '/v1/cases/DSP-NOPE/reassign', {
          assigneeId: agent.id,
          reason: 'x',
        })
      ).status,
    ).toBe(404);
    const decided = await resolvedCase();
    const answer = await call(server, supervisor, 'POST', `/v1/cases/${decided}/reassign`, {
      assigneeId: otherAgent.id,
      reason: 'x',
    });
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'case_already_resolved' } } });
  });
});

describe('POST and DELETE /v1/cases/{id}/hold', () => {
  it('compliance places a hold (flag, hold detail, audit, feed) and lifts it', async () => {
    const caseId = addCase(server.ctx);
    const placed = await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, {
      reason: 'SEVERE KYT alert: sanctions.',
    });
    expect(placed.status).toBe(200);
    expect(placed.body.flags.onHold).toBe(true);
    expect(placed.body.escrow).toMatchObject({
      state: 'held',
      hold: {
        reason: 'SEVERE KYT alert: sanctions.',
        by: { id: compliance.id },
        at: server.clock.now.toISOString(),
      },
    });
    expect(lastFeedVersion(caseId)).toBe(placed.body.version);
    const lifted = await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`, {
      reason: 'Funds traced to a regulated exchange.',
      totp: freshCode(server, compliance),
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body.flags.onHold).toBe(false);
    expect(lifted.body.escrow.hold).toBeNull();
    expect(auditActions(caseId)).toEqual(['escrow.hold_placed', 'escrow.hold_lifted']);
    expect(lastFeedVersion(caseId)).toBe(lifted.body.version);
  });

  it('409 on a second hold, on lifting no hold and on an escrow that already moved', async () => {
    const caseId = addCase(server.ctx);
    await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'KYT.' });
    expect(
      await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'Again.' }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'escrow_on_hold' } },
    });
    expect(escrowOf(server, caseId).hold_reason).toBe('KYT.');
    const lift = () => ({ reason: 'Clear.', totp: freshCode(server, compliance) });
    expect((await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`, lift())).status).toBe(200);
    expect(await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`, lift())).toMatchObject({
      status: 409,
      body: { error: { code: 'escrow_not_on_hold' } },
    });
    const decided = await resolvedCase();
    expect(
      await call(server, compliance, 'POST', `/v1/cases/${decided}/hold`, { reason: 'Late.' }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'case_already_resolved' } },
    });
  });

  it('is for compliance only; needs a reason; 404 for an unknown case', async () => {
    const caseId = addCase(server.ctx);
    for (const user of [agent, supervisor]) {
      expect(
        (await call(server, user, 'POST', `/v1/cases/${caseId}/hold`, { reason: 'x' })).body.error.code,
      ).toBe('forbidden');
      expect(
        (await call(server, user, 'DELETE', `/v1/cases/${caseId}/hold`, { reason: 'x', totp: '000000' })).body
          .error.code,
      ).toBe('forbidden');
    }
    expect((await call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, {})).status).toBe(400);
    expect((await call(server, compliance, 'DELETE', `/v1/cases/${caseId}/hold`)).status).toBe(400);
    expect((await call(server, compliance, 'POST', '/v1/cases/DSP-NOPE/hold', { reason: 'x' })).status).toBe(
      404,
    );
    expect(escrowOf(server, caseId).hold_reason).toBeNull();
  });
});
