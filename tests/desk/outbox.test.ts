// The outbox against the real platform server on a loopback port: commands are on disk before they are
// sent, survive a crash, are retried under the same key when the answer is lost or the server is away,
// ask for a fresh code when theirs went stale, and end as failed with a readable reason when the server
// refuses them. Every money check is made on the server's own ledger, verdicts and audit log.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCommand, insertCommand } from '../../electron/desk/outbox/store';
import type { OutboxEntry } from '../../shared/desk-api/schemas';
import { addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { call, escrowOf, expectConsistent, footprint, newKey } from '../server/fixtures/case-api';
import { outboxDesks, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

const VERDICT = {
  outcome: 'release',
  reasonCode: 'payment_confirmed',
  rationale: 'The statement shows the payment arrived.',
} as const;

let platform: Platform;
let dataDir: string;
let ana: TestUser;
let caseId: string;
const desks = outboxDesks();

/** A desk with its outbox, signed in as `user` (the server's clock moves a step for the sign-in code). */
const deskFor = (user: TestUser | null, dir = dataDir) => desks.open(platform, user, dir);

const settled = (desk: TestDesk, id: string, state: OutboxEntry['state']) =>
  desk.nextEvent('outbox.changed', (entry) => entry.id === id && entry.state === state);

const verdictRequests = (id: string) =>
  platform.proxy.requests.filter((r) => r.method === 'POST' && r.path === `/v1/cases/${id}/verdict`);

const auditCount = (action: string, subject: string) =>
  (
    platform.server.ctx.db
      .prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND subject = ?')
      .get(action, subject) as {
      n: number;
    }
  ).n;

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-outbox-');
  ana = addUser(platform.server.ctx, 'agent');
  caseId = addCase(platform.server.ctx);
});

