// POST /v1/auth/login, the password step of sign-in (DESIGN §2). A right password earns a login token for
// the code step; a user without confirmed 2FA also gets the otpauth URL of their pending secret.
import type { LoginResult } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { findUserByUsername, type UserRow } from '../sql/users';
import { pendingTotpSecret } from './enrolment';
import { lockedOut, lockedUntil, recordSignInFailure } from './lockout';
import { issueLoginToken } from './login-tokens';
import { DECOY_HASH, verifySecret } from './passwords';
import { otpauthUrl } from './totp';

export interface Credentials {
  username: string;
  password: string;
}

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'The username or password is not right.');

/** Issues the login token, and for an enrolling user the pending secret. Call inside ctx.write(). */
function startCodeStep(ctx: ServerContext, user: UserRow, now: Date): LoginResult {
  const loginToken = issueLoginToken(ctx.db, user.id, now, ctx.config.loginTokenTtlMs);
  if (user.totpConfirmed === 1) return { status: 'totp_required', loginToken };
  const secret = pendingTotpSecret(ctx, user.id);
  return { status: 'totp_enrollment_required', loginToken, otpauthUrl: otpauthUrl(user.username, secret) };
}

export async function signInWithPassword(ctx: ServerContext, credentials: Credentials): Promise<LoginResult> {
  const user = findUserByUsername(ctx.db, credentials.username);
  // One scrypt whatever the username: an unknown user answers like a wrong password and takes as long
  // (the hash dominates the time), so neither the answer nor its timing tells which accounts exist. A
  // locked user's password is hashed too, for the same reason, and then not looked at.
  const passwordMatches = await verifySecret(credentials.password, user?.passwordHash ?? DECOY_HASH);
  if (!user) throw invalidCredentials();
  const now = ctx.now();
  // Refusals are returned rather than thrown inside the transaction, so the failure they record commits.
  const outcome = ctx.write((): LoginResult | ApiError => {
    const until = lockedUntil(ctx, user.id, now);
    if (until) return lockedOut(until, now);
    if (!passwordMatches) {
      recordSignInFailure(ctx, user.id, now);
      return invalidCredentials();
    }
    return startCodeStep(ctx, user, now);
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}
