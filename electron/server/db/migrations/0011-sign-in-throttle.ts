// Sign-in throttling per username and address, and idle sessions (issue #11, DESIGN §2 "Sign-in").
//
// Failures are keyed by a digest of the username as typed (lower-cased), not by a user id: an unknown
// username is counted and locked exactly like a real one, so no answer tells the two apart. A digest rather
// than the text because people type their password into the username box; the log of failures must not
// keep it. The per-user lock on users.locked_until and sign_in rows of auth_failures are no longer written
// (step-up failures still use auth_failures).
//
// sessions.last_used_at slides with every authenticated request (at most one write a minute per session);
// sessions from before this migration count as used when they were created.
import type { Migration } from '../../../../shared/db/migrations';

export const signInThrottle: Migration = {
  version: 11,
  name: 'sign-in-throttle',
  up: `
    CREATE TABLE sign_in_failures (
      id INTEGER PRIMARY KEY,
      username_key TEXT NOT NULL,
      address TEXT NOT NULL,
      at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sign_in_failures_by_pair ON sign_in_failures(username_key, address, at);
    CREATE INDEX sign_in_failures_by_username ON sign_in_failures(username_key, at);
    CREATE INDEX sign_in_failures_by_time ON sign_in_failures(at);

    CREATE TABLE sign_in_locks (
      username_key TEXT NOT NULL,
      address TEXT NOT NULL,
      until TEXT NOT NULL,
      PRIMARY KEY (username_key, address)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sign_in_addresses (
      username_key TEXT NOT NULL,
      address TEXT NOT NULL,
      last_at TEXT NOT NULL,
      PRIMARY KEY (username_key, address)
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE sessions ADD COLUMN last_used_at TEXT;
    UPDATE sessions SET last_used_at = created_at;
  `,
};
