// The outbox, drafts and settings moved to the desk's own store (own.db, db/own-store.ts), which copies
// them out of a cache from before this version before the cache is opened: here they only go.
import type { Migration } from '../../../../shared/db/migrations';

export const ownStoreApart: Migration = {
  version: 5,
  name: 'own-store-apart',
  up: `
      DROP TABLE outbox;
      DROP TABLE drafts;
      DROP TABLE settings;
    `,
};
