// A desk closed over a weekend resends, on Monday, the command whose answer it never got, under the same
// Idempotency-Key (issue #11). The retention job drops the whole stored answer after a day, but keeps the
// key 30 days: the late repeat is answered 409 already_applied (the desk's outbox counts it as done) and is
// never carried out a second time. Real server, pinned clock, the retention job run as the scheduler runs it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION } from '../../electron/server/config';
import { addCase, addUser, advanceSignedIn, createTestServer, freshCode, type TestServer, type TestUser } from './harness';
import { call, claim, escrowOf, expectConsistent, postVerdict, verdictInput } from './fixtures/case-api';

const DAY = 24 * 60 * 60 * 1000;

let server: TestServer;
let agent: TestUser;
let otherAgent: TestUser;
let supervisor: TestUser;

beforeEach(async () => {
  server = await createTestServer();
  agent = addUser(server.ctx, 'agent');
  otherAgent = addUser(server.ctx, 'agent');
  supervisor = addUser(server.ctx, 'supervisor');
});

afterEach(async () => {
  expectConsistent(server);
  await server.close();
});

const count = (sql: string, ...args: unknown[]) => (server.ctx.db.prepare(sql).get(...args) as { n: number }).n;
const auditCount = (action: string) => count('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?', action);
const holderOf = (caseId: string) =>
  (server.ctx.db.prepare('SELECT assignee_id AS id FROM cases WHERE id = ?').get(caseId) as { id: string }).id;

/** The weekend: three days pass with the desk closed, and the retention job runs. */
function weekendPasses(): void {
  advanceSignedIn(server, 3 * DAY);
  server.retention.runNow();
}

describe('a repeat under its key days after the answer was dropped', () => {
  it('a reassignment is not carried out again (the case stays with whom it was given to since)', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const url = `/v1/cases/${caseId}/reassign`;
    const friday = { assigneeId: otherAgent.id, reason: 'Ana is off next week.' };
    const sent = await call(server, supervisor, 'POST', url, friday, { 'idempotency-key': 'friday-reassign' });
    expect(sent.status).toBe(200);
    // Later that day the case goes back to the first agent (another key, another decision).
    await call(server, supervisor, 'POST', url, { assigneeId: agent.id, reason: 'Plans changed.' });
    expect(holderOf(caseId)).toBe(agent.id);

    weekendPasses();
    const monday = await call(server, supervisor, 'POST', url, friday, { 'idempotency-key': 'friday-reassign' });

    expect(monday).toMatchObject({ status: 409, body: { error: { code: 'already_applied', message: expect.any(String) } } });
    expect(holderOf(caseId)).toBe(agent.id);
    expect(auditCount('case.reassigned')).toBe(2);
  });

  it('a hold placed again after it was lifted is not placed a second time', async () => {
    const compliance = addUser(server.ctx, 'compliance');
    const caseId = addCase(server.ctx);
    const url = `/v1/cases/${caseId}/hold`;
    const body = { reason: 'The buyer matches a sanctions list.' };
    expect((await call(server, compliance, 'POST', url, body, { 'idempotency-key': 'friday-hold' })).status).toBe(200);
    const lifted = await call(server, compliance, 'DELETE', url, { reason: 'A namesake.', totp: freshCode(server, compliance) });
    expect(lifted.status).toBe(200);
    const placed = auditCount('escrow.hold_placed');

    weekendPasses();
    const monday = await call(server, compliance, 'POST', url, body, { 'idempotency-key': 'friday-hold' });

    expect(monday.body.error?.code).toBe('already_applied');
    expect(escrowOf(server, caseId).hold_reason).toBeNull();
    expect(auditCount('escrow.hold_placed')).toBe(placed);
  });

  it('a verdict is answered already_applied, not case_already_resolved, and the escrow moved once', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const decision = verdictInput(server, agent);
    expect((await postVerdict(server, agent, caseId, decision, 'friday-verdict')).status).toBe(200);
    const movements = count('SELECT COUNT(*) AS n FROM ledger_entries');

    weekendPasses();
    const monday = await postVerdict(server, agent, caseId, decision, 'friday-verdict');

    expect(monday.body.error?.code).toBe('already_applied');
    expect(count('SELECT COUNT(*) AS n FROM ledger_entries')).toBe(movements);
  });

  it('keeps the key, fingerprint and status 30 days without the answer; another body under the key is still 422', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const decision = verdictInput(server, agent);
    await postVerdict(server, agent, caseId, decision, 'friday-verdict');
    const record = () =>
      server.ctx.db.prepare("SELECT state, response_status AS status, response_body AS body FROM idempotency_keys WHERE key = 'friday-verdict'").get();

    advanceSignedIn(server, DEFAULT_RETENTION.idempotencyMs - 60_000);
    server.retention.runNow();
    expect(record()).toMatchObject({ state: 'done', status: 200, body: expect.stringContaining(caseId) });

    weekendPasses();
    expect(record()).toEqual({ state: 'done', status: 200, body: null });
    const other = await postVerdict(server, agent, caseId, { ...decision, outcome: 'refund' }, 'friday-verdict');
    expect(other.body.error?.code).toBe('idempotency_key_reused');

    advanceSignedIn(server, DEFAULT_RETENTION.idempotencyKeysMs);
    server.retention.runNow();
    expect(record()).toBeUndefined();
  });
});
