// The first sync's writer thread leaves the WAL's checkpoints to a thread of its own (issue #13,
// electron/sqlite/wal-checkpoints.ts): its commits no longer copy the WAL into the encrypted cache file
// themselves, nor do the desk's own commits meanwhile (they run on the event loop that answers the
// renderer), and what is left when the writer ends is copied by the writer, not by the desk's next commit.
// Where the checkpoint thread cannot run, the writer checkpoints in its commits again and says so.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { beginBulkLoad } from '../../electron/desk/cache/bulk-load';
import { countCachedCases } from '../../electron/desk/cache/queue';
import type { DeskDb } from '../../electron/desk/context';
import { openDeskDatabase } from '../../electron/desk/db/open';
import { DESK_MIGRATIONS } from '../../electron/desk/db/migrations/index';
import { storeKey } from '../../electron/desk/storage/data-key';
import { createSyncWriter, type SyncWriterThread } from '../../electron/desk/sync/writer';
import { syntheticCase, syntheticPageBytes } from './fixtures/synthetic-cases';
import { tempDir } from './fixtures/live-desk';

const opened: DeskDb[] = [];
const threads: SyncWriterThread[] = [];

afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.close();
  for (const db of opened.splice(0)) if (db.open) db.close();
});

const NOW = new Date('2026-12-07T12:00:00Z');
/** SQLite's own automatic checkpoint: a commit that takes the WAL past this many pages copies it. */
const AUTOCHECKPOINT_PAGES = 1_000;
const PAGE_BYTES = 4_096;
/** A checkpoint thread that is ready and never checkpoints: only the writer's or the desk's commits could. */
const IDLE_CHECKPOINTS = fileURLToPath(new URL('./fixtures/idle-checkpoint-thread.ts', import.meta.url));

const sizeOf = (file: string) => fs.statSync(file).size;

/** Polls `assertion` until it passes (5 s at most). */
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 5_000, interval: 20 });

/** An encrypted cache at the start of a first sync, as the desk opens it. */
function encryptedCache() {
  const key = storeKey(randomBytes(32), 'cache');
  const file = path.join(tempDir(), 'desk.db');
  const db = openDeskDatabase(file, DESK_MIGRATIONS, key);
  opened.push(db);
  beginBulkLoad(db);
  return { db, key, file };
}

function writerFor(db: DeskDb, key: Buffer, checkpointEntry?: string) {
  const warnings: { message: string; data?: Record<string, unknown> }[] = [];
  const log = {
    info: () => {},
    warn: (message: string, data?: Record<string, unknown>) =>
      warnings.push({ message, ...(data ? { data } : {}) }),
    error: () => {},
  };
  const thread = createSyncWriter(db, { key, log, ...(checkpointEntry ? { checkpointEntry } : {}) });
  threads.push(thread);
  return { thread, warnings };
}

async function writePages(
  thread: SyncWriterThread,
  from: number,
  pages: number,
  size: number,
): Promise<number> {
  const writer = await thread.get();
  if (!writer) throw new Error('no writer thread');
  let after = from;
  for (let page = 0; page < pages; page++) {
    const { written } = writer.writePage(syntheticPageBytes(after, size), after, NOW);
    await written;
    after += size;
  }
  return after;
}

describe("the sync writer's WAL checkpoint thread", () => {
  it('copies the pages the writer commits into the encrypted cache file, which its commits do not do', async () => {
    const { db, key, file } = encryptedCache();
    const { thread, warnings } = writerFor(db, key);
    const before = sizeOf(file);
    // Some 300 KB: well under the thousand pages at which the writer's own commit would checkpoint.
    await writePages(thread, 0, 1, 100);
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(300_000);

    await eventually(() => expect(sizeOf(file)).toBeGreaterThan(before + 300_000));
    expect(countCachedCases(db)).toBe(100);
    expect(warnings).toEqual([]);

    // Copied as written: encrypted, no case id in clear. (Read once every connection is closed: reading a
    // file this process holds SQLite's locks on would drop them.)
    await thread.close();
    db.close();
    expect(fs.readFileSync(file).includes(Buffer.from(syntheticCase(7).id))).toBe(false);
  });

  it("while the writer runs, neither its commits nor the desk's copy the WAL past SQLite's thousand pages", async () => {
    const { db, key, file } = encryptedCache();
    const { thread } = writerFor(db, key, IDLE_CHECKPOINTS);
    const before = sizeOf(file);
    let after = 0;
    while (sizeOf(`${file}-wal`) < (AUTOCHECKPOINT_PAGES + 500) * PAGE_BYTES) {
      after = await writePages(thread, after, 1, 200);
    }
    // The writer's connection keeps the backstop of 10,000 pages...
    expect(sizeOf(file)).toBe(before);
    // ...and a commit on the desk's own connection (an outbox answer, say) does not copy them on its event loop.
    db.exec('CREATE TABLE scratch (x); INSERT INTO scratch VALUES (1)');
    expect(sizeOf(file)).toBe(before);
    expect(countCachedCases(db)).toBe(after);
  });

  it('copies what is left in the WAL when the writer ends, and gives the desk its own checkpoints back', async () => {
    const { db, key, file } = encryptedCache();
    const { thread } = writerFor(db, key, IDLE_CHECKPOINTS);
    const after = await writePages(thread, 0, 4, 200);
    expect(sizeOf(file)).toBeLessThan(PAGE_BYTES * (db.pragma('page_count', { simple: true }) as number));

    await thread.release();
    // Every page of the cache is in its file: the desk's next commit has nothing to copy.
    expect(sizeOf(file)).toBe(PAGE_BYTES * (db.pragma('page_count', { simple: true }) as number));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(AUTOCHECKPOINT_PAGES);
    expect(countCachedCases(db)).toBe(after);
  });

  it('where the checkpoint thread cannot start, the writer checkpoints in its commits again and says so', async () => {
    const { db, key, file } = encryptedCache();
    const { thread, warnings } = writerFor(db, key, path.join(path.dirname(file), 'no-such-thread.js'));
    const before = sizeOf(file);
    let after = await writePages(thread, 0, 1, 100);
    await eventually(() => expect(warnings.length).toBeGreaterThan(0));
    expect(warnings[0]!.message).toMatch(/checkpoints its WAL in its commits/);
    expect(String(warnings[0]!.data?.reason)).toMatch(/on the sync writer's connection/);
    // Nothing copies the small page into the file...
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sizeOf(file)).toBe(before);

    // ...until a commit takes the WAL past SQLite's thousand pages, as before (not the thread's backstop of ten thousand).
    while (sizeOf(`${file}-wal`) < (AUTOCHECKPOINT_PAGES + 200) * PAGE_BYTES && sizeOf(file) === before) {
      after = await writePages(thread, after, 1, 200);
    }
    expect(sizeOf(file)).toBeGreaterThan(before + 2_000_000);
    expect(countCachedCases(db)).toBe(after);
  });
});
