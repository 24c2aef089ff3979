// The query plans of the outbox's and the evidence store's queries: each reaches its rows through an
// index, never by scanning the table (an office desk keeps every command it ever sent).
import { describe, expect, it } from 'vitest';
import type { DeskDb } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { OWN_MIGRATIONS } from '../../electron/desk/db/own-migrations/index';
import { holdFileWithinCap } from '../../electron/desk/evidence/files';
import {
  commandsOfAlert,
  commandsOfCase,
  dueCommands,
  nextAttemptAt,
  openCommandOf,
  openVerdictOf,
} from '../../electron/desk/outbox/store';

/** Runs `work` and answers the query plan of every SELECT it prepared (parameters read as NULL). */
function plansOf(db: DeskDb, work: () => void): string[] {
  const prepared: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as DeskDb['prepare'];
  work();
  db.prepare = prepare;
  return prepared
    .filter((sql) => /^\s*SELECT/i.test(sql))
    .map((sql) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/@\w+|\?/g, 'NULL')}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join(' | '),
    );
}

describe('query plans', () => {
  it('the outbox finds due, next, open, per-case and per-alert commands through its indexes', () => {
    // The outbox lives in the own store (own.db).
    const db = openDeskDatabase(':memory:', OWN_MIGRATIONS);
    const plans = plansOf(db, () => {
      dueCommands(db, 'USR-1', '2026-01-01T00:00:00.000Z');
      nextAttemptAt(db, 'USR-1');
      openVerdictOf(db, 'USR-1', 'DSP-1');
      commandsOfCase(db, 'USR-1', 'DSP-1');
      openCommandOf(db, 'USR-1', 'DSP-1', 'lift_hold');
      commandsOfAlert(db, 'USR-1', 'KYT-1');
    });
    expect(plans).toHaveLength(6);
    for (const plan of plans) {
      expect(plan).toMatch(/USING INDEX (outbox_due|outbox_by_case|outbox_by_alert)/);
      expect(plan).not.toMatch(/SCAN (o|e|outbox)\b/);
    }
    expect(plans[0]).toContain('SEARCH e USING INDEX outbox_by_case');
  });

  it('the evidence store walks files least recently used first through its index', () => {
    const db = openDeskDatabase(':memory:');
    const plans = plansOf(db, () => {
      holdFileWithinCap(
        db,
        { sha256: 'a'.repeat(64), mime: 'image/png', size: 1 },
        '2026-01-01T00:00:00.000Z',
        10,
      );
    });
    expect(plans.find((plan) => plan.includes('evidence_by_use'))).toBeDefined();
  });
});
