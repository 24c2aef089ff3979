// The outbound queue (issue #10): the events the platform owes the exchange, written in the same
// transaction as the change each one reports and delivered by the delivery worker (outbound/worker.ts).
//
// `seq` orders the queue (the order the changes committed); `id` is the event's `webhook-id`, which the
// exchange dedupes on. `body` is the exact JSON text that is signed and sent on every attempt. A row is
// `pending` until a 2xx answer (`delivered`) or until the worker gives up (`failed`, shown in the delivery
// log; a supervisor may queue it again).
import type { Migration } from '../../../../shared/db/migrations';

export const outboundEvents: Migration = {
  version: 7,
  name: 'outbound-events',
  up: `
    CREATE TABLE outbound_events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      trade_id TEXT NOT NULL,
      case_id TEXT,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT,
      last_status INTEGER,
      last_error TEXT,
      delivered_at TEXT,
      -- A pending row always has a time for its next attempt; a finished one has none.
      CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
    ) STRICT;
    -- The pending rows in queue order (seq rides along as the rowid): the worker's pick and its wait, and
    -- the delivery log's pages per state, newest first. Pending rows are few; delivered ones pile up.
    CREATE INDEX outbound_by_state ON outbound_events(state);
    -- "Is an earlier event of this trade still pending?"
    CREATE INDEX outbound_pending_by_trade ON outbound_events(trade_id, seq) WHERE state = 'pending';
  `,
};
