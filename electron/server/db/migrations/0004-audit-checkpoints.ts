// Signed checkpoints of the audit chain (issue #9), and an append-only audit log. A checkpoint is the
// server's ed25519 signature over the chain's head (origin, seq, hash, time); the key lives outside the
// database. The triggers make the log and its checkpoints append-only for anything that goes through
// SQLite's normal paths: rewriting history now means dropping a trigger first, and even then the signed
// checkpoints (which nobody without the key can forge) no longer match.
import type { Migration } from '../../../../shared/db/migrations';

export const auditCheckpoints: Migration = {
  version: 4,
  name: 'audit-checkpoints',
  up: `
    CREATE TABLE audit_checkpoints (
      seq INTEGER PRIMARY KEY,
      origin TEXT NOT NULL,
      hash TEXT NOT NULL,
      at TEXT NOT NULL,
      key_id TEXT NOT NULL,
      public_key TEXT NOT NULL,
      signature TEXT NOT NULL
    );
    CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_checkpoints_append_only_update BEFORE UPDATE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
    CREATE TRIGGER audit_checkpoints_append_only_delete BEFORE DELETE ON audit_checkpoints
      BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;
  `,
};
