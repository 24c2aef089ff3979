// The desk's own store (own.db): what only this desk knows and the server cannot give back, kept apart from
// the cache so that purging the cache on sign-out or rebuilding a damaged one never loses an unsent verdict.
// The tables are those the cache held up to its version 4 (db/migrations/0001, 0002, 0004), unchanged, so
// that their rows move across as they are (db/own-store.ts).
import type { Migration } from '../../../../shared/db/migrations';

export const ownStore: Migration = {
  version: 1,
  name: 'own-store',
  up: `
      -- Commands written before they are sent, retried with the same idempotency key until the server
      -- answers for good (DESIGN §5).
      CREATE TABLE outbox (
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
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
      CREATE INDEX outbox_by_case ON outbox(case_id, alert_id, created_at);
      CREATE INDEX outbox_by_alert ON outbox(alert_id, created_at);

      -- The agent's own unsent text on a case, per user: it survives sign-out (tests/e2e/drafts-persistence).
      CREATE TABLE drafts (
        user_id TEXT NOT NULL,
        case_id TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, case_id)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
};
