// The platform's first schema. Money is INTEGER minor units; times are ISO 8601 UTC text (sortable);
// JSON columns hold small arrays only. Every table that a client can change carries what the audit
// and the change feed need to explain the change.
import type { Migration } from '../../../../shared/db/migrations';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE COLLATE NOCASE,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'compliance', 'supervisor')),
      password_hash TEXT NOT NULL,
      totp_secret TEXT,
      totp_confirmed INTEGER NOT NULL DEFAULT 0,
      -- The last TOTP time step accepted for this user: a code is good once (compare-and-set).
      totp_last_step INTEGER,
      locked_until TEXT,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE auth_failures (
      id INTEGER PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      kind TEXT NOT NULL CHECK (kind IN ('sign_in', 'step_up')),
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX auth_failures_by_user ON auth_failures(user_id, kind, at);

    CREATE TABLE backup_codes (
      user_id TEXT NOT NULL REFERENCES users(id),
      code_hash TEXT NOT NULL,
      used_at TEXT,
      PRIMARY KEY (user_id, code_hash)
    ) STRICT;

    CREATE TABLE login_tokens (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      expires_at TEXT NOT NULL,
      used_at TEXT
    ) STRICT;

    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      revoked_at TEXT
    ) STRICT;

    CREATE TABLE parties (
      id TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      kyc_status TEXT NOT NULL CHECK (kyc_status IN ('verified', 'reviewNeeded', 'rejected', 'pending')),
      country TEXT NOT NULL,
      account_created_at TEXT NOT NULL,
      trade_count INTEGER NOT NULL DEFAULT 0,
      dispute_count INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE trades (
      id TEXT PRIMARY KEY,
      buyer_id TEXT NOT NULL REFERENCES parties(id),
      seller_id TEXT NOT NULL REFERENCES parties(id),
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      fiat_currency TEXT NOT NULL,
      fiat_amount_minor INTEGER NOT NULL CHECK (fiat_amount_minor > 0),
      price TEXT NOT NULL,
      payment_method TEXT NOT NULL,
      created_at TEXT NOT NULL,
      paid_at TEXT,
      disputed_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE escrows (
      id TEXT PRIMARY KEY,
      trade_id TEXT NOT NULL UNIQUE REFERENCES trades(id),
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      state TEXT NOT NULL CHECK (state IN ('held', 'released', 'refunded')),
      hold_reason TEXT,
      hold_by TEXT REFERENCES users(id),
      hold_at TEXT,
      updated_at TEXT NOT NULL
    ) STRICT;

    -- Double-entry: every movement is a set of rows with one movement_id whose amounts sum to zero.
    CREATE TABLE ledger_entries (
      id INTEGER PRIMARY KEY,
      movement_id TEXT NOT NULL,
      escrow_id TEXT NOT NULL REFERENCES escrows(id),
      account TEXT NOT NULL,
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('lock', 'release', 'refund')),
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX ledger_by_escrow ON ledger_entries(escrow_id);
    CREATE INDEX ledger_by_account ON ledger_entries(account, asset);

    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      trade_id TEXT NOT NULL UNIQUE REFERENCES trades(id),
      escrow_id TEXT NOT NULL UNIQUE REFERENCES escrows(id),
      status TEXT NOT NULL CHECK (status IN ('open', 'in_review', 'pending_approval', 'resolved')),
      version INTEGER NOT NULL DEFAULT 1,
      reason TEXT NOT NULL,
      opened_by TEXT NOT NULL CHECK (opened_by IN ('buyer', 'seller')),
      opened_at TEXT NOT NULL,
      sla_due_at TEXT NOT NULL,
      assignee_id TEXT REFERENCES users(id),
      four_eyes INTEGER NOT NULL DEFAULT 0,
      usd_equivalent TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX cases_by_sla ON cases(sla_due_at, id);
    CREATE INDEX cases_by_status_sla ON cases(status, sla_due_at, id);
    CREATE INDEX cases_by_assignee ON cases(assignee_id);

    CREATE TABLE messages (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      sender TEXT NOT NULL CHECK (sender IN ('buyer', 'seller', 'agent', 'system')),
      author_id TEXT REFERENCES users(id),
      body TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '[]',
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX messages_by_case ON messages(case_id, at);

    CREATE TABLE notes (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      author_id TEXT NOT NULL REFERENCES users(id),
      body TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX notes_by_case ON notes(case_id, at);

    CREATE TABLE evidence_files (
      sha256 TEXT PRIMARY KEY,
      mime TEXT NOT NULL,
      size INTEGER NOT NULL,
      bytes BLOB NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE case_evidence (
      case_id TEXT NOT NULL REFERENCES cases(id),
      sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
      kind TEXT NOT NULL,
      uploader TEXT NOT NULL CHECK (uploader IN ('buyer', 'seller', 'agent', 'system')),
      file_name TEXT,
      uploaded_at TEXT NOT NULL,
      PRIMARY KEY (case_id, sha256)
    ) STRICT;
    CREATE INDEX case_evidence_by_sha ON case_evidence(sha256);

    CREATE TABLE liveness_checks (
      id TEXT PRIMARY KEY,
      party_id TEXT NOT NULL REFERENCES parties(id),
      case_id TEXT REFERENCES cases(id),
      trigger TEXT NOT NULL CHECK (trigger IN ('onboarding', 'trade')),
      status TEXT NOT NULL CHECK (status IN ('verified', 'reviewNeeded', 'rejected', 'pending')),
      liveness_score REAL,
      face_match_score REAL,
      document_type TEXT,
      id_photo TEXT,
      frames TEXT NOT NULL DEFAULT '[]',
      error_code TEXT,
      provider TEXT NOT NULL DEFAULT 'metamap',
      provider_verification_id TEXT UNIQUE,
      requested_by TEXT REFERENCES users(id),
      created_at TEXT NOT NULL,
      completed_at TEXT
    ) STRICT;
    CREATE INDEX liveness_by_party ON liveness_checks(party_id, created_at);
    CREATE INDEX liveness_by_case ON liveness_checks(case_id);

    CREATE TABLE kyt_alerts (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      party_id TEXT NOT NULL REFERENCES parties(id),
      rule TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('SEVERE', 'HIGH', 'MEDIUM', 'LOW')),
      score REAL NOT NULL,
      category TEXT NOT NULL,
      exposure TEXT NOT NULL CHECK (exposure IN ('DIRECT', 'INDIRECT')),
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL,
      details TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'in_review', 'dismissed', 'escalated', 'reported')),
      reviewer_id TEXT REFERENCES users(id),
      reviewed_at TEXT,
      decision_reason TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX kyt_by_case ON kyt_alerts(case_id);
    CREATE INDEX kyt_by_status ON kyt_alerts(status, created_at);

    CREATE TABLE verdicts (
      id TEXT PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases(id),
      outcome TEXT NOT NULL CHECK (outcome IN ('release', 'refund')),
      reason_code TEXT NOT NULL,
      rationale TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('proposed', 'executed', 'rejected')),
      proposed_by TEXT NOT NULL REFERENCES users(id),
      proposed_at TEXT NOT NULL,
      approved_by TEXT REFERENCES users(id),
      approved_at TEXT,
      rejected_by TEXT REFERENCES users(id),
      rejected_at TEXT,
      reject_reason TEXT
    ) STRICT;
    CREATE INDEX verdicts_by_case ON verdicts(case_id, proposed_at);
    -- At most one live (proposed or executed) verdict per case.
    CREATE UNIQUE INDEX one_live_verdict_per_case ON verdicts(case_id) WHERE state <> 'rejected';

    CREATE TABLE idempotency_keys (
      user_id TEXT NOT NULL REFERENCES users(id),
      key TEXT NOT NULL,
      request_hash TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
      response_status INTEGER,
      response_body TEXT,
      created_at TEXT NOT NULL,
      PRIMARY KEY (user_id, key)
    ) STRICT;

    -- The change feed behind /v1/sync: each row is the full state of one entity after a change.
    CREATE TABLE changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      type TEXT NOT NULL,
      entity_id TEXT NOT NULL,
      data TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX changes_by_entity ON changes(type, entity_id, seq);

    -- Hash-chained, append-only audit log (DESIGN §2). seq has no gaps: rows are only ever inserted at max+1.
    CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT NOT NULL,
      data TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;

    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `,
};
