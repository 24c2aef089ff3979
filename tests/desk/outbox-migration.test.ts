// Migration 0002 rebuilds the outbox so that a command can act on a KYT alert instead of a case: a desk
// file from before it keeps every command it held (pending ones still go out after the upgrade), and the
// table refuses a command on both a case and an alert, or on neither. Since version 5 the outbox lives in
// the own store (own.db, storage/legacy-cache.ts moves it there): a legacy cache is migrated only up to
// the last version that held it, as the legacy import does, and the own store's outbox is checked for the
// same constraints.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS, LAST_VERSION_WITH_OWN_TABLES } from '../../electron/desk/db/migrations/index';
import { OWN_MIGRATIONS } from '../../electron/desk/db/own-migrations/index';
import { commandsOfCase, dueCommands, findCommand, insertCommand } from '../../electron/desk/outbox/store';
import { tempDir } from '../server/harness';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const AT = '2026-01-01T00:00:00.000Z';

/** The cache's history up to the last version that held the outbox (what the legacy import migrates to). */
const UP_TO_OWN_TABLES = DESK_MIGRATIONS.slice(0, LAST_VERSION_WITH_OWN_TABLES);

describe('outbox migration 0002', () => {
  it('keeps the commands of a version 1 file, pending ones still due, with no alert', () => {
    const dir = tempDir('dd-desk-migration-');
    dirs.push(dir);
    const file = path.join(dir, 'desk.db');
    const old = openDeskDatabase(file, DESK_MIGRATIONS.slice(0, 1));
    old
      .prepare(
        `INSERT INTO outbox (id, user_id, kind, case_id, idempotency_key, payload, state, attempts, created_at, updated_at, next_attempt_at)
         VALUES ('cmd-1', 'USR-1', 'verdict', 'DSP-1', 'key-1', '{"totp":"123456"}', 'pending', 1, @at, @at, @at)`,
      )
      .run({ at: AT });
    old.close();

    const db = openDeskDatabase(file, UP_TO_OWN_TABLES);
    expect(db.pragma('user_version', { simple: true })).toBe(LAST_VERSION_WITH_OWN_TABLES);
    expect(findCommand(db, 'cmd-1')).toMatchObject({
      kind: 'verdict',
      caseId: 'DSP-1',
      alertId: null,
      idempotencyKey: 'key-1',
      state: 'pending',
      attempts: 1,
    });
    expect(dueCommands(db, 'USR-1', AT).map((command) => command.id)).toEqual(['cmd-1']);
    expect(commandsOfCase(db, 'USR-1', 'DSP-1')).toHaveLength(1);
    db.close();
  });

  it('takes a command on an alert, and refuses one on both a case and an alert or on neither', () => {
    const db = openDeskDatabase(':memory:', OWN_MIGRATIONS);
    const base = { userId: 'USR-1', payload: {}, at: AT };
    insertCommand(db, { ...base, id: 'a', kind: 'alert_assign', caseId: null, alertId: 'KYT-1', idempotencyKey: 'k-a' });
    expect(findCommand(db, 'a')).toMatchObject({ caseId: null, alertId: 'KYT-1' });
    expect(() =>
      insertCommand(db, { ...base, id: 'b', kind: 'alert_assign', caseId: 'DSP-1', alertId: 'KYT-1', idempotencyKey: 'k-b' }),
    ).toThrow(/CHECK constraint failed/);
    expect(() => insertCommand(db, { ...base, id: 'c', kind: 'hold', caseId: null, idempotencyKey: 'k-c' })).toThrow(
      /CHECK constraint failed/,
    );
    db.close();
  });
});

describe('outbox migration 0004', () => {
  it('keeps the commands of a version 3 file in their order, and takes the supervisor’s kinds', () => {
    const dir = tempDir('dd-desk-migration-');
    dirs.push(dir);
    const file = path.join(dir, 'desk.db');
    const old = openDeskDatabase(file, DESK_MIGRATIONS.slice(0, 3));
    const base = { userId: 'USR-1', caseId: 'DSP-1', at: AT };
    insertCommand(old, { ...base, id: 'b-first', kind: 'claim', idempotencyKey: 'k-1', payload: {} });
    insertCommand(old, { ...base, id: 'a-second', kind: 'message', idempotencyKey: 'k-2', payload: { body: 'hi' } });
    expect(() =>
      insertCommand(old, { ...base, id: 'c', kind: 'approve', idempotencyKey: 'k-3', payload: { totp: null } }),
    ).toThrow(/CHECK constraint failed/);
    old.close();

    const db = openDeskDatabase(file, UP_TO_OWN_TABLES);
    expect(db.pragma('user_version', { simple: true })).toBe(4);
    // Insertion order (rowid) decides which command of a case goes first: it survives the rebuild.
    expect(dueCommands(db, 'USR-1', AT).map((command) => command.id)).toEqual(['b-first']);
    for (const [id, kind] of [['d', 'approve'], ['e', 'send_back'], ['f', 'reassign']] as const) {
      insertCommand(db, { ...base, id, kind, idempotencyKey: `k-${id}`, payload: {} });
      expect(findCommand(db, id)).toMatchObject({ kind, caseId: 'DSP-1', state: 'pending' });
    }
    expect(commandsOfCase(db, 'USR-1', 'DSP-1').map((entry) => entry.id)).toEqual(['b-first', 'a-second', 'd', 'e', 'f']);
    db.close();
  });
});
