// Resolved cases leave the desk after the retention period (issue #11): at start (and after each sync) the
// desk deletes a case resolved more than `retentionDays` ago, with its search entry and the evidence files
// no other cached case refers to; an open case, however old, and a case resolved within the period stay.
// The clock is pinned; the cache is the real encrypted file, the evidence files real sealed files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { holdFileWithinCap } from '../../electron/desk/evidence/files';
import { seal, sealedName } from '../../electron/desk/evidence/sealed-file';
import { dataKeyFromFile, storeKey } from '../../electron/desk/storage/data-key';
import { EVIDENCE_FOLDER } from '../../electron/desk/storage/stores';
import { syntheticCase } from './fixtures/synthetic-cases';
import { readOwnDb } from './fixtures/own-store';
import { writeDraftJson } from '../../electron/desk/drafts/store';
import { insertCommand, settleAttempt } from '../../electron/desk/outbox/store';
import { openDesk, openDeskCache, readDeskDb, tempDir, unwrap, type TestDesk } from './fixtures/live-desk';

// Nothing listens here: retention needs no server.
const NOWHERE = 'http://127.0.0.1:9';
const NOW = new Date('2026-12-01T12:00:00.000Z');
const DAY_MS = 86_400_000;
const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY_MS).toISOString();

const desks: TestDesk[] = [];
afterEach(async () => {
  await Promise.all(desks.splice(0).map((desk) => desk.desk.close()));
});

function executedVerdict(at: string): NonNullable<CaseDetail['verdict']> {
  const agent = { id: 'USR-1', username: 'ana', displayName: 'Ana' };
  return {
    outcome: 'release',
    reasonCode: 'payment_confirmed',
    rationale: 'The bank statement shows the payment.',
    state: 'executed',
    proposedBy: agent,
    proposedAt: at,
    approvedBy: null,
    approvedAt: at,
    rejectedBy: null,
    rejectedAt: null,
    rejectReason: null,
  };
}

/** An evidence file as the desk keeps it: its bytes sealed under their HMAC name, and its row. */
function holdEvidence(dataDir: string, label: string): { sha256: string; file: string } {
  const bytes = Buffer.from(`evidence image of ${label}`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const key = storeKey(dataKeyFromFile(dataDir), 'evidence');
  const name = sealedName(key, sha256);
  const file = path.join(dataDir, EVIDENCE_FOLDER, name.slice(0, 2), name);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, seal(key, bytes), { mode: 0o600 });
  return { sha256, file };
}

const withEvidence = (detail: CaseDetail, sha256s: string[]): CaseDetail => ({
  ...detail,
  evidence: sha256s.map((sha256) => ({ ...detail.evidence[0]!, sha256 })),
});

