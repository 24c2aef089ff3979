// Everything personal the desk holds about cases goes when the user signs out, and resolved cases go after
// the retention period: the cached cases (names, chats, notes, identity results), their search index and
// the evidence files (receipts, ID photos, liveness frames). What stays: the outbox's commands still on
// their way (pending or waiting for a code: an unsent verdict is never lost), the settings, the audit
// chain's hashes and the server the cache is bound to. Deleted rows are not enough on their own: SQLite
// leaves their bytes in free pages and in the WAL, so the file is vacuumed and the WAL truncated (both are
// encrypted anyway).
// The own store holds personal text too: the drafts, and the commands that are finished (their payload
// lost its free text when they finished, outbox/commands.ts, but their case and times remain). Sign-out
// deletes both, every user's, since signing out is leaving this computer; drafts are unsent work, but only
// a command carries the user's decision, and the sign-out button warns of the drafts it deletes. After the
// retention period, finished commands go, and drafts of cases decided, held by someone else, or gone from
// the cache.
// Copies of a damaged store set aside at start (stores.ts) hold the same data: a set-aside cache goes with
// the cache at sign-out; a set-aside own store loses its drafts and finished commands at sign-out as the
// own store does, and keeps the commands still on their way (support may recover an unsent verdict from
// it). One the data key cannot open is left whole, for the same reason, until the retention period has
// passed, when every set-aside copy goes.
// A purge is marked in own.db before it starts and unmarked when it is done: a crash half way (the cache
// emptied, its owner row with it, the own store not yet) would otherwise leave the drafts and finished
// commands with nothing to say they should go. The next start finishes a marked purge first of all.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DeskContext, DeskDb } from '../context';
import { isBulkLoading } from '../cache/bulk-load';
import { DESK_DATABASE_FILE, openSqlite } from '../db/open';
import { deleteAllDrafts, deleteDraft, storedDrafts, type StoredDraft } from '../drafts/store';
import { deleteFinishedCommands } from '../outbox/store';
import type { SignedInUser } from '../outbox/platform';
import { EVIDENCE_FOLDER, OWN_DATABASE_FILE, setAsideCopies } from './stores';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

