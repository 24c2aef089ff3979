// A trade's outbound events stay in order even past a given-up one (issue #10 hardening): a later event
// of a trade waits while an earlier one is `failed`, not only while it is `pending`, so that a
// supervisor's retry of the failed event reaches the exchange before what followed it. The index that
// answers "is an earlier event of this trade not delivered yet?" covers both states now.
import type { Migration } from '../../../../shared/db/migrations';

export const outboundUndelivered: Migration = {
  version: 10,
  name: 'outbound-undelivered',
  up: `
    DROP INDEX outbound_pending_by_trade;
    CREATE INDEX outbound_undelivered_by_trade ON outbound_events(trade_id, seq) WHERE state <> 'delivered';
  `,
};
