// The login token links the two steps of sign-in: POST /v1/auth/login hands it out once the password is
// right, POST /v1/auth/totp trades it (with a code) for a session. Opaque and random like access tokens,
// stored as its sha256, short-lived (config.loginTokenTtlMs) and spent when the code is accepted. A wrong
// code leaves it usable, so the user can type the code again; the lockout bounds the guesses.
import type { Db } from '../db/open';
import { ApiError } from '../errors';
import { hashToken, newOpaqueToken } from '../http/session';
import {
  deleteExpiredLoginTokens,
  insertLoginToken,
  liveLoginTokenUser,
  spendLoginTokenRow,
} from '../sql/sessions';

/** Issues a login token for the user. Also drops expired ones, which keeps the table a few rows long.
 *  Call inside ctx.write(). */
export function issueLoginToken(db: Db, userId: string, now: Date, ttlMs: number): string {
  deleteExpiredLoginTokens(db, now.toISOString());
  const token = newOpaqueToken();
  insertLoginToken(db, hashToken(token), userId, new Date(now.getTime() + ttlMs).toISOString());
  return token;
}

/** The user a live (unspent, unexpired) login token belongs to, or null. */
export function loginTokenUser(db: Db, token: string, now: Date): string | null {
  return liveLoginTokenUser(db, hashToken(token), now.toISOString());
}

/** Spends the token; true only for the one request that spent it. Call inside ctx.write(). */
export function spendLoginToken(db: Db, token: string, now: Date): boolean {
  return spendLoginTokenRow(db, hashToken(token), now.toISOString());
}

// 401 invalid_login_token, rather than unauthenticated: the client must go back to the password step, not
// treat it as a lost session. An unknown, expired or already spent token all answer this.
export const invalidLoginToken = () =>
  new ApiError(
    401,
    'invalid_login_token',
    'This sign-in has expired. Enter your username and password again.',
  );
