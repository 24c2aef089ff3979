// The desk's first schema. The cache can always be rebuilt from the server, except for what only the
// desk knows: the outbox of commands not yet confirmed, drafts and settings (DESIGN §5).
import type { Migration } from '../../../../shared/db/migrations';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  up: `
      -- One row per case the server sent, holding only what the queue filters and sorts on: the rows stay
      -- small (about 200 bytes), so counting or filtering 100,000 of them reads few pages. What the queue
      -- shows and the full detail live in case_details. row_id is the rowid shared with cases_search and
      -- case_details, so a search hit joins back by integer key.
      CREATE TABLE cases (
        row_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'in_review', 'pending_approval', 'resolved')),
        -- The workflow order open → in_review → pending_approval → resolved, for sorting by status.
        status_rank INTEGER NOT NULL,
        version INTEGER NOT NULL,
        opened_at TEXT NOT NULL,
        sla_due_at TEXT NOT NULL,
        asset TEXT NOT NULL,
        -- Decimal strings as REAL: only for ordering, never for arithmetic.
        amount_value REAL NOT NULL,
        fiat_currency TEXT NOT NULL,
        fiat_amount_value REAL NOT NULL,
        payment_method TEXT NOT NULL,
        buyer_id TEXT NOT NULL,
        seller_id TEXT NOT NULL,
        assignee_id TEXT,
        assignee_name TEXT,
        -- "Flagged" in the queue: a KYT alert, a failed liveness check or a hold (DESIGN §6).
        flagged INTEGER NOT NULL,
        -- Which refetch wrote this row last; rows an interrupted-then-finished refetch did not see are swept
        -- (sync/refetch.ts).
        sync_generation INTEGER NOT NULL
      ) STRICT;
      -- One index per queue sort, the id tie-breaker included so no sort step is needed (cache/queue-sql.ts).
      CREATE UNIQUE INDEX cases_by_id ON cases(id);
      CREATE INDEX cases_by_sla ON cases(sla_due_at, id);
      CREATE INDEX cases_by_opened ON cases(opened_at, id);
      CREATE INDEX cases_by_amount ON cases(amount_value, id);
      CREATE INDEX cases_by_fiat_amount ON cases(fiat_amount_value, id);
      CREATE INDEX cases_by_status_rank ON cases(status_rank, id);
      CREATE INDEX cases_by_assignee_name ON cases(assignee_name, id);
      -- One per view, in SLA order (the default sort).
      CREATE INDEX cases_by_assignee ON cases(assignee_id, sla_due_at, id);
      CREATE INDEX cases_by_flagged ON cases(flagged, sla_due_at, id);
      CREATE INDEX cases_by_status ON cases(status, sla_due_at, id);
      -- Every column a filter tests or a view count reads: counting the views under a filter scans this
      -- narrow index instead of the table.
      CREATE INDEX cases_for_counts ON cases(status, asset, payment_method, flagged, assignee_id, id);
      -- The earlier disputes between two parties, in either role: both directions are equality lookups on
      -- this one index (cache/earlier-disputes.ts), already in opened_at order.
      CREATE INDEX cases_by_parties ON cases(buyer_id, seller_id, opened_at, id);

      -- The CaseSummary a queue row returns, then the detail as the server sent it (JSON). The summary comes
      -- first so that reading it never touches the detail's overflow pages.
      CREATE TABLE case_details (
        row_id INTEGER PRIMARY KEY REFERENCES cases(row_id) ON DELETE CASCADE,
        summary TEXT NOT NULL,
        detail TEXT NOT NULL
      ) STRICT;

      -- Substring search over ids, party names and ids, amounts and payment method without scanning every
      -- row: trigrams match any substring of three characters or more, accents and case ignored.
      -- rowid = cases.row_id.
      CREATE VIRTUAL TABLE cases_search USING fts5(text, tokenize = 'trigram remove_diacritics 1');

      -- Which cached cases hold each evidence file: the "same receipt in another case" warning.
      CREATE TABLE case_evidence (
        sha256 TEXT NOT NULL,
        case_id TEXT NOT NULL,
        PRIMARY KEY (sha256, case_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX case_evidence_by_case ON case_evidence(case_id);

      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- Commands written before they are sent, retried with the same idempotency key until the server
      -- answers for good (DESIGN §5).
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('claim', 'message', 'note', 'liveness_request', 'verdict')),
        case_id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'needs_code', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        next_attempt_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
      CREATE INDEX outbox_by_case ON outbox(case_id, created_at);

      -- Evidence files on disk, by sha256, with an LRU cap.
      CREATE TABLE evidence_files (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        last_used_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evidence_by_use ON evidence_files(last_used_at);

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
