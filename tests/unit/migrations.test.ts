// The one migration runner of both databases (shared/db/migrations.ts), on real SQLite files.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DESK_MIGRATIONS } from '../../electron/desk/db/migrations/index';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { MIGRATIONS as SERVER_MIGRATIONS } from '../../electron/server/db/migrations/index';
import { openDatabase } from '../../electron/server/db/open';
import { checkSchemaVersion, runMigrations, type Migration } from '../../shared/db/migrations';

class TooNew extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`at ${found}, knows ${known}`);
  }
}
const tooNew = (found: number, known: number) => new TooNew(found, known);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openFile(name = 'test.db'): { db: Database.Database; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dd-migrations-'));
  dirs.push(dir);
  const file = join(dir, name);
  return { db: new Database(file), file };
}

const version = (db: Database.Database) => db.pragma('user_version', { simple: true });
const tables = (db: Database.Database) =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((row) => (row as { name: string }).name);

// Each migration depends on the one before it, so running them out of order would fail.
const first: Migration = { version: 1, name: 'notes', up: 'CREATE TABLE notes (id INTEGER PRIMARY KEY);' };
const second: Migration = {
  version: 2,
  name: 'note-bodies',
  up: "ALTER TABLE notes ADD COLUMN body TEXT NOT NULL DEFAULT ''; INSERT INTO notes (body) VALUES ('two');",
};
const third: Migration = {
  version: 3,
  name: 'tags',
  up: 'CREATE TABLE tags (note_id INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL);',
};

describe('runMigrations', () => {
  it('runs every migration in order and records the last version', () => {
    const { db } = openFile();
    expect(runMigrations(db, [first, second, third], tooNew)).toEqual([1, 2, 3]);
    expect(version(db)).toBe(3);
    expect(tables(db)).toEqual(['notes', 'tags']);
    expect(db.prepare('SELECT body FROM notes').all()).toEqual([{ body: 'two' }]);
    db.close();
  });

  it('runs nothing twice: a second run does nothing, a longer list runs only the new migrations', () => {
    const { db, file } = openFile();
    runMigrations(db, [first, second], tooNew);
    expect(runMigrations(db, [first, second], tooNew)).toEqual([]);
    db.close();
    const reopened = new Database(file);
    expect(runMigrations(reopened, [first, second], tooNew)).toEqual([]);
    expect(runMigrations(reopened, [first, second, third], tooNew)).toEqual([3]);
    expect(version(reopened)).toBe(3);
    // The row migration 2 inserted is there once.
    expect(reopened.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 1 });
    reopened.close();
  });

  it('refuses a file from a newer version and leaves it as it was', () => {
    const { db } = openFile();
    db.pragma('user_version = 7');
    expect(() => runMigrations(db, [first, second, third], tooNew)).toThrow(TooNew);
    expect(() => checkSchemaVersion(db, [first, second, third], tooNew)).toThrow('at 7, knows 3');
    expect(version(db)).toBe(7);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('rolls back every pending migration when one fails, so the file stays at its old version', () => {
    const { db } = openFile();
    runMigrations(db, [first], tooNew);
    const broken: Migration = {
      version: 3,
      name: 'broken',
      up: 'CREATE TABLE half (x); SELECT * FROM nowhere;',
    };
    expect(() => runMigrations(db, [first, second, broken], tooNew)).toThrow(/no such table: nowhere/);
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(['notes']);
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 0 });
    expect(db.inTransaction).toBe(false);
    // Fixed, the same list runs.
    expect(runMigrations(db, [first, second, third], tooNew)).toEqual([2, 3]);
    db.close();
  });

  it('refuses a list whose versions are not 1, 2, 3... in order', () => {
    const { db } = openFile();
    expect(() => runMigrations(db, [first, third], tooNew)).toThrow(
      /number 2 in its list but says version 3/,
    );
    expect(() => runMigrations(db, [second, first], tooNew)).toThrow(
      /number 1 in its list but says version 2/,
    );
    expect(version(db)).toBe(0);
    db.close();
  });
});

describe('the desk and server migration lists', () => {
  it.each([
    ['desk', DESK_MIGRATIONS],
    ['server', SERVER_MIGRATIONS],
  ])('%s: numbered from 1, the numbers files already carry in user_version', (_name, migrations) => {
    expect(migrations.map((migration) => migration.version)).toEqual(
      migrations.map((_m, index) => index + 1),
    );
    expect(migrations[0]?.name).toBe('initial');
  });

  it('open a file the previous code migrated (user_version 1) without running anything again', () => {
    for (const [open, migrations, name] of [
      [openDeskDatabase, DESK_MIGRATIONS, 'desk.db'],
      [openDatabase, SERVER_MIGRATIONS, 'platform.db'],
    ] as const) {
      const { db, file } = openFile(name);
      db.exec(migrations[0]!.up);
      db.pragma('user_version = 1');
      db.close();
      // Running 0001 again would fail on its first CREATE TABLE.
      const reopened = open(file);
      expect(version(reopened)).toBe(migrations.length);
      reopened.close();
    }
  });
});

