// The queue's sort indexes carry the columns its saved views test (assignee, flag, status), so that
// walking a sort index for "Mine", "Unassigned", "Flagged" or "Awaiting approval" skips the cases outside
// the view inside the index. Before, every entry walked cost a lookup of its row: "Mine" sorted by status
// walked the 55,000 open cases, unassigned and so outside the view, one row lookup each (issue #13). The
// indexes keep their names, so cache/queue-sql.ts and its plan tests name them as before.
import type { Migration } from '../../../../shared/db/migrations';

const VIEW_COLUMNS = 'assignee_id, flagged, status';

const SORT_INDEXES: [name: string, columns: string][] = [
  ['cases_by_sla', 'sla_due_at, id'],
  ['cases_by_opened', 'opened_at, id'],
  ['cases_by_amount', 'amount_value, id'],
  ['cases_by_fiat_amount', 'fiat_amount_value, id'],
  ['cases_by_status_rank', 'status_rank, id'],
  ['cases_by_assignee_name', 'assignee_name, id'],
];

export const coveringSortIndexes: Migration = {
  version: 6,
  name: 'covering-sort-indexes',
  up: SORT_INDEXES.map(
    ([name, columns]) => `
      DROP INDEX ${name};
      CREATE INDEX ${name} ON cases(${columns}, ${VIEW_COLUMNS});`,
  ).join('\n'),
};
