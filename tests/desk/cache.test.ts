// The cache file and what goes into it: WAL and numbered migrations (a newer file refused), a case detail
// filed under its queue row, search text and evidence, the version guard, and the binding to one server.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { queueQuery } from '../../shared/desk-api/schemas';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { readCachedCase } from '../../electron/desk/cache/case-view';
import { queryQueue } from '../../electron/desk/cache/queue';
import { DESK_DATABASE_FILE, DeskDatabaseTooNewError, openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS } from '../../electron/desk/db/migrations/index';
import type { DeskDb } from '../../electron/desk/context';
import { bindCacheToServer, readSyncState, writeSyncState } from '../../electron/desk/sync/sync-state';
import { syntheticCase } from './fixtures/synthetic-cases';
import { tempDir } from './fixtures/live-desk';

const opened: DeskDb[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function fresh(file = ':memory:'): DeskDb {
  const db = openDeskDatabase(file);
  opened.push(db);
  return db;
}

const apply = (
  db: DeskDb,
  ...args: Parameters<typeof applyCaseDetail> extends [unknown, ...infer Rest] ? Rest : never
) => db.transaction(() => applyCaseDetail(db, ...args))();

const searchFor = (db: DeskDb, search: string) =>
  queryQueue(db, queueQuery.parse({ search }), null).rows.map((row) => row.id);

describe('the cache file', () => {
  it('is opened in WAL mode and migrated to the newest version, once', () => {
    const file = path.join(tempDir(), DESK_DATABASE_FILE);
    const db = fresh(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(DESK_MIGRATIONS.at(-1)!.version);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    apply(db, syntheticCase(1));
    db.close();
    // Opening again runs no migration twice and keeps the data.
    const again = fresh(file);
    expect(again.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 1 });
  });

  it('refuses a file written by a newer version of the app, and leaves it as it was', () => {
    const dir = tempDir();
    const file = path.join(dir, DESK_DATABASE_FILE);
    const future = new Database(file);
    future.pragma(`user_version = ${DESK_MIGRATIONS.at(-1)!.version + 1}`);
    future.close();
    expect(() => openDeskDatabase(file)).toThrow(DeskDatabaseTooNewError);
    expect(() => openDeskDatabase(file)).toThrow(/newer than this version of the app/);
    const untouched = new Database(file);
    expect(untouched.pragma('user_version', { simple: true })).toBe(DESK_MIGRATIONS.at(-1)!.version + 1);
    expect(untouched.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(untouched.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'cases'").get()).toEqual({
      n: 0,
    });
    untouched.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('applying a case detail', () => {
  it('files the row, the detail as sent, its search text and its evidence', () => {
    const db = fresh();
    const detail = syntheticCase(3);
    expect(apply(db, detail)).toBe('written');
    expect(readCachedCase(db, detail.id)).toEqual({
      detail,
      sharedEvidence: { [detail.evidence[0]!.sha256]: [] },
    });
    expect(searchFor(db, detail.buyer.displayName)).toContain(detail.id);
    expect(db.prepare('SELECT sha256 FROM case_evidence WHERE case_id = ?').pluck().all(detail.id)).toEqual([
      detail.evidence[0]!.sha256,
    ]);
  });

  it('keeps a newer cached version over an older one unless forced', () => {
    const db = fresh();
    const newer = syntheticCase(4, { version: 3, reason: 'newer' });
    const older = syntheticCase(4, { version: 2, reason: 'older' });
    apply(db, newer);
    expect(apply(db, older)).toBe('stale');
    expect(readCachedCase(db, newer.id)?.detail.reason).toBe('newer');
    expect(apply(db, older, { force: true })).toBe('written');
    expect(readCachedCase(db, newer.id)?.detail.reason).toBe('older');
  });

  it('updates the search text when a party is renamed, and rewrites nothing when it is not', () => {
    const db = fresh();
    const detail = syntheticCase(5);
    apply(db, detail);
    const searchRow = () => db.prepare('SELECT rowid, text FROM cases_search').all();
    const before = searchRow();
    apply(db, { ...detail, version: 2, status: 'in_review' });
    expect(searchRow()).toEqual(before);
    apply(db, { ...detail, version: 3, buyer: { ...detail.buyer, displayName: 'Zacarías Quintero' } });
    expect(searchFor(db, 'zacarias')).toEqual([detail.id]);
    expect(searchFor(db, detail.buyer.displayName)).not.toContain(detail.id);
    expect(db.prepare('SELECT count(*) AS n FROM cases_search').get()).toEqual({ n: 1 });
  });

  it('tells which other cached cases hold the same evidence file', () => {
    const db = fresh();
    const shared = syntheticCase(6);
    const sha = shared.evidence[0]!.sha256;
    const other = syntheticCase(7, { evidence: shared.evidence });
    const third = syntheticCase(8, { evidence: shared.evidence });
    for (const detail of [shared, other, third]) apply(db, detail);
    expect(readCachedCase(db, shared.id)?.sharedEvidence).toEqual({ [sha]: [other.id, third.id].sort() });
    // The other case drops the file: it no longer counts.
    apply(db, { ...other, version: 2, evidence: [] });
    expect(readCachedCase(db, shared.id)?.sharedEvidence).toEqual({ [sha]: [third.id] });
  });
});

describe('the binding to a server', () => {
  it('wipes the cached cases and the sync state when the server changes', () => {
    const db = fresh();
    expect(bindCacheToServer(db, 'http://127.0.0.1:4010')).toBe(false);
    apply(db, syntheticCase(9));
    writeSyncState(db, { cursor: 42, lastSyncedAt: '2026-11-24T12:00:00.000Z' });
    expect(bindCacheToServer(db, 'http://127.0.0.1:4010')).toBe(false);
    expect(readSyncState(db).cursor).toBe(42);

    expect(bindCacheToServer(db, 'https://disputes.example.com')).toBe(true);
    expect(readSyncState(db)).toEqual({ cursor: 0, generation: 0, refetching: false, lastSyncedAt: null });
    for (const table of ['cases', 'case_details', 'cases_search', 'case_evidence']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
  });
});
