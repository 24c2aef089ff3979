// The outbox learns the supervisor's commands: approving a proposed verdict, sending it back to its agent
// (both with a step-up code, like a verdict) and reassigning a case. The kind column's CHECK lists every
// kind, and SQLite cannot change a CHECK in place: the table is rebuilt and its rows copied, as in 0002.
import type { Migration } from '../../../../shared/db/migrations';

export const outboxApproval: Migration = {
  version: 4,
  name: 'outbox-approval',
  up: `
      CREATE TABLE outbox_new (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN (
          'claim', 'message', 'note', 'liveness_request', 'verdict',
          'hold', 'lift_hold', 'alert_assign', 'alert_decision',
          'approve', 'send_back', 'reassign'
        )),
        case_id TEXT,
        alert_id TEXT,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'needs_code', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL,
        CHECK ((case_id IS NULL) <> (alert_id IS NULL))
      ) STRICT;
      INSERT INTO outbox_new (rowid, id, user_id, kind, case_id, alert_id, idempotency_key, payload, state,
                              attempts, error, created_at, updated_at, next_attempt_at)
        SELECT rowid, id, user_id, kind, case_id, alert_id, idempotency_key, payload, state,
               attempts, error, created_at, updated_at, next_attempt_at
        FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
      CREATE INDEX outbox_by_case ON outbox(case_id, alert_id, created_at);
      CREATE INDEX outbox_by_alert ON outbox(alert_id, created_at);
    `,
};
