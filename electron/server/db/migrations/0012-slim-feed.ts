// The change feed no longer keeps a copy of each case per change (issue #11): a row is (seq, type, id,
// version) and /v1/sync reads the details of a page's cases when it serves the page (readFeedPageBytes in feed/changes.ts).
// A case detail grows with every note and message, and a full copy per change made the feed the biggest
// table of the store. The column is dropped, not kept empty: DROP COLUMN rewrites the table in place (seq
// and the AUTOINCREMENT high-water mark stay), and the freed pages are reused by later writes (a VACUUM,
// which cannot run inside the migration's transaction, gives them back to the file system).
import type { Migration } from '../../../../shared/db/migrations';

export const slimFeed: Migration = {
  version: 12,
  name: 'slim-feed',
  up: `
    -- The entity's version the change produced: for diagnostics, since the detail served is the current one.
    ALTER TABLE changes ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE changes SET version = COALESCE(json_extract(data, '$.version'), 0);
    ALTER TABLE changes DROP COLUMN data;
  `,
};