afterEach(async () => {
  await desks.closeAll();
  expectConsistent(platform.server);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('sending', () => {
  it('writes a command to disk before sending it, then confirms it and puts the answered case in the cache', async () => {
    const { desk, handlers } = await deskFor(ana);
    const onDiskWhenSent: unknown[] = [];
    platform.proxy.onRequest = (request) => {
      const key = request.headers['idempotency-key'];
      onDiskWhenSent.push(
        desk.ctx.own.prepare('SELECT kind, state FROM outbox WHERE idempotency_key = ?').get(key),
      );
    };

    const entry = await handlers['case.claim']!({ caseId });

    expect(entry).toMatchObject({ kind: 'claim', caseId, state: 'confirmed', attempts: 1, error: null });
    expect(onDiskWhenSent).toEqual([{ kind: 'claim', state: 'pending' }]);
    expect(
      desk.events.filter((e) => e.event === 'outbox.changed').map((e) => (e.payload as OutboxEntry).state),
    ).toEqual(['pending', 'confirmed']);
    expect(desk.ctx.db.prepare('SELECT assignee_id FROM cases WHERE id = ?').get(caseId)).toEqual({
      assignee_id: ana.id,
    });
    expect(desk.events).toContainEqual({ event: 'cases.changed', payload: { caseIds: [caseId] } });
    expect(escrowOf(platform.server, caseId).state).toBe('held');
  });

  it('sends the commands of one case in the order they were given', async () => {
    const { desk, outbox, handlers } = await deskFor(ana);
    platform.proxy.down = true;
    const claim = await handlers['case.claim']!({ caseId });
    const verdict = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      totp: freshCode(platform.server, ana),
    });
    // The verdict waits behind the claim it needs, without being tried.
    expect(findCommand(desk.ctx.own, verdict.id)).toMatchObject({ state: 'pending', attempts: 0 });

    platform.proxy.down = false;
    await outbox.resume();

    expect(findCommand(desk.ctx.own, claim.id)?.state).toBe('confirmed');
    expect(findCommand(desk.ctx.own, verdict.id)?.state).toBe('confirmed');
    const sent = platform.proxy.requests.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/v1/cases/'),
    );
    expect(sent.at(-2)?.path).toBe(`/v1/cases/${caseId}/claim`);
    expect(sent.at(-1)?.path).toBe(`/v1/cases/${caseId}/verdict`);
    expect(escrowOf(platform.server, caseId).state).toBe('released');
  });

  it('refuses a second verdict on a case while the first is on its way', async () => {
    const { handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    platform.proxy.down = true;
    await handlers['case.verdict']!({ caseId, ...VERDICT, totp: freshCode(platform.server, ana) });

    await expect(
      handlers['case.verdict']!({
        caseId,
        ...VERDICT,
        outcome: 'refund',
        totp: freshCode(platform.server, ana),
      }),
    ).rejects.toMatchObject({ code: 'verdict_in_outbox' });
  });

  it('checks its input and needs a signed-in user', async () => {
    const { handlers } = await deskFor(null);
    await expect(handlers['case.claim']!({ caseId })).rejects.toMatchObject({ code: 'signed_out' });
    await expect(handlers['case.message']!({ caseId, body: '   ' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(handlers['case.verdict']!({ caseId, ...VERDICT, totp: '12345' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});

describe('after a crash', () => {
  it('sends the commands written before the crash once the agent is back, and the server applies each once', async () => {
    const first = await deskFor(ana);
    // The first half of a command: on disk, never sent. Then the process dies.
    const at = new Date().toISOString();
    insertCommand(first.desk.ctx.own, {
      id: 'cmd-claim',
      userId: ana.id,
      kind: 'claim',
      caseId,
      idempotencyKey: 'key-claim-0001',
      payload: {},
      at,
    });
    insertCommand(first.desk.ctx.own, {
      id: 'cmd-note',
      userId: ana.id,
      kind: 'note',
      caseId,
      idempotencyKey: 'key-note-0001',
      payload: { body: 'Asked the bank for the statement.' },
      at,
    });
    first.desk.close();
    expect(platform.proxy.requests.filter((r) => r.path.startsWith('/v1/cases/'))).toEqual([]);

    // The restart: the token lived in memory only, so the agent signs in again and the outbox resumes.
    const second = await deskFor(ana);
    await second.outbox.resume();

    expect(findCommand(second.desk.ctx.own, 'cmd-claim')).toMatchObject({ state: 'confirmed', attempts: 1 });
    expect(findCommand(second.desk.ctx.own, 'cmd-note')).toMatchObject({ state: 'confirmed', attempts: 1 });
    const claims = platform.proxy.requests.filter((r) => r.path === `/v1/cases/${caseId}/claim`);
    expect(claims.map((r) => r.headers['idempotency-key'])).toEqual(['key-claim-0001']);
    expect(auditCount('case.claimed', caseId)).toBe(1);
    expect(auditCount('case.note_added', caseId)).toBe(1);
  });

  it('asks for a fresh code for a verdict whose code went stale across the restart, then moves the escrow once', async () => {
    expect((await call(platform.server, ana, 'POST', `/v1/cases/${caseId}/claim`)).status).toBe(200);
    const first = await deskFor(ana);
    const staleCode = freshCode(platform.server, ana);
    insertCommand(first.desk.ctx.own, {
      id: 'cmd-verdict',
      userId: ana.id,
      kind: 'verdict',
      caseId,
      idempotencyKey: 'key-verdict-0001',
      payload: { ...VERDICT, totp: staleCode },
      at: new Date().toISOString(),
    });
    first.desk.close();

    // Signing in again spends a newer step of ana's codes, so the queued one is refused as replayed.
    const second = await deskFor(ana);
    await second.outbox.resume();
    expect(findCommand(second.desk.ctx.own, 'cmd-verdict')).toMatchObject({
      state: 'needs_code',
      error: { code: 'totp_replayed' },
    });
    expect(escrowOf(platform.server, caseId).state).toBe('held');

    const entry = await second.handlers['case.verdictCode']!({
      commandId: 'cmd-verdict',
      totp: freshCode(platform.server, ana),
    });

    expect(entry).toMatchObject({ id: 'cmd-verdict', state: 'confirmed' });
    expect(verdictRequests(caseId).map((r) => r.headers['idempotency-key'])).toEqual([
      'key-verdict-0001',
      'key-verdict-0001',
    ]);
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    expect(auditCount('verdict.executed', caseId)).toBe(1);
  });
});

describe('retries under the same key', () => {
  it('a verdict whose answer was lost gets the stored answer on the retry, and the escrow moves once', async () => {
    const { desk, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    const before = footprint(platform.server);
    platform.proxy.loseAnswers(1);

    const entry = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      totp: freshCode(platform.server, ana),
    });
    // The server took it; the desk does not know yet and keeps it pending.
    expect(entry).toMatchObject({ state: 'pending', error: { code: 'offline' } });
    expect(escrowOf(platform.server, caseId).state).toBe('released');

    await settled(desk, entry.id, 'confirmed');

    const [firstTry, retry] = verdictRequests(caseId);
    expect(retry?.headers['idempotency-key']).toBe(firstTry?.headers['idempotency-key']);
    expect(retry?.body).toBe(firstTry?.body);
    const after = footprint(platform.server);
    expect(after.verdicts - before.verdicts).toBe(1);
    expect(after.idempotency - before.idempotency).toBe(1);
    expect(auditCount('verdict.executed', caseId)).toBe(1);
    expect(desk.ctx.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId)).toEqual({
      status: 'resolved',
    });
    // Once confirmed, the code is gone from disk.
    expect(JSON.parse(findCommand(desk.ctx.own, entry.id)!.payload)).toMatchObject({ totp: null });
  });

  it('a verdict answered 200 in a form the desk cannot read stays pending and goes again under its key', async () => {
    const { desk, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    platform.proxy.garbleAnswers(1);

    const entry = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      totp: freshCode(platform.server, ana),
    });
    // The server took it, but an answer the desk cannot read confirms nothing (a proxy's page looks alike).
    expect(entry.state).toBe('pending');
    await settled(desk, entry.id, 'confirmed');

    const [firstTry, retry] = verdictRequests(caseId);
    expect(retry?.headers['idempotency-key']).toBe(firstTry?.headers['idempotency-key']);
    expect(auditCount('verdict.executed', caseId)).toBe(1);
    expect(desk.ctx.db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId)).toEqual({
      status: 'resolved',
    });
  });

  it('a claim whose answer was lost is repeated harmlessly: the holder claiming again changes nothing', async () => {
    const { desk, handlers } = await deskFor(ana);
    platform.proxy.loseAnswers(1);
    const entry = await handlers['case.claim']!({ caseId });
    expect(entry.state).toBe('pending');

    await settled(desk, entry.id, 'confirmed');

    expect(platform.proxy.requests.filter((r) => r.path === `/v1/cases/${caseId}/claim`)).toHaveLength(2);
    expect(auditCount('case.claimed', caseId)).toBe(1);
  });

  it('keeps a command pending while the server is away, backing off, and sends it when the server is back', async () => {
    const { desk, handlers } = await deskFor(ana);
    platform.proxy.down = true;

    const entry = await handlers['case.claim']!({ caseId });
    expect(entry).toMatchObject({ state: 'pending', attempts: 1, error: { code: 'offline' } });
    const retryAt = (attempts: number) =>
      desk
        .nextEvent('outbox.changed', (e) => e.id === entry.id && e.attempts === attempts)
        .then(() => {
          const command = findCommand(desk.ctx.own, entry.id)!;
          return Date.parse(command.nextAttemptAt);
        });
    // The retry timer tries again on its own, each time later than the last.
    const second = await retryAt(2);
    const third = await retryAt(3);
    expect(third).toBeGreaterThan(second);

    platform.proxy.down = false;
    await settled(desk, entry.id, 'confirmed');
    expect(auditCount('case.claimed', caseId)).toBe(1);
  });
});

describe('a verdict code that went stale', () => {
  it('asks for a fresh code, then goes again under the same key and the escrow moves exactly once', async () => {
    const { desk, outbox, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    platform.proxy.down = true;
    const code = freshCode(platform.server, ana);
    const entry = await handlers['case.verdict']!({ caseId, ...VERDICT, totp: code });
    expect(entry.state).toBe('pending');

    // Ninety seconds later the code is three steps old: the server no longer takes it.
    platform.server.clock.advance(90_000);
    platform.proxy.down = false;
    await outbox.resume();

    const waiting = findCommand(desk.ctx.own, entry.id)!;
    expect(waiting).toMatchObject({ state: 'needs_code', error: { code: 'invalid_totp' } });
    expect(waiting.error?.message).toMatch(/fresh code/);
    expect(JSON.parse(waiting.payload)).toMatchObject({ totp: null });
    expect(escrowOf(platform.server, caseId).state).toBe('held');
    // Nothing of it was stored on the server: the key is free for the same request with a new code.
    expect(platform.server.ctx.db.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get()).toEqual({
      n: 0,
    });

    const fresh = freshCode(platform.server, ana);
    const resent = await handlers['case.verdictCode']!({ commandId: entry.id, totp: fresh });

    expect(resent).toMatchObject({ id: entry.id, state: 'confirmed', error: null });
    const sent = verdictRequests(caseId).filter((r) => r.body.includes(fresh) || r.body.includes(code));
    expect(new Set(sent.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(JSON.parse(sent.at(-1)!.body)).toMatchObject({ totp: fresh });
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    expect(auditCount('verdict.executed', caseId)).toBe(1);
    // Neither code was ever logged, and no entry the renderer saw carried one.
    const seen = JSON.stringify([desk.logs, desk.events]);
    expect(seen).not.toContain(code);
    expect(seen).not.toContain(fresh);
  });

  it('a code already spent on another verdict asks for the next one', async () => {
    const otherCase = addCase(platform.server.ctx);
    const { desk, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    await handlers['case.claim']!({ caseId: otherCase });
    const code = freshCode(platform.server, ana);
    expect((await handlers['case.verdict']!({ caseId, ...VERDICT, totp: code })).state).toBe('confirmed');

    const second = await handlers['case.verdict']!({ caseId: otherCase, ...VERDICT, totp: code });
    expect(second).toMatchObject({ state: 'needs_code', error: { code: 'totp_replayed' } });

    const done = await handlers['case.verdictCode']!({
      commandId: second.id,
      totp: freshCode(platform.server, ana),
    });
    expect(done.state).toBe('confirmed');
    expect(escrowOf(platform.server, otherCase).state).toBe('released');
    expect(findCommand(desk.ctx.own, second.id)?.attempts).toBe(2);
  });

  it('takes a code only for a verdict of the signed-in user that waits for one', async () => {
    const { handlers } = await deskFor(ana);
    const claim = await handlers['case.claim']!({ caseId });
    await expect(
      handlers['case.verdictCode']!({ commandId: claim.id, totp: '123456' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      handlers['case.verdictCode']!({ commandId: 'no-such-command', totp: '123456' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    const verdict = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      totp: freshCode(platform.server, ana),
    });
    expect(verdict.state).toBe('confirmed');
    await expect(
      handlers['case.verdictCode']!({ commandId: verdict.id, totp: '123456' }),
    ).rejects.toMatchObject({
      code: 'not_waiting_for_code',
    });
  });
});

describe('refusals are final and readable', () => {
  it('a verdict on a case another agent decided first fails, is not retried, and moves nothing more', async () => {
    const bruno = addUser(platform.server.ctx, 'agent');
    const sofia = addUser(platform.server.ctx, 'supervisor');
    const { desk, outbox, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    platform.proxy.down = true;
    const entry = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      outcome: 'refund',
      totp: freshCode(platform.server, ana),
    });

    // Meanwhile a supervisor hands the case to bruno, who releases it.
    expect(
      (
        await call(platform.server, sofia, 'POST', `/v1/cases/${caseId}/reassign`, {
          assigneeId: bruno.id,
          reason: 'Shift change',
        })
      ).status,
    ).toBe(200);
    const decided = await call(
      platform.server,
      bruno,
      'POST',
      `/v1/cases/${caseId}/verdict`,
      { ...VERDICT, totp: freshCode(platform.server, bruno) },
      { 'idempotency-key': newKey() },
    );
    expect(decided.status).toBe(200);
    platform.proxy.down = false;
    await outbox.resume();

    const failed = findCommand(desk.ctx.own, entry.id)!;
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'not_case_holder' } });
    expect(failed.error?.message).toBe(
      'The verdict was not applied: you no longer hold this case (a supervisor may have reassigned it).',
    );
    expect(JSON.parse(failed.payload)).toMatchObject({ totp: null });
    const attempts = failed.attempts;
    await outbox.resume();
    expect(findCommand(desk.ctx.own, entry.id)?.attempts).toBe(attempts);
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    expect(auditCount('verdict.executed', caseId)).toBe(1);
  });

  it('a claim or a second verdict on a decided case fails as "already decided" (409)', async () => {
    const bruno = addUser(platform.server.ctx, 'agent');
    const decidedByBruno = addCase(platform.server.ctx);
    expect((await call(platform.server, bruno, 'POST', `/v1/cases/${decidedByBruno}/claim`)).status).toBe(
      200,
    );
    const verdict = await call(
      platform.server,
      bruno,
      'POST',
      `/v1/cases/${decidedByBruno}/verdict`,
      { ...VERDICT, totp: freshCode(platform.server, bruno) },
      { 'idempotency-key': newKey() },
    );
    expect(verdict.status).toBe(200);
    const { handlers } = await deskFor(ana);

    const claim = await handlers['case.claim']!({ caseId: decidedByBruno });
    expect(claim).toMatchObject({ state: 'failed', error: { code: 'case_already_resolved' } });
    expect(claim.error?.message).toBe(
      'The claim was not applied: the case was already decided (by another agent or another desk) and its escrow has moved.',
    );

    await handlers['case.claim']!({ caseId });
    expect(
      (await handlers['case.verdict']!({ caseId, ...VERDICT, totp: freshCode(platform.server, ana) })).state,
    ).toBe('confirmed');
    const again = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      outcome: 'refund',
      totp: freshCode(platform.server, ana),
    });
    expect(again).toMatchObject({ state: 'failed', error: { code: 'case_already_resolved' } });
    expect(escrowOf(platform.server, caseId).state).toBe('released');
  });

  it('a verdict on an escrow on hold fails as such and the escrow stays held', async () => {
    const carla = addUser(platform.server.ctx, 'compliance');
    const { desk, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    expect(
      (
        await call(platform.server, carla, 'POST', `/v1/cases/${caseId}/hold`, {
          reason: 'KYT alert under review',
        })
      ).status,
    ).toBe(200);

    const entry = await handlers['case.verdict']!({
      caseId,
      ...VERDICT,
      totp: freshCode(platform.server, ana),
    });

    expect(entry).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'escrow_on_hold' } });
    expect(entry.error?.message).toMatch(/on hold/);
    expect(JSON.parse(findCommand(desk.ctx.own, entry.id)!.payload)).toMatchObject({ totp: null });
    expect(escrowOf(platform.server, caseId)).toMatchObject({
      state: 'held',
      hold_reason: 'KYT alert under review',
    });
  });

  it('a request the server finds invalid (400) fails at once', async () => {
    const { handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    const entry = await handlers['case.requestLiveness']!({ caseId, partyId: 'PTY-someone-else' });
    expect(entry).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'invalid_request' } });
    expect(entry.error?.message).toMatch(/^The Proof of Life request was not applied: /);
  });
});

describe('an ended session', () => {
  it('keeps the command pending and sends it after the agent signs in again', async () => {
    const { desk, outbox, handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    // The session ends on the server (expired, or revoked elsewhere) without the desk knowing.
    platform.server.ctx.db.prepare('DELETE FROM sessions').run();

    const entry = await handlers['case.note']!({ caseId, body: 'The seller sent a new statement.' });
    expect(entry).toMatchObject({ state: 'pending', error: { code: 'unauthenticated' } });
    expect(desk.events.some((e) => e.event === 'session.expired')).toBe(true);
    await expect(handlers['case.note']!({ caseId, body: 'Another one.' })).rejects.toMatchObject({
      code: 'signed_out',
    });

    await signIn(desk, platform.server, ana);
    await outbox.resume();

    expect(findCommand(desk.ctx.own, entry.id)).toMatchObject({ state: 'confirmed', error: null });
    expect(auditCount('case.note_added', caseId)).toBe(1);
    expect(outbox.entriesOfCase(caseId).map((e) => [e.kind, e.state])).toEqual([
      ['claim', 'confirmed'],
      ['note', 'confirmed'],
    ]);
  });

  it('sends only the commands of the user who is signed in', async () => {
    const bruno = addUser(platform.server.ctx, 'agent');
    const first = await deskFor(ana);
    insertCommand(first.desk.ctx.own, {
      id: 'cmd-ana',
      userId: ana.id,
      kind: 'note',
      caseId,
      idempotencyKey: 'key-ana-note-1',
      payload: { body: 'Ana’s note.' },
      at: new Date().toISOString(),
    });
    await desks.closeLast();

    const second = await deskFor(bruno);
    await second.outbox.resume();
    expect(findCommand(second.desk.ctx.own, 'cmd-ana')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(second.outbox.entriesOfCase(caseId)).toEqual([]);
  });
});
