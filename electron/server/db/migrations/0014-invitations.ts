// Enrolment by invitation and account administration (issue #11). A supervisor creates a person and hands
// them a one-time invitation out of band; redeeming it sets their password and shows a fresh TOTP secret.
// A password alone no longer reveals a secret. Only the sha256 of an invitation token is stored.
// `disabled_at` marks an account a supervisor switched off: it cannot sign in and its sessions are revoked.
import type { Migration } from '../../../../shared/db/migrations';

export const invitations: Migration = {
  version: 14,
  name: 'invitations',
  up: `
    ALTER TABLE users ADD COLUMN disabled_at TEXT;

    CREATE TABLE invitations (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      created_by TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      -- Set when the enrolment it opened is confirmed, or when a newer invitation replaces it.
      spent_at TEXT
    ) STRICT;
    CREATE INDEX invitations_by_user ON invitations(user_id) WHERE spent_at IS NULL;
  `,
};
