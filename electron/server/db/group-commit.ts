// Group commit for the running server's store (issue #13). With synchronous=FULL every transaction waited for
// its own fsync of the WAL, on the event loop: a verdict, which commits three small transactions, paid three,
// and nothing else ran meanwhile. Now the connection commits with synchronous=NORMAL (frames are written to
// the -wal file, not yet synced) and no answer leaves the server before an fdatasync of the -wal file that
// began after every commit so far. The sync runs on libuv's thread pool, so requests keep committing while it
// runs, and all of them share the next sync: under load one fsync carries many answers.
//
// Why an answered change is as durable as under FULL: in WAL mode a commit appends checksummed frames to the
// -wal file, and recovery replays the longest valid prefix of commits. Once the file's bytes up to a commit
// are on disk, that commit survives a power cut. With NORMAL, SQLite itself still syncs the WAL before each
// checkpoint copies it into the database, syncs the database after, and syncs the WAL header when it starts
// reusing the file (sqlite.org/pragma.html#pragma_synchronous, wal.c), so a checkpoint never loses what was
// synced. A process crash (kill -9) loses nothing either way: written frames are in the OS's page cache.
//
// What counts as "committed so far" is SQLite's total_changes() of the connection: it grows with every row a
// statement inserts, updates or deletes, so a transaction that wrote anything moves it. (A rolled-back write
// moves it too, which only costs a sync nobody needed.)
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open';

/** Flushes a file's data to the disk. fdatasync: what SQLite itself uses on Linux for its syncs. */
export type SyncFile = (fd: number) => Promise<void>;

export const fdatasyncFile: SyncFile = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));

export interface GroupCommit {
  /** True when a transaction has committed that no finished sync covers yet: an answer must wait. */
  pending(): boolean;
  /**
   * Resolves once every transaction committed so far is on disk; rejects with WalSyncError when a sync
   * failed (then and ever after: see WalSyncError).
   */
  settled(): Promise<void>;
  /** Waits for the last commits to be synced and closes the -wal file. Call before the connection closes. */
  close(): Promise<void>;
}

/**
 * The -wal file could not be synced. After a failed fsync the kernel may have dropped the pages it could not
 * write and a later fsync can succeed without them, so no later sync proves anything either: the server stops
 * confirming changes until it is restarted and SQLite recovers from what is really on disk.
 */
export class WalSyncError extends Error {
  readonly code = 'wal_sync_failed';
}

/** Nothing to wait for: every commit synced itself (synchronous=FULL), or the store is in memory. */
export const SYNCED_ON_COMMIT: GroupCommit = {
  pending: () => false,
  settled: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

/** The -wal file's descriptor, opened again if SQLite ever replaced the file (it does so only on close). */
function walHandle(walFile: string) {
  let fd: number | null = null;
  let inode = 0;
  return {
    current(): number {
      const onDisk = fs.statSync(walFile).ino;
      if (fd !== null && onDisk === inode) return fd;
      if (fd !== null) fs.closeSync(fd);
      // Read and write: Windows flushes only handles opened for writing. Nothing is ever written through it.
      fd = fs.openSync(walFile, 'r+');
      inode = fs.fstatSync(fd).ino;
      // SQLite syncs the folder once after creating the -wal file, at its first sync; under NORMAL that first
      // sync may be far off, and a file whose name is not on disk loses every commit in it.
      syncFolder(path.dirname(walFile));
      return fd;
    },
    close(): void {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

function syncFolder(folder: string): void {
  // Windows cannot open a folder as a file, and NTFS journals the name with the file itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Switches the connection to synchronous=NORMAL and returns what lets the server answer only what is on disk.
 * Every commit before this call was made under the connection's previous setting (FULL, db/open.ts).
 */
export function startGroupCommit(db: Db, syncFile: SyncFile = fdatasyncFile): GroupCommit {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return SYNCED_ON_COMMIT;
  const walFile = `${db.name}-wal`;
  const wal = walHandle(walFile);
  // Opened now: a -wal file missing or unreadable stops the start with its reason, not the first answer.
  wal.current();
  db.pragma('synchronous = NORMAL');
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const committed = () => totalChanges.get() as number;
  let syncedThrough = committed();
  let running: Promise<void> | null = null;
  let failure: WalSyncError | null = null;
  let closed = false;

  /** One fdatasync covering every commit made before it starts. */
  function syncNow(): Promise<void> {
    const covers = committed();
    let started: Promise<void>;
    try {
      started = syncFile(wal.current());
    } catch (error) {
      started = Promise.reject(error as Error);
    }
    return started
      .then(
        () => {
          syncedThrough = Math.max(syncedThrough, covers);
        },
        (error: unknown) => {
          failure ??= new WalSyncError(`Could not sync ${walFile}: ${error instanceof Error ? error.message : String(error)}`);
          throw failure;
        },
      )
      .finally(() => {
        running = null;
        // A straggler after close (a worker stopping) still gets its sync, but the file is not kept open.
        if (closed) wal.close();
      });
  }

  async function settled(): Promise<void> {
    const target = committed();
    while (syncedThrough < target) {
      if (failure) throw failure;
      // A sync already running may have started before our commit: wait for it, then start (or join) the next.
      running ??= syncNow();
      await running;
    }
  }

  return {
    // A failed sync never covers its commits, so after a failure every answer goes through settled() and fails.
    pending: () => syncedThrough < committed(),
    settled,
    async close() {
      closed = true;
      try {
        await settled();
      } catch {
        // Already reported on every answer since; closing the connection next is SQLite's own last sync.
      } finally {
        wal.close();
      }
    },
  };
}
