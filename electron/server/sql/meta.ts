// Small facts the store keeps about itself (`meta`): the feed's compaction horizon, the seed markers.
import type { Db } from '../db/open';
import { prepared } from './statements';

export function readMeta(db: Db, key: string): string | null {
  const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function writeMeta(db: Db, key: string, value: string): void {
  prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}
