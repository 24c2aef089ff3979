// The sort indexes whose order follows the saved views carry the columns the views test (assignee, flag,
// status), so that walking them for a view skips the cases outside it inside the index. Sorted by status,
// the 55,000 open cases of 100,000 come first and are all unassigned; sorted by assignee, the unassigned
// ones do: "Mine" walked past all of them, one row lookup each, about 15 ms (issue #13). The other sorts
// (dates, amounts, id) are independent of the views, so a walk meets the view's cases at their share and
// stops at the page; widening those too would cost every sync write more than it spares a query. The
// indexes keep their names, so cache/queue-sql.ts and its plan tests name them as before.
import type { Migration } from '../../../../shared/db/migrations';

export const coveringSortIndexes: Migration = {
  version: 6,
  name: 'covering-sort-indexes',
  up: `
      DROP INDEX cases_by_status_rank;
      CREATE INDEX cases_by_status_rank ON cases(status_rank, id, assignee_id, flagged, status);
      DROP INDEX cases_by_assignee_name;
      CREATE INDEX cases_by_assignee_name ON cases(assignee_name, id, assignee_id, flagged, status);
    `,
};
