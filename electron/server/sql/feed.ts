// The change feed's table (`changes`) and its compaction horizon (in `meta`).
import type { Db } from '../db/open';
import { readMeta, writeMeta } from './meta';
import { prepared } from './statements';

/** A row names the entity and the version the change produced; the data is read when a page is served. */
export function insertChange(db: Db, type: 'case', entityId: string, version: number, at: string): void {
  prepared(db, 'INSERT INTO changes (type, entity_id, version, at) VALUES (?, ?, ?, ?)').run(type, entityId, version, at);
}

export function latestChangeSeq(db: Db): number {
  return (prepared(db, 'SELECT COALESCE(MAX(seq), 0) AS seq FROM changes').get() as { seq: number }).seq;
}

export const changeExists = (db: Db, seq: number) =>
  prepared(db, 'SELECT 1 FROM changes WHERE seq = ?').get(seq) !== undefined;

export interface FeedRow {
  seq: number;
  type: 'case';
  entity_id: string;
}

export const SYNC_PAGE_SQL = 'SELECT seq, type, entity_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?';

export function readChanges(db: Db, after: number, limit: number): FeedRow[] {
  return prepared(db, SYNC_PAGE_SQL).all(after, limit) as FeedRow[];
}

/** Deletes rows up to `keepFrom` that a newer row of the same entity supersedes; returns how many. */
export function deleteSupersededChanges(db: Db, keepFrom: number): number {
  return prepared(
    db,
    `DELETE FROM changes WHERE seq <= @keepFrom AND EXISTS (
       SELECT 1 FROM changes newer
       WHERE newer.type = changes.type AND newer.entity_id = changes.entity_id AND newer.seq > changes.seq)`,
  ).run({ keepFrom }).changes;
}

export function readFeedHorizon(db: Db): number {
  const value = readMeta(db, 'feed_horizon');
  return value === null ? 0 : Number(value);
}

export const writeFeedHorizon = (db: Db, horizon: number) => writeMeta(db, 'feed_horizon', String(horizon));