const cachedIds = (dataDir: string) =>
  readDeskDb(dataDir, (db) => (db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map((row) => row.id));

describe('the retention of resolved cases', () => {
  it('deletes a case resolved longer ago than the period, with its evidence; keeps open and recent ones', async () => {
    const dataDir = tempDir('dd-desk-retention-');
    // A first start makes the key, the cache and the own store.
    await (await openDesk(NOWHERE, { dataDir })).desk.close();

    const gone = holdEvidence(dataDir, 'the old resolved case');
    const recent = holdEvidence(dataDir, 'the recent resolved case');
    const open = holdEvidence(dataDir, 'the open case');
    const oldResolved = withEvidence(
      syntheticCase(1, { status: 'resolved', openedAt: daysBefore(40), verdict: executedVerdict(daysBefore(31)) }),
      [gone.sha256, open.sha256],
    );
    const recentResolved = withEvidence(
      syntheticCase(2, { status: 'resolved', openedAt: daysBefore(40), verdict: executedVerdict(daysBefore(29)) }),
      [recent.sha256],
    );
    // Open for months: retention is about closed cases only.
    const oldOpen = withEvidence(syntheticCase(3, { status: 'open', openedAt: daysBefore(90) }), [open.sha256]);
    const cache = openDeskCache(dataDir);
    cache.transaction(() => {
      for (const detail of [oldResolved, recentResolved, oldOpen]) applyCaseDetail(cache, detail);
      for (const { sha256 } of [gone, recent, open])
        holdFileWithinCap(cache, { sha256, mime: 'image/png', size: 32 }, daysBefore(1), 1 << 30);
    })();
    cache.close();
    const all = [oldResolved.id, recentResolved.id, oldOpen.id].sort();

    // A longer period configured: nothing is old enough yet.
    await (await openDesk(NOWHERE, { dataDir, now: () => NOW, retentionDays: 60 })).desk.close();
    expect(cachedIds(dataDir)).toEqual(all);

    const desk = await openDesk(NOWHERE, { dataDir, now: () => NOW, retentionDays: 30 });
    desks.push(desk);
    await desk.desk.close();
    expect(cachedIds(dataDir)).toEqual([recentResolved.id, oldOpen.id].sort());
    expect(desk.logs).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/retention period/), data: { count: 1, retentionDays: 30 } }),
    );
    // The old case's own file is gone; the file it shared with the open case stays.
    expect(fs.existsSync(gone.file)).toBe(false);
    expect(fs.existsSync(recent.file)).toBe(true);
    expect(fs.existsSync(open.file)).toBe(true);
    readDeskDb(dataDir, (db) => {
      const held = (db.prepare('SELECT sha256 FROM evidence_files').all() as { sha256: string }[]).map((r) => r.sha256);
      expect(held.sort()).toEqual([recent.sha256, open.sha256].sort());
      expect(db.prepare('SELECT count(*) AS n FROM cases_search').get()).toEqual({ n: 2 });
      expect(db.prepare('SELECT count(*) AS n FROM case_evidence WHERE case_id = ?').get(oldResolved.id)).toEqual({ n: 0 });
    });
  });
});

/** Seeds the cache (the desk closed) with cases resolved `daysAgo` days before NOW; returns their ids. */
function cacheResolvedCases(dataDir: string, daysAgo: number[]): string[] {
  const details = daysAgo.map((days, index) =>
    syntheticCase(100 + index, { status: 'resolved', openedAt: daysBefore(days + 1), verdict: executedVerdict(daysBefore(days)) }),
  );
  const cache = openDeskCache(dataDir);
  cache.transaction(() => {
    for (const detail of details) applyCaseDetail(cache, detail);
  })();
  cache.close();
  return details.map((detail) => detail.id);
}

