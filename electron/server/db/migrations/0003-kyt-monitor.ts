// The KYT monitor runs as a user of its own: an alert it raises and a hold it places are audited and shown
// as the monitor's, and `escrows.hold_by` references users. It is a service account (`kind = 'service'`):
// sign-in and role checks only ever see people, and its password hash is no scrypt hash, so no password
// matches it even if a lookup forgot the kind. Its role is compliance because a hold is compliance's act.
//
// The monitor's incremental run looks trades up by receiving account (who else gave this account), hence
// the partial index.
import type { Migration } from '../../../../shared/db/migrations';

export const KYT_MONITOR_USER_ID = 'USR-kyt-monitor';

export const kytMonitor: Migration = {
  version: 3,
  name: 'kyt-monitor',
  up: `
    ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service'));
    INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_confirmed, created_at, kind)
      VALUES ('${KYT_MONITOR_USER_ID}', 'kyt-monitor', 'KYT monitor', 'compliance', '!service-account', NULL, 0,
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'service');
    CREATE INDEX trades_by_payout_account ON trades(payout_account) WHERE payout_account IS NOT NULL;
  `,
};
