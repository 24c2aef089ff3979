// The change feed behind /v1/sync (DESIGN §2, §5). A row says which case changed (and to which version); the
// page carries each case's full detail, read when the page is served, so a client never needs a second
// request to apply it. Storing a copy per change instead made the feed grow with every note on a long case.
// The page's details are made as JSON by the database (sql/case-detail-json.ts); the moves' answers read
// them as objects (sql/case-detail.ts), and a test holds the two to the same details.
import type { CaseDetail } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { detailContextOf, readCaseDetail, readCaseDetails } from '../sql/case-detail';
import { readCaseDetailJson } from '../sql/case-detail-json';
import { bumpCaseVersion } from '../sql/cases';
import {
  changeExists,
  deleteSupersededChanges,
  insertChange,
  latestChangeSeq,
  readChanges,
  readFeedHorizon,
  writeFeedHorizon,
  type FeedRow,
} from '../sql/feed';

export interface RecordOptions {
  /** Seeding writes the first version of a case; later changes bump `version`. */
  bumpVersion?: boolean;
  /** The moment the details are read as of (account ages); the clock by default. A resumed seed keeps its first run's. */
  readAt?: Date;
}

/**
 * Records the cases' new state in the feed and returns their details, read once for all of them. Call
 * inside ctx.write(), after the cases' tables changed.
 */
export function recordCaseChanges(
  ctx: ServerContext,
  caseIds: readonly string[],
  options: RecordOptions = {},
): CaseDetail[] {
  if (caseIds.length === 0) return [];
  const now = ctx.now();
  const at = now.toISOString();
  if (options.bumpVersion ?? true) {
    for (const caseId of caseIds) bumpCaseVersion(ctx.db, caseId, at);
  }
  const details = readCaseDetails(ctx.db, caseIds, detailContextOf(ctx, options.readAt ?? now));
  if (details.length !== caseIds.length) {
    const found = new Set(details.map((detail) => detail.id));
    throw new Error(`recordCaseChanges: no case ${caseIds.find((caseId) => !found.has(caseId))}`);
  }
  for (const detail of details) insertChange(ctx.db, 'case', detail.id, detail.version, at);
  ctx.markChanged();
  return details;
}

/** Records one case's new state in the feed and returns its detail. Call inside ctx.write(). */
export function recordCaseChange(ctx: ServerContext, caseId: string, options: RecordOptions = {}): CaseDetail {
  return recordCaseChanges(ctx, [caseId], options)[0]!;
}

export interface CaseChange {
  actor: string;
  action: string;
  data?: Record<string, unknown>;
  /** What the audit entry is about: the case unless said otherwise (a KYT decision names its alert). */
  subject?: string;
}

/**
 * The second half of every case move: the audit entry, the feed row and the case's detail, read once and
 * returned for the answer. Call inside the ctx.write() whose conditional UPDATE authorised the move, so the
 * move, its audit entry and its feed row land together or not at all.
 */
export function changeCase(ctx: ServerContext, caseId: string, change: CaseChange, at: Date = ctx.now()): CaseDetail {
  changeCaseUnread(ctx, caseId, change, at);
  return readCaseDetail(ctx.db, caseId, detailContextOf(ctx, ctx.now()))!;
}

/**
 * changeCase's writes alone (the audit entry, the case's new version, its feed row), without reading the
 * case's detail: for a caller that reads the details of many moves in one pass afterwards (the verdicts of
 * one batch: cases/lookup.ts, batchedCaseDetail).
 */
export function changeCaseUnread(
  ctx: ServerContext,
  caseId: string,
  change: CaseChange,
  at: Date = ctx.now(),
): void {
  appendAudit(ctx.db, at, {
    actor: change.actor,
    action: change.action,
    subject: change.subject ?? caseId,
    ...(change.data ? { data: change.data } : {}),
  });
  const changedAt = ctx.now().toISOString();
  const version = bumpCaseVersion(ctx.db, caseId, changedAt);
  if (version === null) throw new Error(`changeCase: no case ${caseId}`);
  insertChange(ctx.db, 'case', caseId, version, changedAt);
  ctx.markChanged();
}

export const feedHorizon = (ctx: ServerContext): number => readFeedHorizon(ctx.db);

export const latestCursor = (ctx: ServerContext): number => latestChangeSeq(ctx.db);

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
  return !changeExists(ctx.db, after);
}

/**
 * The rows of a page that the page needs: the newest row of each case in it, in seq order. Each row is
 * served with the case's current detail, so an older row of a case that a later row of the same page
 * repeats would only send the same detail twice.
 */
export function newestRowPerEntity<Row extends FeedRow>(rows: readonly Row[]): Row[] {
  const newest = new Map<string, Row>();
  for (const row of rows) newest.set(`${row.type}:${row.entity_id}`, row);
  return rows.filter((row) => newest.get(`${row.type}:${row.entity_id}`) === row);
}

/**
 * One page of the feed after `after` as the bytes of its JSON, what /v1/sync sends: the details of its cases
 * made by the database in one statement (sql/case-detail-json.ts) and copied into the page as they are, no
 * row or detail ever a JavaScript object (issue #13). Returns null when `after` is older than the feed keeps
 * (410). `cursor` is the page's last row, so paging and `hasMore` behave as if every row were sent.
 */
export function readFeedPageBytes(ctx: ServerContext, after: number, limit: number): Buffer | null {
  if (cursorExpired(ctx, after)) return null;
  const rows = readChanges(ctx.db, after, limit + 1);
  const page = rows.slice(0, limit);
  const needed = newestRowPerEntity(page);
  const details = readCaseDetailJson(
    ctx.db,
    needed.map((row) => row.entity_id),
    detailContextOf(ctx, ctx.now()),
  );
  const parts: Buffer[] = [PAGE_START];
  for (const row of needed) {
    const data = details.get(row.entity_id);
    if (!data) continue;
    const comma = parts.length === 1 ? '' : ',';
    const head = `${comma}{"seq":${row.seq},"type":${JSON.stringify(row.type)},"id":${JSON.stringify(row.entity_id)},"data":`;
    parts.push(Buffer.from(head), data, CHANGE_END);
  }
  const cursor = page.at(-1)?.seq ?? Math.max(after, 0);
  parts.push(Buffer.from(`],"cursor":${cursor},"hasMore":${rows.length > limit}}`));
  return Buffer.concat(parts);
}

const PAGE_START = Buffer.from('{"changes":[');
const CHANGE_END = Buffer.from('}');

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
    const removed = deleteSupersededChanges(ctx.db, keepFrom);
    writeFeedHorizon(ctx.db, Math.max(feedHorizon(ctx), keepFrom));
    return removed;
  });
}
