// What the store remembers about its seeding (in `meta`): it makes the seed idempotent, and lets an
// interrupted load seed carry on where it stopped instead of starting over.
import type { Db } from '../server/db/open';
import { readMeta, writeMeta } from '../server/sql/meta';

export interface SeedMarker {
  seededAt: string;
  /** Cases the seed set out to write. */
  count: number;
  /** Cases written so far (load seeds write in batches); equals `count` when done. */
  written?: number;
}

const metaKey = (kind: 'demo' | 'load') => `seed.${kind}`;

export function readSeedMarker(db: Db, kind: 'demo' | 'load'): SeedMarker | null {
  const value = readMeta(db, metaKey(kind));
  return value === null ? null : (JSON.parse(value) as SeedMarker);
}

/** Call inside the write transaction of the data it describes, so both land or neither. */
export function writeSeedMarker(db: Db, kind: 'demo' | 'load', marker: SeedMarker): void {
  writeMeta(db, metaKey(kind), JSON.stringify(marker));
}
