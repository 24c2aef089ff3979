// POST /v1/auth/login, the password step of sign-in (DESIGN §2). A right password earns a login token for
// the code step. A user without confirmed 2FA gets 403 enrolment_required and nothing else: a password
// alone never reveals a TOTP secret (enrolment is by invitation, enrolment.ts).
import type { LoginResult } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { findUserByUsername, type UserRow } from '../sql/users';
import { lockedOut, lockedUntil, recordSignInFailure } from './lockout';
import { issueLoginToken } from './login-tokens';
import { DECOY_HASH, verifySecret } from './passwords';

export interface Credentials {
  username: string;
  password: string;
}

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'The username or password is not right.');

// Only after the right password, so it tells nothing to someone guessing usernames or passwords; whoever
// holds the password learns that the account waits for its invitation, and gets nothing to enrol with.
const enrolmentRequired = () =>
  new ApiError(
    403,
    'enrolment_required',
    'Two-step sign-in is not set up for this account yet. Use your invitation, or ask a supervisor for one.',
  );

/** Issues the login token for the code step. Call inside ctx.write(). */
function startCodeStep(ctx: ServerContext, user: UserRow, now: Date): LoginResult | ApiError {
  if (user.totpConfirmed !== 1) return enrolmentRequired();
  return { status: 'totp_required', loginToken: issueLoginToken(ctx.db, user.id, now, ctx.config.loginTokenTtlMs) };
}

export async function signInWithPassword(ctx: ServerContext, credentials: Credentials): Promise<LoginResult> {
  const user = findUserByUsername(ctx.db, credentials.username);
  // One scrypt whatever the username: an unknown user answers like a wrong password and takes as long
  // (the hash dominates the time), so neither the answer nor its timing tells which accounts exist. A
  // locked user's password is hashed too, for the same reason, and then not looked at.
  const passwordMatches = await verifySecret(credentials.password, user?.passwordHash ?? DECOY_HASH);
  // A disabled account answers like an unknown one.
  if (!user || user.disabledAt !== null) throw invalidCredentials();
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
