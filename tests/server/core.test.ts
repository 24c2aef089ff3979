import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { appendAudit, verifyAuditChain } from '../../electron/server/audit/chain';
import { readCaseDetail } from '../../electron/server/sql/case-detail';
import { DatabaseTooNewError, openDatabase } from '../../electron/server/db/open';
import { checkLedger, settleEscrow } from '../../electron/server/ledger/escrow';
import { addCase, createTestServer, tempDir, type TestServer } from './harness';
import path from 'node:path';

let server: TestServer;
afterEach(async () => server?.close());

describe('store', () => {
  it('refuses a database written by a newer schema version', () => {
    const file = path.join(tempDir(), 'x.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
  });

  it('opens in WAL mode with synchronous=FULL; the running server commits with NORMAL and syncs before it answers', async () => {
    const file = path.join(tempDir(), 'x.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    // Statement journals in memory: a verdict's savepoint would otherwise spill to a temp file each time.
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    db.close();
    // Group commit (db/group-commit.ts, tested in group-commit.test.ts).
    server = await createTestServer();
    expect(server.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(server.ctx.db.pragma('synchronous', { simple: true })).toBe(1);
  });
});

describe('escrow ledger', () => {
  it('locks on open and moves exactly once', async () => {
    server = await createTestServer();
    const caseId = addCase(server.ctx);
    const detail = readCaseDetail(server.ctx.db, caseId, { now: server.clock.now, fourEyesThresholdUsd: '10000' })!;
    expect(detail.escrow.state).toBe('held');
    expect(detail.amount).toBe('250.000000');
    expect(checkLedger(server.ctx.db)).toEqual({ balanced: true, problems: [] });
    const first = server.ctx.write(() => settleEscrow(server.ctx.db, detail.escrow.id, 'release', server.clock.now));
    const second = server.ctx.write(() => settleEscrow(server.ctx.db, detail.escrow.id, 'refund', server.clock.now));
    expect(first.moved).toBe(true);
    expect(second).toEqual({ moved: false, reason: 'not_held' });
    expect(checkLedger(server.ctx.db).balanced).toBe(true);
  });
});

describe('audit chain', () => {
  it('verifies, and reports the first row edited behind its back', async () => {
    server = await createTestServer();
    for (let i = 0; i < 5; i++) {
      server.ctx.write(() => appendAudit(server.ctx.db, server.clock.now, { actor: 'u1', action: 'test', subject: `s${i}`, data: { i } }));
    }
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true, checked: 5, firstBad: null, head: { seq: 5 } });
    expect(() => server.ctx.db.prepare("UPDATE audit_log SET data = '{}' WHERE seq = 3").run()).toThrow(/append-only/);
    expect(() => server.ctx.db.prepare('DELETE FROM audit_log WHERE seq = 5').run()).toThrow(/append-only/);
    server.ctx.db.exec('DROP TRIGGER audit_log_append_only_update');
    server.ctx.db.prepare("UPDATE audit_log SET data = '{\"i\":42}' WHERE seq = 3").run();
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: false, checked: 2, firstBad: 3 });
  });
});
