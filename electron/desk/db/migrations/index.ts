// The desk cache's migrations, in order (run by shared/db/migrations.ts from db/open.ts). Migrations only
// grow: a change to the schema is a new numbered file here, never an edit of one that has shipped.
import type { Migration } from '../../../../shared/db/migrations';
import { initialSchema } from './0001-initial';
import { outboxCompliance } from './0002-outbox-compliance';
import { auditChain } from './0003-audit-chain';
import { outboxApproval } from './0004-outbox-approval';
import { ownStoreApart } from './0005-own-store-apart';
import { coveringSortIndexes } from './0006-covering-sort-indexes';
import { bulkLoad } from './0007-bulk-load';

export const DESK_MIGRATIONS: readonly Migration[] = [
  initialSchema,
  outboxCompliance,
  auditChain,
  outboxApproval,
  ownStoreApart,
  coveringSortIndexes,
  bulkLoad,
];

/** The last version whose cache held the outbox, drafts and settings (db/own-store.ts moves them out). */
export const LAST_VERSION_WITH_OWN_TABLES = 4;
