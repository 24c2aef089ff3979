// The caller networks each username completed a sign-in from (auth/lockout.ts, "known pairs"): an attempt
// of a known pair takes the password hashing gate's reserved lane (password-work.ts), so a stranger filling
// the gate from many networks cannot keep a real user out. Keyed like the throttle, by the digest of the
// username as typed and the caller network (an IPv4 address, or an IPv6 /64 as callerNetwork names it),
// nothing more; pruned after 30 days with the rest of the throttle's rows.
//
// The IPv4 rows of sign_in_addresses are carried over (an IPv4 address is its own network, an IPv4-mapped
// one is that IPv4 address); an IPv6 address's /64 is not computed in SQL, so those users are known again at
// their next sign-in and until then take the shared lane like anyone.
import type { Migration } from '../../../../shared/db/migrations';

export const signInNetworks: Migration = {
  version: 19,
  name: 'sign-in-networks',
  up: `
    CREATE TABLE sign_in_networks (
      username_key TEXT NOT NULL,
      network TEXT NOT NULL,
      last_at TEXT NOT NULL,
      PRIMARY KEY (username_key, network)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX sign_in_networks_by_time ON sign_in_networks(last_at);

    INSERT INTO sign_in_networks (username_key, network, last_at)
      SELECT username_key,
             CASE WHEN lower(address) LIKE '::ffff:%.%' THEN substr(address, 8) ELSE address END,
             MAX(last_at)
        FROM sign_in_addresses
       WHERE address NOT LIKE '%:%' OR lower(address) LIKE '::ffff:%.%'
       GROUP BY 1, 2;
  `,
};
