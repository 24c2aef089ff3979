// MetaMap webhooks, made strict (issue #10): deduplicated by event and applied in the order the events
// happened, not the order they arrive.
//
// `metamap_events` keeps one row per event that was taken into account, keyed by what identifies a
// MetaMap event (its verification, name, step and `timestamp`): a redelivery finds its row and changes
// nothing. The `*_at` columns say as of which MetaMap event time a value holds; an event only replaces a
// value it is newer than, so a late or replayed `verified` cannot undo a later `rejected`. Null: not set
// by a MetaMap event yet (a pending request, a seeded check, a party as onboarded), so any event may set it.

import type { Migration } from '../../../../shared/db/migrations';

export const metamapEventOrder: Migration = {
  version: 6,
  name: 'metamap-event-order',
  up: `
    ALTER TABLE liveness_checks ADD COLUMN status_at TEXT;
    ALTER TABLE liveness_checks ADD COLUMN liveness_score_at TEXT;
    ALTER TABLE liveness_checks ADD COLUMN face_match_score_at TEXT;
    ALTER TABLE liveness_checks ADD COLUMN error_code_at TEXT;
    ALTER TABLE parties ADD COLUMN kyc_status_at TEXT;

    CREATE TABLE metamap_events (
      verification_id TEXT NOT NULL,
      event_name TEXT NOT NULL,
      -- '' for an event that is not about a step (verification_completed).
      step_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      check_id TEXT NOT NULL REFERENCES liveness_checks(id),
      received_at TEXT NOT NULL,
      PRIMARY KEY (verification_id, event_name, step_id, occurred_at)
    ) STRICT, WITHOUT ROWID;
  `,
};
