// Sessions behind the bearer tokens: opaque random access tokens, stored as their sha256 with an expiry
// (config.sessionTtlMs). requireUser (http/session.ts) reads them; this file opens and closes them.
import type { Db } from '../db/open';
import { hashToken, newOpaqueToken } from '../http/session';
import { insertSession, revokeSessionRow } from '../sql/sessions';

export interface NewSession {
  accessToken: string;
  expiresAt: string;
}

/** Call inside ctx.write(). */
export function openSession(db: Db, userId: string, now: Date, ttlMs: number): NewSession {
  const accessToken = newOpaqueToken();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  insertSession(db, hashToken(accessToken), userId, now.toISOString(), expiresAt);
  return { accessToken, expiresAt };
}

/** Revokes the session of `accessToken`; true if it was live. Call inside ctx.write(). */
export function revokeSession(db: Db, accessToken: string, now: Date): boolean {
  return revokeSessionRow(db, hashToken(accessToken), now.toISOString());
}
