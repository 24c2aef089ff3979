// What the own store keeps of the user's text (issue #11, from the attacker review): a finished command
// (confirmed, or failed for good) keeps no free text from the moment it finishes, and goes altogether after
// the retention period; drafts go once they have outlived their use. A command still on its way (pending,
// waiting for a code) keeps its payload, however old: it may be an unsent verdict.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import type { DeskContext } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { OWN_MIGRATIONS } from '../../electron/desk/db/own-migrations/index';
import { migrateOpenedDatabase } from '../../shared/db/migrations';
import { openSqlite } from '../../electron/desk/db/open';
import { storedDrafts, writeDraftJson } from '../../electron/desk/drafts/store';
import { insertCommand, settleAttempt } from '../../electron/desk/outbox/store';
import { DEFAULT_RETENTION_DAYS, purgeOwnStore } from '../../electron/desk/storage/purge';
import { addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { syntheticCase } from './fixtures/synthetic-cases';
import { outboxDesks, startPlatform, type Platform } from './outbox-harness';

const DAY_MS = 86_400_000;
const NOTE = 'Called the seller: the transfer is on their statement.';
const RATIONALE = 'Bank statement matches the trade reference and amount.';
const UNSENT = 'The buyer never paid; the receipt was edited.';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Every byte the own store holds on disk (the harness's own.db is not encrypted). */
const ownBytes = (dataDir: string) =>
  Buffer.concat(
    ['', '-wal'].map((suffix) => path.join(dataDir, `own.db${suffix}`)).filter(fs.existsSync).map((file) => fs.readFileSync(file)),
  );

describe('commands the server took', () => {
  let platform: Platform;
  let ana: TestUser;
  const desks = outboxDesks();

  beforeEach(async () => {
    platform = await startPlatform();
    ana = addUser(platform.server.ctx, 'agent');
  });

  afterEach(async () => {
    await desks.closeAll();
    await platform.close();
  });

  it('keep no free text once confirmed, and are gone 400 days later; an unsent verdict stays whole', async () => {
    const dataDir = tempDir('dd-desk-own-');
    const { desk, handlers } = await desks.open(platform, ana, dataDir);
    const caseId = addCase(platform.server.ctx);
    expect((await handlers['case.claim']!({ caseId })).state).toBe('confirmed');
    expect((await handlers['case.note']!({ caseId, body: NOTE })).state).toBe('confirmed');
    const verdict = { outcome: 'release', reasonCode: 'payment_confirmed', rationale: RATIONALE } as const;
    const sent = await handlers['case.verdict']!({ caseId, ...verdict, totp: freshCode(platform.server, ana) });
    expect(sent.state).toBe('confirmed');
    // Another case's verdict with a refused code: unsent, waiting for a fresh one.
    const other = addCase(platform.server.ctx);
    await handlers['case.claim']!({ caseId: other });
    const waiting = await handlers['case.verdict']!({ caseId: other, ...verdict, rationale: UNSENT, totp: '000000' });
    expect(waiting.state).toBe('needs_code');

    const rows = () =>
      desk.ctx.own.prepare('SELECT kind, state, payload FROM outbox ORDER BY rowid').all() as
        { kind: string; state: string; payload: string }[];
    expect(rows().map((row) => [row.kind, row.state, JSON.parse(row.payload)])).toEqual([
      ['claim', 'confirmed', {}],
      ['note', 'confirmed', {}],
      ['verdict', 'confirmed', { outcome: 'release', reasonCode: 'payment_confirmed' }],
      ['claim', 'confirmed', {}],
      ['verdict', 'needs_code', { ...verdict, rationale: UNSENT, totp: null }],
    ]);

    const later = new Date(Date.now() + 400 * DAY_MS);
    purgeOwnStore({ ...desk.ctx, now: () => later }, DEFAULT_RETENTION_DAYS, null);
    expect(rows().map((row) => [row.kind, row.state])).toEqual([['verdict', 'needs_code']]);
    expect(JSON.parse(rows()[0]!.payload)).toMatchObject({ rationale: UNSENT });
    const bytes = ownBytes(dataDir);
    expect(bytes.includes(NOTE), 'the note').toBe(false);
    expect(bytes.includes(RATIONALE), 'the sent rationale').toBe(false);
  });
});

describe("the own store's retention", () => {
  const NOW = new Date('2026-12-01T12:00:00.000Z');
  const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();
  let ctx: DeskContext;

  beforeEach(() => {
    ctx = {
      db: openDeskDatabase(':memory:'),
      own: openDeskDatabase(':memory:', OWN_MIGRATIONS),
      dataDir: tempDir('dd-desk-own-'),
      now: () => NOW,
      log: quiet,
      emit: () => {},
    };
  });

  afterEach(() => {
    ctx.db.close();
    ctx.own.close();
  });

  function cache(index: number, shape: Pick<CaseDetail, 'status'> & { assigneeId: string | null }): string {
    const base = syntheticCase(index);
    const assignee = shape.assigneeId === null ? null : { id: shape.assigneeId, username: 'x', displayName: 'X' };
    const detail = { ...base, status: shape.status, assignee } as CaseDetail;
    ctx.db.transaction(() => applyCaseDetail(ctx.db, detail))();
    return detail.id;
  }

  function command(id: string, state: 'pending' | 'confirmed' | 'failed' | 'needs_code', at: string): void {
    insertCommand(ctx.own, { id, userId: 'USR-ana', kind: 'note', caseId: 'DSP-1', idempotencyKey: `key-${id}`, payload: { body: NOTE }, at });
    if (state === 'pending') return;
    settleAttempt(ctx.own, id, { state, error: null, payload: {}, nextAttemptAt: at, now: at });
  }

  it('deletes finished commands last changed before the period; never one still on its way', () => {
    command('old-confirmed', 'confirmed', daysBefore(31));
    command('old-failed', 'failed', daysBefore(31));
    command('new-confirmed', 'confirmed', daysBefore(29));
    command('old-pending', 'pending', daysBefore(400));
    command('old-needs-code', 'needs_code', daysBefore(400));
    purgeOwnStore(ctx, 30, null);
    const left = (ctx.own.prepare('SELECT id FROM outbox ORDER BY id').all() as { id: string }[]).map((row) => row.id);
    expect(left).toEqual(['new-confirmed', 'old-needs-code', 'old-pending']);
  });

  it("deletes drafts of decided cases, of an agent's cases now held by another, and old ones of cases no longer cached", () => {
    const draft = (caseId: string, userId = 'USR-ana', at = daysBefore(1)) =>
      writeDraftJson(ctx.own, userId, caseId, JSON.stringify({ note: NOTE }), at);
    const resolved = cache(1, { status: 'resolved', assigneeId: 'USR-ana' });
    const held = cache(2, { status: 'in_review', assigneeId: 'USR-ana' });
    const reassigned = cache(3, { status: 'in_review', assigneeId: 'USR-bruno' });
    const unassigned = cache(4, { status: 'open', assigneeId: null });
    for (const caseId of [resolved, held, reassigned, unassigned]) draft(caseId);
    // A supervisor writes notes on cases others hold: theirs stay.
    draft(reassigned, 'USR-sofia');
    draft('DSP-GONE-OLD', 'USR-ana', daysBefore(31));
    draft('DSP-GONE-NEW', 'USR-ana', daysBefore(29));

    purgeOwnStore(ctx, 30, { id: 'USR-ana', role: 'agent' });
    const left = storedDrafts(ctx.own).map((row) => `${row.userId} ${row.caseId}`).sort();
    expect(left).toEqual(
      [`USR-ana ${held}`, `USR-ana ${unassigned}`, `USR-sofia ${reassigned}`, 'USR-ana DSP-GONE-NEW'].sort(),
    );
  });
});

describe('commands that finished before this version', () => {
  it('lose their free text on the upgrade; those still on their way keep their payload', () => {
    const db = openSqlite(':memory:');
    const tooNew = () => new Error('too new');
    migrateOpenedDatabase(db, OWN_MIGRATIONS.slice(0, 1), tooNew);
    const verdict = { outcome: 'refund', reasonCode: 'payment_not_received', rationale: RATIONALE, totp: null };
    const row = (id: string, kind: string, state: string, payload: unknown) =>
      db
        .prepare(
          `INSERT INTO outbox (id, user_id, kind, case_id, idempotency_key, payload, state, created_at, updated_at, next_attempt_at)
           VALUES (?, 'USR-1', ?, 'DSP-1', ?, ?, ?, 'T', 'T', 'T')`,
        )
        .run(id, kind, id, JSON.stringify(payload), state);
    row('note', 'note', 'confirmed', { body: NOTE });
    row('verdict', 'verdict', 'failed', verdict);
    row('decision', 'alert_decision', 'confirmed', { decision: 'dismiss', reason: NOTE });
    row('broken', 'note', 'failed', null);
    row('unsent', 'verdict', 'needs_code', { ...verdict, rationale: UNSENT });
    migrateOpenedDatabase(db, OWN_MIGRATIONS, tooNew);
    const payloads = Object.fromEntries(
      (db.prepare('SELECT id, payload FROM outbox').all() as { id: string; payload: string }[]).map((r) => [r.id, JSON.parse(r.payload)]),
    );
    expect(payloads).toEqual({
      note: {},
      verdict: { outcome: 'refund', reasonCode: 'payment_not_received' },
      decision: { decision: 'dismiss' },
      broken: {},
      unsent: { ...verdict, rationale: UNSENT },
    });
    db.close();
  });
});
