// The first sync of an empty cache writes its cases without the queue's secondary indexes and builds them
// once at the end (cache/bulk-load.ts, issue #13). This table remembers which indexes are set aside and
// how to build them again, in the same file and transaction as the cases: a desk stopped half way
// through its first sync (killed, or signed out) finds them listed here and finishes the load at its next
// sync. Empty whenever the cache is indexed, which is always outside a first sync.
//
// A later migration that changes an index of cases or case_evidence must first build the indexes listed
// here (a desk may be updated in the middle of its first sync), or its DROP INDEX fails on a missing one.
import type { Migration } from '../../../../shared/db/migrations';

export const bulkLoad: Migration = {
  version: 7,
  name: 'bulk-load',
  up: `
      CREATE TABLE cache_indexes_set_aside (
        name TEXT PRIMARY KEY,
        sql TEXT NOT NULL
      ) STRICT;
    `,
};
