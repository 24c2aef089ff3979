// What the store remembers about its seeding (in `meta`): it makes the seed idempotent, and lets an
// interrupted load seed carry on where it stopped instead of starting over.
import type { Db } from '../db/open';

export interface SeedMarker {
  seededAt: string;
  /** Cases the seed set out to write. */
  count: number;
  /** Cases written so far (load seeds write in batches); equals `count` when done. */
  written?: number;
}

const metaKey = (kind: 'demo' | 'load') => `seed.${kind}`;

export function readSeedMarker(db: Db, kind: 'demo' | 'load'): SeedMarker | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(metaKey(kind)) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as SeedMarker) : null;
}

/** Call inside the write transaction of the data it describes, so both land or neither. */
export function writeSeedMarker(db: Db, kind: 'demo' | 'load', marker: SeedMarker): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    metaKey(kind),
    JSON.stringify(marker),
  );
}
