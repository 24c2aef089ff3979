// The outbox learns the compliance reviewer's commands: holds and hold lifts on a case, assignments and
// decisions on a KYT alert. An alert may have no case (trades never disputed), so a command now acts on a
// case or on an alert, exactly one of the two. SQLite cannot change a CHECK or a NOT NULL in place: the
// table is rebuilt and its rows copied (the "generalized ALTER TABLE procedure").
import type { Migration } from '../../../../shared/db/migrations';

export const outboxCompliance: Migration = {
  version: 2,
  name: 'outbox-compliance',
  up: `
      CREATE TABLE outbox_new (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN (
          'claim', 'message', 'note', 'liveness_request', 'verdict',
          'hold', 'lift_hold', 'alert_assign', 'alert_decision'
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
      INSERT INTO outbox_new (id, user_id, kind, case_id, alert_id, idempotency_key, payload, state, attempts,
                              error, created_at, updated_at, next_attempt_at)
        SELECT id, user_id, kind, case_id, NULL, idempotency_key, payload, state, attempts,
               error, created_at, updated_at, next_attempt_at
        FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
      -- A command's subject is the pair (case, alert), one of them null: the sender's "oldest pending
      -- command of this subject" test is an equality on both.
      CREATE INDEX outbox_by_case ON outbox(case_id, alert_id, created_at);
      CREATE INDEX outbox_by_alert ON outbox(alert_id, created_at);
    `,
};
