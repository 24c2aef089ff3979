// What a restore changes in the restored copy before it goes in place (db/backup.ts). A backup is a snapshot:
// sessions revoked and invitations spent after it was taken are live again in it, so every sign-in it holds
// is ended and everyone signs in again.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface SignInsEnded {
  sessions: number;
  invitations: number;
}

const hasTable = (db: Db, name: string) =>
  prepared(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Revokes every live session, ends every half-way sign-in and spends every pending invitation. */
export function endEverySignIn(db: Db, at: string): SignInsEnded {
  return db.transaction(() => {
    const sessions = prepared(db, 'UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL').run(at).changes;
    prepared(db, 'DELETE FROM login_tokens').run();
    // A backup from before invitations existed (migration 0014) has none to spend.
    const invitations = hasTable(db, 'invitations')
      ? prepared(db, 'UPDATE invitations SET spent_at = ? WHERE spent_at IS NULL').run(at).changes
      : 0;
    return { sessions, invitations };
  })();
}

/** When the backup was taken (recorded by backups since issue #11), else the time of its newest audit entry. */
export function backupTakenAt(db: Db): string | null {
  const recorded = hasTable(db, 'meta')
    ? (prepared(db, "SELECT value FROM meta WHERE key = 'backup_taken_at'").get() as { value: string } | undefined)
    : undefined;
  if (recorded) return recorded.value;
  const newest = prepared(db, 'SELECT MAX(at) AS at FROM audit_log').get() as { at: string | null };
  return newest.at;
}

/** Records in a fresh backup copy when it was taken. */
export function recordBackupTime(db: Db, at: string): void {
  prepared(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('backup_taken_at', ?)").run(at);
}