function compact(db: DeskDb): void {
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

// A row of own.db's settings table that no setting reads (settings.ts reads only the keys it knows).
const PURGE_PENDING_KEY = 'purgePending';

function markPurgePending(ctx: DeskContext): void {
  ctx.own
    .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(PURGE_PENDING_KEY, JSON.stringify(ctx.now().toISOString()));
}

function clearPurgePending(ctx: DeskContext): void {
  ctx.own.prepare('DELETE FROM settings WHERE key = ?').run(PURGE_PENDING_KEY);
}

/** Whether a purge began and did not finish (the desk stopped half way): the next start finishes it. */
export function purgePending(own: DeskDb): boolean {
  return own.prepare('SELECT 1 FROM settings WHERE key = ?').get(PURGE_PENDING_KEY) !== undefined;
}

/**
 * Sign-out (and another user signing in): every cached case and evidence file, every draft and every
 * finished command, in own.db and in its set-aside copies (opened with `ownStoreKey`). The next sign-in
 * syncs from the beginning; unsent commands go out after it.
 */
export async function purgePersonalData(ctx: DeskContext, ownStoreKey: Buffer): Promise<void> {
  markPurgePending(ctx);
  ctx.db
    .transaction(() => {
      ctx.db.exec(`
        DELETE FROM cases_search;
        DELETE FROM case_evidence;
        DELETE FROM case_details;
        DELETE FROM cases;
        DELETE FROM evidence_files;
        DELETE FROM sync_state WHERE key <> 'server';
      `);
    })
    .immediate();
  compact(ctx.db);
  ctx.log.info('Purge: the cached cases were deleted; the drafts and finished commands go next');
  ctx.own
    .transaction(() => {
      deleteFinishedCommands(ctx.own);
      deleteAllDrafts(ctx.own);
    })
    .immediate();
  compact(ctx.own);
  await fs.rm(path.join(ctx.dataDir, EVIDENCE_FOLDER), { recursive: true, force: true });
  const asideCaches = setAsideCopies(ctx.dataDir).filter((copy) => copy.store === DESK_DATABASE_FILE);
  await Promise.all(asideCaches.map((copy) => fs.rm(copy.file, { force: true })));
  for (const copy of setAsideOwnStores(ctx.dataDir)) purgeSetAsideOwnStore(ctx, copy, ownStoreKey);
  clearPurgePending(ctx);
  ctx.log.info('Signed out: the cached cases and evidence files were deleted, and the drafts and finished commands');
}

/** The set-aside own stores' database files (their -wal and -shm go with them). */
function setAsideOwnStores(dataDir: string): string[] {
  return setAsideCopies(dataDir)
    .filter((copy) => copy.store === OWN_DATABASE_FILE && !/-(wal|shm)$/.test(copy.file))
    .map((copy) => copy.file);
}

/**
 * Deletes the drafts and finished commands of one set-aside own store, keeping the commands on their way.
 * Deleted rows are zeroed where they lay (secure_delete): a damaged file may not survive a VACUUM. One that
 * cannot be opened or changed is left as it is, since it may hold an unsent verdict.
 */
function purgeSetAsideOwnStore(ctx: DeskContext, file: string, key: Buffer): void {
  let db: DeskDb | null = null;
  try {
    db = openSqlite(file, key);
    db.pragma('secure_delete = ON');
    const aside = db;
    aside.transaction(() => {
      deleteFinishedCommands(aside);
      deleteAllDrafts(aside);
    }).immediate();
    aside.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    ctx.log.warn('A set-aside own store could not be opened to delete its drafts and finished commands; it stays until the retention period', {
      file: path.basename(file),
      error: error instanceof Error ? error.message : String(error),
    });
  } finally {
    db?.close();
  }
}

/** Finishes a purge that a crash cut short (purgePending), before the desk does anything else. */
export async function finishPendingPurge(ctx: DeskContext, ownStoreKey: Buffer): Promise<void> {
  if (!purgePending(ctx.own)) return;
  ctx.log.warn('A purge of personal data was cut short when the desk last stopped; it is finished now');
  await purgePersonalData(ctx, ownStoreKey);
}

/** Deletes every set-aside copy (of the cache or the own store) older than `retentionDays`; returns how many. */
export async function purgeOldSetAsideCopies(ctx: DeskContext, retentionDays: number): Promise<number> {
  const cutoff = ctx.now().getTime() - retentionDays * DAY_MS;
  const old = setAsideCopies(ctx.dataDir).filter((copy) => copy.setAsideAt.getTime() < cutoff);
  await Promise.all(old.map((copy) => fs.rm(copy.file, { force: true })));
  if (old.length > 0)
    ctx.log.info('Copies of damaged desk files past the retention period were deleted', { count: old.length, retentionDays });
  return old.length;
}

/**
 * Resolved cases whose verdict is older than `retentionDays` (the opening time for a case resolved without
 * one), with their search entries. Returns how many went. Evidence files no case refers to any more go by
 * the caller (evidence/evidence-store.ts, dropUnreferenced).
 */
export function purgeResolvedCases(ctx: DeskContext, retentionDays: number): number {
  // A first sync stopped half way (cache/bulk-load.ts) has the index of evidence by case set aside: each
  // deletion below would read every evidence row. The purge runs again once that sync has finished.
  if (isBulkLoading(ctx.db)) return 0;
  const cutoff = new Date(ctx.now().getTime() - retentionDays * DAY_MS).toISOString();
  const gone = ctx.db
    .transaction(() => {
      const rows = ctx.db
        .prepare(
          `SELECT c.row_id AS rowId, c.id AS id FROM cases c JOIN case_details d ON d.row_id = c.row_id
           WHERE c.status = 'resolved'
             AND COALESCE(json_extract(d.detail, '$.verdict.approvedAt'),
                          json_extract(d.detail, '$.verdict.proposedAt'), c.opened_at) < ?`,
        )
        .all(cutoff) as { rowId: number; id: string }[];
      const dropSearch = ctx.db.prepare('DELETE FROM cases_search WHERE rowid = ?');
      const dropEvidence = ctx.db.prepare('DELETE FROM case_evidence WHERE case_id = ?');
      // case_details goes by ON DELETE CASCADE.
      const dropCase = ctx.db.prepare('DELETE FROM cases WHERE row_id = ?');
      for (const row of rows) {
        dropSearch.run(row.rowId);
        dropEvidence.run(row.id);
        dropCase.run(row.rowId);
      }
      return rows.length;
    })
    .immediate();
  if (gone > 0) {
    compact(ctx.db);
    ctx.log.info('Resolved cases past the retention period were deleted', { count: gone, retentionDays });
  }
  return gone;
}

interface CachedCase {
  status: string;
  assigneeId: string | null;
}

function cachedCase(ctx: DeskContext, caseId: string): CachedCase | null {
  const row = ctx.db.prepare('SELECT status, assignee_id AS assigneeId FROM cases WHERE id = ?').get(caseId) as
    CachedCase | undefined;
  return row ?? null;
}

/**
 * Whether a draft has outlived its use: its case is decided (nothing more can be said or decided on it), or
 * an agent's case now held by someone else (the composer and the verdict are the holder's; an agent's
 * note on a case they never held goes too, which is the price of not knowing who held it before), or its
 * case has left the cache and the draft was last touched before `cutoff`. Other roles write notes on
 * cases they do not hold, so for them only the first and the last apply.
 */
function draftOutlived(ctx: DeskContext, draft: StoredDraft, cutoff: string, agent: SignedInUser | null): boolean {
  const cached = cachedCase(ctx, draft.caseId);
  if (cached === null) return draft.updatedAt < cutoff;
  if (cached.status === 'resolved') return true;
  return agent?.id === draft.userId && cached.assigneeId !== null && cached.assigneeId !== agent.id;
}

/**
 * The own store's part of retention: finished commands last changed before the period, and the drafts
 * that outlived their use (draftOutlived). `signedIn` is the user at the desk, if any. Run it before
 * purgeResolvedCases, while the decided cases are still in the cache to say so. Returns how many rows went.
 */
export function purgeOwnStore(ctx: DeskContext, retentionDays: number, signedIn: SignedInUser | null): number {
  const cutoff = new Date(ctx.now().getTime() - retentionDays * DAY_MS).toISOString();
  const agent = signedIn?.role === 'agent' ? signedIn : null;
  const { commands, drafts } = ctx.own
    .transaction(() => {
      const outlived = storedDrafts(ctx.own).filter((draft) => draftOutlived(ctx, draft, cutoff, agent));
      for (const draft of outlived) deleteDraft(ctx.own, draft.userId, draft.caseId);
      return { commands: deleteFinishedCommands(ctx.own, cutoff), drafts: outlived.length };
    })
    .immediate();
  if (commands + drafts > 0) {
    compact(ctx.own);
    ctx.log.info('Finished commands and drafts past their use were deleted', { commands, drafts, retentionDays });
  }
  return commands + drafts;
}
