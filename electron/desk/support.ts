// What the desk tells the Electron shell for support and updates (never the renderer): the outbox counted
// by owner, kind and state, the sync's state, and how much the desk keeps on disk. Counts and times only:
// no case contents, no names, no codes. Main uses it for the update gate (electron/main/update-gate.ts) and
// Help → Copy diagnostics (electron/main/diagnostics.ts).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SupportSnapshot } from '../../shared/desk-api/worker-protocol';
import type { OutboxEntry, OutboxKind, SyncStatus } from '../../shared/desk-api/schemas';
import type { DeskDb } from './context';

interface CountRow {
  mine: 0 | 1;
  kind: OutboxKind;
  state: OutboxEntry['state'];
  count: number;
}

/** The outbox's commands counted by kind and state; `mine` for those of `userId` (null: nobody signed in). */
export function outboxCounts(db: DeskDb, userId: string | null): SupportSnapshot['outbox'] {
  const rows = db
    .prepare(
      `SELECT (user_id IS @userId) AS mine, kind, state, COUNT(*) AS count
       FROM outbox GROUP BY mine, kind, state ORDER BY mine DESC, kind, state`,
    )
    .all({ userId }) as CountRow[];
  return rows.map((row) => ({ mine: row.mine === 1, kind: row.kind, state: row.state, count: row.count }));
}

/** Bytes under `folder`, every file at every depth; what cannot be read counts as nothing. */
export function folderBytes(folder: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) {
      try {
        total += statSync(path).size;
      } catch {
        // Deleted between the listing and the stat (an evidence file evicted meanwhile).
      }
    }
  }
  return total;
}

export function supportSnapshot(own: DeskDb, dataDir: string, userId: string | null, sync: SyncStatus): SupportSnapshot {
  return {
    signedIn: userId !== null,
    sync: { state: sync.state, lastSyncedAt: sync.lastSyncedAt, cachedCases: sync.cachedCases, errorCode: sync.error?.code ?? null },
    outbox: outboxCounts(own, userId),
    storageBytes: folderBytes(dataDir),
  };
}
