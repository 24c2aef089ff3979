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
