// Sessions and login tokens, both stored as the sha256 of the opaque token the client holds.
import type { Role } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export function insertSession(db: Db, tokenHash: string, userId: string, createdAt: string, expiresAt: string): void {
  prepared(
    db,
    'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_used_at) VALUES (?, ?, ?, ?, ?)',
  ).run(tokenHash, userId, createdAt, expiresAt, createdAt);
}

/** Revokes a live session; true if it was live. */
export const revokeSessionRow = (db: Db, tokenHash: string, at: string) =>
  prepared(db, 'UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(at, tokenHash)
    .changes === 1;

/** Revokes every live session of the user; how many were live. */
export const revokeUserSessionRows = (db: Db, userId: string, at: string) =>
  prepared(db, 'UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(at, userId).changes;

/** Ends every sign-in of the user that is half-way (between password and code). */
export function deleteUserLoginTokens(db: Db, userId: string): void {
  prepared(db, 'DELETE FROM login_tokens WHERE user_id = ?').run(userId);
}

/** The user id of an unrevoked session before its absolute expiry: one row, no join (the write limits' key). */
export const findSessionUserId = (db: Db, tokenHash: string, now: string) =>
  prepared(db, 'SELECT user_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?')
    .pluck()
    .get(tokenHash, now) as string | undefined;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/**
 * The user of an unrevoked session before its absolute expiry, with when the session was last used (a row
 * written without last_used_at counts as used when it was created). Idleness is for the caller to judge.
 */
export const findSessionUser = (db: Db, tokenHash: string, now: string) =>
  prepared(
    db,
    `SELECT u.id, u.username, u.display_name AS displayName, u.role,
            COALESCE(s.last_used_at, s.created_at) AS lastUsedAt
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled_at IS NULL`,
  ).get(tokenHash, now) as (SessionUser & { lastUsedAt: string }) | undefined;

/** Moves last_used_at to `at` unless it is already after `unlessAfter`; at most one write per interval. */
export const touchSession = (db: Db, tokenHash: string, at: string, unlessAfter: string) =>
  prepared(
    db,
    `UPDATE sessions SET last_used_at = ?
     WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
  ).run(at, tokenHash, unlessAfter).changes === 1;

/** True while the session may still be used: unrevoked, before its expiry, used since `idleSince`. */
export const sessionIsLive = (db: Db, tokenHash: string, now: string, idleSince: string) =>
  prepared(
    db,
    `SELECT 1 FROM sessions
     WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? AND COALESCE(last_used_at, created_at) > ?`,
  ).get(tokenHash, now, idleSince) !== undefined;

export function deleteExpiredLoginTokens(db: Db, now: string): void {
  prepared(db, 'DELETE FROM login_tokens WHERE expires_at <= ?').run(now);
}

export function insertLoginToken(db: Db, tokenHash: string, userId: string, expiresAt: string): void {
  prepared(db, 'INSERT INTO login_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(
    tokenHash,
    userId,
    expiresAt,
  );
}

export function liveLoginTokenUser(db: Db, tokenHash: string, now: string): string | null {
  const row = prepared(
    db,
    'SELECT user_id FROM login_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
  ).get(tokenHash, now) as { user_id: string } | undefined;
  return row?.user_id ?? null;
}

/** Spends a live token; true only for the request that spent it. */
export const spendLoginTokenRow = (db: Db, tokenHash: string, at: string) =>
  prepared(db, 'UPDATE login_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?').run(
    at,
    tokenHash,
    at,
  ).changes === 1;
