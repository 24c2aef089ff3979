// The change feed behind /v1/sync (DESIGN §2, §5): each change row carries the full case detail after the
// change, so a client never needs a second request to apply it.
import type { SyncChange, SyncPage } from '../../../shared/api/types';
import { readCaseDetail } from '../cases/detail';
import type { ServerContext } from '../context';

export interface RecordOptions {
  /** Seeding writes the first version of a case; later changes bump `version`. */
  bumpVersion?: boolean;
}

/** Records the case's new state in the feed. Call inside ctx.write(), after the case's tables changed. */
export function recordCaseChange(ctx: ServerContext, caseId: string, options: RecordOptions = {}): void {
  const now = ctx.now();
  if (options.bumpVersion ?? true) {
    ctx.db
      .prepare('UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?')
      .run(now.toISOString(), caseId);
  }
  const detail = readCaseDetail(ctx.db, caseId, { now, fourEyesThresholdUsd: ctx.config.fourEyesThresholdUsd });
  if (!detail) throw new Error(`recordCaseChange: no case ${caseId}`);
  ctx.db
    .prepare('INSERT INTO changes (type, entity_id, data, at) VALUES (?, ?, ?, ?)')
    .run('case', caseId, JSON.stringify(detail), now.toISOString());
  ctx.markChanged();
}

export function feedHorizon(ctx: ServerContext): number {
  const row = ctx.db.prepare("SELECT value FROM meta WHERE key = 'feed_horizon'").get() as
    | { value: string }
    | undefined;
  return row ? Number(row.value) : 0;
}

export function latestCursor(ctx: ServerContext): number {
  return (ctx.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM changes').get() as { seq: number }).seq;
}

/**
 * Whether a client holding `after` must refetch. A cursor beyond the newest row comes from another feed (a
 * server whose store was rebuilt), where the client would otherwise wait forever for changes it already
 * believes it has. Below the compaction horizon, a cursor is good while the feed still holds its row: every
 * cursor we hand out is the seq of a row, and a client paging through a refetch from 0 holds cursors below
 * the horizon (were those refused, a feed with more than a page below the horizon could never be read).
 * Once compaction deleted the cursor's row, the feed no longer reaches back to it: 410.
 */
export function cursorExpired(ctx: ServerContext, after: number): boolean {
  if (after > latestCursor(ctx)) return true;
  if (after === 0 || after >= feedHorizon(ctx)) return false;
  return ctx.db.prepare('SELECT 1 FROM changes WHERE seq = ?').get(after) === undefined;
}

/** One page of the feed after `after`. Returns null when `after` is older than the feed keeps (410). */
export function readFeedPage(ctx: ServerContext, after: number, limit: number): SyncPage | null {
  if (cursorExpired(ctx, after)) return null;
  const rows = ctx.db
    .prepare('SELECT seq, type, entity_id, data FROM changes WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(after, limit + 1) as { seq: number; type: 'case'; entity_id: string; data: string }[];
  const page = rows.slice(0, limit);
  const changes: SyncChange[] = page.map((row) => ({
    seq: row.seq,
    type: row.type,
    id: row.entity_id,
    data: JSON.parse(row.data) as SyncChange['data'],
  }));
  return { changes, cursor: page.at(-1)?.seq ?? Math.max(after, 0), hasMore: rows.length > limit };
}

/**
 * Compacts the feed: rows older than the newest `feedRetention` that a newer row of the same entity
 * supersedes are deleted, and the horizon moves past them. `after=0` still yields every entity's latest
 * state; a client holding a cursor below the horizon may have missed a row and must refetch.
 */
export function compactFeed(ctx: ServerContext): number {
  const latest = latestCursor(ctx);
  const keepFrom = latest - ctx.config.feedRetention;
  if (keepFrom <= 0) return 0;
  return ctx.write(() => {
    const removed = ctx.db
      .prepare(
        `DELETE FROM changes WHERE seq <= @keepFrom AND EXISTS (
           SELECT 1 FROM changes newer
           WHERE newer.type = changes.type AND newer.entity_id = changes.entity_id AND newer.seq > changes.seq)`,
      )
      .run({ keepFrom });
    const horizon = Math.max(feedHorizon(ctx), keepFrom);
    ctx.db
      .prepare("INSERT INTO meta (key, value) VALUES ('feed_horizon', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(String(horizon));
    return removed.changes;
  });
}
