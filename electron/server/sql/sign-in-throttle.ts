// Sign-in throttling (auth/lockout.ts): failed attempts per username key and address, the locks they cause,
// and the addresses and caller networks each username last signed in from.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface ThrottlePair {
  usernameKey: string;
  address: string;
}

export function insertSignInFailure(db: Db, pair: ThrottlePair, at: string): void {
  prepared(db, 'INSERT INTO sign_in_failures (username_key, address, at) VALUES (@usernameKey, @address, @at)').run({
    ...pair,
    at,
  });
}

export const countPairFailuresSince = (db: Db, pair: ThrottlePair, since: string) =>
  (
    prepared(
      db,
      'SELECT COUNT(*) AS n FROM sign_in_failures WHERE username_key = @usernameKey AND address = @address AND at > @since',
    ).get({ ...pair, since }) as { n: number }
  ).n;

/** Failures of a username from every address since `since`, with the newest one's time. */
export const usernameFailuresSince = (db: Db, usernameKey: string, since: string) =>
  prepared(
    db,
    'SELECT COUNT(*) AS count, MAX(at) AS latest FROM sign_in_failures WHERE username_key = ? AND at > ?',
  ).get(usernameKey, since) as { count: number; latest: string | null };

export function pairLockedUntil(db: Db, pair: ThrottlePair, now: string): string | null {
  const row = prepared(
    db,
    'SELECT until FROM sign_in_locks WHERE username_key = @usernameKey AND address = @address AND until > @now',
  ).get({ ...pair, now }) as { until: string } | undefined;
  return row?.until ?? null;
}

/** Locks the pair until `until` unless a lock is running at `at`; true when this call locked it. */
export const lockPair = (db: Db, pair: ThrottlePair, until: string, at: string) =>
  prepared(
    db,
    `INSERT INTO sign_in_locks (username_key, address, until) VALUES (@usernameKey, @address, @until)
     ON CONFLICT (username_key, address) DO UPDATE SET until = excluded.until WHERE sign_in_locks.until <= @at`,
  ).run({ ...pair, until, at }).changes === 1;

export function rememberSignInAddress(db: Db, pair: ThrottlePair, at: string): void {
  prepared(
    db,
    `INSERT INTO sign_in_addresses (username_key, address, last_at) VALUES (@usernameKey, @address, @at)
     ON CONFLICT (username_key, address) DO UPDATE SET last_at = excluded.last_at`,
  ).run({ ...pair, at });
}

export const signedInFromSince = (db: Db, pair: ThrottlePair, since: string) =>
  prepared(
    db,
    'SELECT 1 FROM sign_in_addresses WHERE username_key = @usernameKey AND address = @address AND last_at > @since',
  ).get({ ...pair, since }) !== undefined;

/** A completed sign-in of the username from the caller network `network` (callerNetwork). */
export function rememberSignInNetwork(db: Db, usernameKey: string, network: string, at: string): void {
  prepared(
    db,
    `INSERT INTO sign_in_networks (username_key, network, last_at) VALUES (?, ?, ?)
     ON CONFLICT (username_key, network) DO UPDATE SET last_at = excluded.last_at`,
  ).run(usernameKey, network, at);
}

export const signedInFromNetworkSince = (db: Db, usernameKey: string, network: string, since: string) =>
  prepared(db, 'SELECT 1 FROM sign_in_networks WHERE username_key = ? AND network = ? AND last_at > ?').get(
    usernameKey,
    network,
    since,
  ) !== undefined;

/** Drops what no longer decides anything: failures and addresses older than their windows, ended locks. */
export function pruneSignInThrottle(db: Db, failuresBefore: string, addressesBefore: string, now: string): number {
  return (
    prepared(db, 'DELETE FROM sign_in_failures WHERE at <= ?').run(failuresBefore).changes +
    prepared(db, 'DELETE FROM sign_in_locks WHERE until <= ?').run(now).changes +
    prepared(db, 'DELETE FROM sign_in_addresses WHERE last_at <= ?').run(addressesBefore).changes +
    prepared(db, 'DELETE FROM sign_in_networks WHERE last_at <= ?').run(addressesBefore).changes
  );
}