describe('foreign keys while migrating', () => {
  const parent: Migration = {
    version: 1,
    name: 'parent and child',
    up: `CREATE TABLE parent (id TEXT PRIMARY KEY, label TEXT NOT NULL) STRICT;
         CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent(id)) STRICT;`,
  };
  const rebuildParent: Migration = {
    version: 2,
    name: 'parent label optional',
    up: `CREATE TABLE parent_new (id TEXT PRIMARY KEY, label TEXT) STRICT;
         INSERT INTO parent_new SELECT id, label FROM parent;
         DROP TABLE parent;
         ALTER TABLE parent_new RENAME TO parent;`,
  };

  function withRows() {
    const { db } = openFile();
    db.pragma('foreign_keys = ON');
    runMigrations(db, [parent], tooNew);
    db.exec("INSERT INTO parent VALUES ('p1', 'one'); INSERT INTO child (parent_id) VALUES ('p1');");
    return db;
  }

  it('lets a migration rebuild a table that others point at, and turns enforcement back on', () => {
    const db = withRows();
    expect(runMigrations(db, [parent, rebuildParent], tooNew)).toEqual([2]);
    expect(db.prepare('SELECT parent_id FROM child').all()).toEqual([{ parent_id: 'p1' }]);
    db.exec("INSERT INTO parent VALUES ('p2', NULL)");
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.exec("INSERT INTO child (parent_id) VALUES ('nobody')")).toThrow(/FOREIGN KEY/);
  });

  it('refuses a migration that leaves rows pointing nowhere: nothing changes, enforcement stays on', () => {
    const db = withRows();
    const dropsParent: Migration = { version: 2, name: 'drops rows', up: "DELETE FROM parent WHERE id = 'p1';" };
    expect(() => runMigrations(db, [parent, dropsParent], tooNew)).toThrow(/foreign keys point nowhere/);
    expect(version(db)).toBe(1);
    expect(db.prepare('SELECT id FROM parent').all()).toEqual([{ id: 'p1' }]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('server migration 0002, trade monitoring', () => {
  it('keeps every trade and alert of a version-1 store, and gives old alerts a key of their own', () => {
    const { db, file } = openFile('platform.db');
    db.exec(SERVER_MIGRATIONS[0]!.up);
    db.pragma('user_version = 1');
    db.exec(`
      INSERT INTO users (id, username, display_name, role, password_hash, created_at)
        VALUES ('U1', 'carla', 'Carla', 'compliance', 'x', '2026-01-01T00:00:00Z');
      INSERT INTO parties (id, display_name, kyc_status, country, account_created_at)
        VALUES ('P1', 'Buyer', 'verified', 'VE', '2025-01-01T00:00:00Z'),
               ('P2', 'Seller', 'verified', 'VE', '2025-01-01T00:00:00Z');
      INSERT INTO trades (id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor, price,
                          payment_method, created_at, paid_at, disputed_at)
        VALUES ('TRD-1', 'P1', 'P2', 'USDT', 500000000, 'USD', 50000, '1.00', 'Zelle',
                '2026-11-01T10:00:00Z', NULL, '2026-11-01T12:00:00Z');
      INSERT INTO escrows (id, trade_id, asset, amount_minor, state, updated_at)
        VALUES ('ESC-1', 'TRD-1', 'USDT', 500000000, 'held', '2026-11-01T10:00:00Z');
      INSERT INTO cases (id, trade_id, escrow_id, status, reason, opened_by, opened_at, sla_due_at, usd_equivalent,
                         updated_at)
        VALUES ('DSP-1', 'TRD-1', 'ESC-1', 'open', 'not paid', 'buyer', '2026-11-01T12:00:00Z',
                '2026-11-02T12:00:00Z', '500.00', '2026-11-01T12:00:00Z');
      INSERT INTO kyt_alerts (id, case_id, party_id, rule, level, score, category, exposure, asset, amount_minor,
                              details, status, created_at)
        VALUES ('KYT-1', 'DSP-1', 'P2', 'Mixer exposure', 'HIGH', 8, 'mixing', 'INDIRECT', 'USDT', 500000000,
                'From a mixer', 'open', '2026-11-01T10:05:00Z');
    `);
    db.close();

    const store = openDatabase(file);
    expect(version(store)).toBe(SERVER_MIGRATIONS.length);
    expect(store.prepare('SELECT id, disputed_at, deposit_address FROM trades').all()).toEqual([
      { id: 'TRD-1', disputed_at: '2026-11-01T12:00:00Z', deposit_address: null },
    ]);
    expect(
      store
        .prepare('SELECT id, dedupe_key, rule_id, rule_version, trade_ids, window_start, rule, details FROM kyt_alerts')
        .all(),
    ).toEqual([
      {
        id: 'KYT-1',
        dedupe_key: 'legacy:KYT-1',
        rule_id: 'legacy',
        rule_version: 0,
        trade_ids: '["TRD-1"]',
        window_start: '2026-11-01T10:05:00Z',
        rule: 'Mixer exposure',
        details: 'From a mixer',
      },
    ]);
    // A trade that was never disputed, and an alert on it with no case, are now allowed.
    store.exec(`INSERT INTO trades (id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor,
                                    price, payment_method, created_at)
                VALUES ('TRD-2', 'P1', 'P2', 'USDT', 100000000, 'USD', 10000, '1.00', 'Zelle', '2026-11-02T10:00:00Z')`);
    expect(store.pragma('foreign_key_check')).toEqual([]);
    store.close();
  });
});

describe('server migration 0012, the slim feed', () => {
  it('keeps every row with the version its copy said, drops the copies, and never hands out a seq again', () => {
    const { db, file } = openFile('platform.db');
    for (const migration of SERVER_MIGRATIONS.slice(0, 11)) db.exec(migration.up);
    db.pragma('user_version = 11');
    db.exec(`
      INSERT INTO changes (seq, type, entity_id, data, at) VALUES
        (1, 'case', 'DSP-1', '{"id":"DSP-1","version":1}', '2026-11-01T12:00:00Z'),
        (4, 'case', 'DSP-1', '{"id":"DSP-1","version":3}', '2026-11-01T13:00:00Z'),
        (7, 'case', 'DSP-2', '{"id":"DSP-2","version":1}', '2026-11-01T14:00:00Z');
      -- Row 9 was written and compacted away: its seq must never come back.
      UPDATE sqlite_sequence SET seq = 9 WHERE name = 'changes';
    `);
    db.close();

    const store = openDatabase(file);
    expect(version(store)).toBe(SERVER_MIGRATIONS.length);
    expect(store.prepare('SELECT * FROM changes ORDER BY seq').all()).toEqual([
      { seq: 1, type: 'case', entity_id: 'DSP-1', at: '2026-11-01T12:00:00Z', version: 1 },
      { seq: 4, type: 'case', entity_id: 'DSP-1', at: '2026-11-01T13:00:00Z', version: 3 },
      { seq: 7, type: 'case', entity_id: 'DSP-2', at: '2026-11-01T14:00:00Z', version: 1 },
    ]);
    store.prepare("INSERT INTO changes (type, entity_id, version, at) VALUES ('case', 'DSP-2', 2, 'x')").run();
    expect(store.prepare('SELECT max(seq) AS seq FROM changes').get()).toEqual({ seq: 10 });
    const plan = store.prepare("EXPLAIN QUERY PLAN SELECT seq FROM changes WHERE type = 'case' AND entity_id = ? AND seq > 1").all('DSP-1') as { detail: string }[];
    expect(plan[0]!.detail).toContain('changes_by_entity');
    store.close();
  });
});

describe('server migration 0017', () => {
  it('shows the bidi controls of MetaMap error codes stored before as markers, and leaves other codes alone', () => {
    const { db } = openFile();
    const before = SERVER_MIGRATIONS.findIndex((migration) => migration.name === 'mark-bidi-in-error-codes');
    runMigrations(db, SERVER_MIGRATIONS.slice(0, before), tooNew);
    db.prepare(
      "INSERT INTO parties (id, display_name, kyc_status, country, account_created_at) VALUES ('PTY-1', 'A', 'pending', 'VE', '2026-01-01')",
    ).run();
    const insert = db.prepare(
      `INSERT INTO liveness_checks (id, party_id, trigger, status, error_code, created_at)
       VALUES (?, 'PTY-1', 'trade', 'rejected', ?, '2026-01-01T00:00:00.000Z')`,
    );
    insert.run('LVC-bidi', 'facematch.\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee\u2066f\u2067g\u2068h\u2069');
    insert.run('LVC-plain', 'liveness.lowQuality');
    insert.run('LVC-none', null);

    runMigrations(db, SERVER_MIGRATIONS, tooNew);

    expect(db.prepare('SELECT id, error_code FROM liveness_checks ORDER BY id').all()).toEqual([
      { id: 'LVC-bidi', error_code: 'facematch.[U+202A]a[U+202B]b[U+202C]c[U+202D]d[U+202E]e[U+2066]f[U+2067]g[U+2068]h[U+2069]' },
      { id: 'LVC-none', error_code: null },
      { id: 'LVC-plain', error_code: 'liveness.lowQuality' },
    ]);
    db.close();
  });
});
