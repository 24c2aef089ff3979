// The retention jobs (retention/jobs.ts) delete rows by age, in batches, every few minutes: each needs an
// index on the time it prunes by, or every run would scan its table (platform events alone grow by every
// event the exchange sends).
import type { Migration } from '../../../../shared/db/migrations';

export const retentionIndexes: Migration = {
  version: 13,
  name: 'retention-indexes',
  up: `
    CREATE INDEX sessions_by_expiry ON sessions(expires_at);
    CREATE INDEX auth_failures_by_time ON auth_failures(at);
    CREATE INDEX idempotency_keys_by_time ON idempotency_keys(created_at);
    CREATE INDEX platform_events_by_received ON platform_events(received_at);
    CREATE INDEX metamap_events_by_time ON metamap_events(occurred_at);
    CREATE INDEX outbound_by_state_and_delivery ON outbound_events(state, delivered_at);
  `,
};