describe('the retention period setting', () => {
  it('reads as the default until set, takes a whole number of days from 1 to 540 and refuses anything else', async () => {
    const desk = await openDesk(NOWHERE, { now: () => NOW });
    desks.push(desk);
    const retention = async () => (await unwrap(desk.desk.handle('settings.get'))).retentionDays;
    expect(await retention()).toBe(30);

    for (const bad of [0, -1, 541, 2.5, '30', null, Number.NaN, 1e9]) {
      expect(await desk.desk.handle('settings.set', { retentionDays: bad }), String(bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    expect(await retention()).toBe(30);
    for (const good of [1, 540, 90]) {
      expect(await unwrap(desk.desk.handle('settings.set', { retentionDays: good }))).toMatchObject({ retentionDays: good });
    }
    expect(await retention()).toBe(90);
  });

  it("shows the browser host's --retention-days as the default, and the user's own period once set", async () => {
    const dataDir = tempDir('dd-desk-retention-');
    const first = await openDesk(NOWHERE, { dataDir, now: () => NOW, retentionDays: 60 });
    expect(await unwrap(first.desk.handle('settings.get'))).toMatchObject({ retentionDays: 60 });
    await unwrap(first.desk.handle('settings.set', { retentionDays: 7 }));
    await first.desk.close();
    const second = await openDesk(NOWHERE, { dataDir, now: () => NOW, retentionDays: 60 });
    desks.push(second);
    expect(await unwrap(second.desk.handle('settings.get'))).toMatchObject({ retentionDays: 7 });
  });

  it('is the period the retention job applies: at start, and again as soon as it changes', async () => {
    const dataDir = tempDir('dd-desk-retention-');
    const first = await openDesk(NOWHERE, { dataDir, now: () => NOW });
    await unwrap(first.desk.handle('settings.set', { retentionDays: 10 }));
    await first.desk.close();
    const [twentyDays, fiveDays] = cacheResolvedCases(dataDir, [20, 5]) as [string, string];

    // The default (30) would keep both; the stored period (10) takes the older one at start.
    const desk = await openDesk(NOWHERE, { dataDir, now: () => NOW });
    desks.push(desk);
    await unwrap(desk.desk.handle('settings.set', { retentionDays: 3 }));
    // Closing waits for the retention run the change started.
    await desk.desk.close();
    expect(desk.logs.filter((line) => /retention period/.test(line.message)).map((line) => line.data)).toEqual([
      { count: 1, retentionDays: 10 },
      { count: 1, retentionDays: 3 },
    ]);
    expect(cachedIds(dataDir)).not.toContain(twentyDays);
    expect(cachedIds(dataDir)).not.toContain(fiveDays);
  });
});

describe("the own store's retention, run by the desk", () => {
  it('deletes at start the finished commands past the period and the drafts of decided cases; an unsent command stays', async () => {
    const dataDir = tempDir('dd-desk-retention-');
    await (await openDesk(NOWHERE, { dataDir, now: () => NOW })).desk.close();
    const [decided] = cacheResolvedCases(dataDir, [5]) as [string];
    readOwnDb(dataDir, (own) => {
      const note = (id: string) =>
        insertCommand(own, { id, userId: 'USR-1', kind: 'note', caseId: decided, idempotencyKey: id, payload: { body: 'a note' }, at: daysBefore(40) });
      note('finished');
      settleAttempt(own, 'finished', { state: 'confirmed', error: null, payload: {}, nextAttemptAt: daysBefore(40), now: daysBefore(40) });
      note('unsent');
      writeDraftJson(own, 'USR-1', decided, JSON.stringify({ note: 'a draft' }), daysBefore(1));
    });

    const desk = await openDesk(NOWHERE, { dataDir, now: () => NOW });
    // Closing waits for the retention run at start.
    await desk.desk.close();
    readOwnDb(dataDir, (own) => {
      expect(own.prepare('SELECT id, state FROM outbox').all()).toEqual([{ id: 'unsent', state: 'pending' }]);
      expect(own.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 0 });
    });
    expect(cachedIds(dataDir)).toContain(decided);
  });
});

/** A copy of a damaged store as stores.ts sets it aside, `daysAgo` days before NOW, holding `content`. */
function setAsideCopy(dataDir: string, store: 'desk.db' | 'own.db', daysAgo: number, content: string): string[] {
  const at = new Date(NOW.getTime() - daysAgo * DAY_MS).toISOString().replace(/[:.]/g, '-');
  return ['', '-wal'].map((suffix) => {
    const file = path.join(dataDir, `${store}.damaged-${at}${suffix}`);
    fs.writeFileSync(file, `encrypted pages, but of ${content}`, { mode: 0o600 });
    return file;
  });
}

describe('copies of damaged desk files set aside at start', () => {
  it('go once they are older than the retention period, the cache and the own store alike; newer ones stay', async () => {
    const dataDir = tempDir('dd-desk-retention-');
    await (await openDesk(NOWHERE, { dataDir })).desk.close();
    const oldCache = setAsideCopy(dataDir, 'desk.db', 31, 'an old cache');
    const oldOwn = setAsideCopy(dataDir, 'own.db', 31, 'an old outbox');
    const newCache = setAsideCopy(dataDir, 'desk.db', 29, 'a recent cache');
    const newOwn = setAsideCopy(dataDir, 'own.db', 29, 'a recent outbox');
    const unrelated = path.join(dataDir, 'notes.txt');
    fs.writeFileSync(unrelated, 'not the desk’s to delete');

    await (await openDesk(NOWHERE, { dataDir, now: () => NOW })).desk.close();

    for (const file of [...oldCache, ...oldOwn]) expect(fs.existsSync(file), file).toBe(false);
    for (const file of [...newCache, ...newOwn, unrelated]) expect(fs.existsSync(file), file).toBe(true);
  });
});
