// The desk's own record of the audit chain (issue #9), so that it checks the server's log rather than
// taking the server's word: the hash of every entry it has verified (never rewritten: an entry that comes
// back with another hash is a changed history, not an update), the signed checkpoints it has seen (each must
// stay a prefix of the log), and the server's signing key, pinned on first use per server.
import type { Migration } from '../../../../shared/db/migrations';

export const auditChain: Migration = {
  version: 3,
  name: 'audit-chain',
  up: `
      -- The entries this desk recomputed and found chained, in order from 1 with no gaps.
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        hash TEXT NOT NULL
      ) STRICT;
      -- The newest checkpoint of each check that passed: the desk's memory of what the server signed.
      CREATE TABLE audit_checkpoints (
        seq INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        seen_at TEXT NOT NULL
      ) STRICT;
      -- The key each server signs with, trusted on first use; another key is an alarm until the user trusts
      -- it (replaced_at then records when the old one stopped being trusted).
      CREATE TABLE audit_keys (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,
        public_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        replaced_at TEXT
      ) STRICT;
      CREATE UNIQUE INDEX audit_keys_current ON audit_keys(server) WHERE replaced_at IS NULL;
      -- Which server the entries and checkpoints above belong to, and the last verdict (shown after a restart).
      CREATE TABLE audit_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
};
