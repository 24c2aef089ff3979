// Idempotency keys outlive their answers (issue #11): the whole answer (a case detail, names and chat
// included) goes after a day, the key with its fingerprint and status after 30 days, so that a desk's late
// retry is never applied twice. This index finds the answers still to drop without walking the keys kept.
import type { Migration } from '../../../../shared/db/migrations';

export const idempotencyAnswers: Migration = {
  version: 16,
  name: 'idempotency-answers',
  up: `
    CREATE INDEX idempotency_keys_with_answer ON idempotency_keys(created_at) WHERE response_body IS NOT NULL;
  `,
};
