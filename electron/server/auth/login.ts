// POST /v1/auth/login, the password step of sign-in (DESIGN §2). A right password earns a login token for
// the code step. A user without confirmed 2FA gets 403 enrolment_required and nothing else: a password
// alone never reveals a TOTP secret (enrolment is by invitation, enrolment.ts).
import type { LoginResult } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { findUserById, findUserByUsername, replacePasswordHash, type UserRow } from '../sql/users';
import { recordSignInFailure, signInAttempt, signInLane, signInRefusal } from './lockout';
import { issueLoginToken } from './login-tokens';
import { SignInBusy, type Lane } from './password-work';
import { decoyHash, isPasswordHash, needsRehash } from './passwords';

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

/**
 * Replaces a hash made at a lower cost than the configured one, now that the password is known to be
 * right. Compare-and-set on the old hash: a password changed meanwhile is not overwritten with this one.
 */
async function upgradePasswordHash(
  ctx: ServerContext,
  user: UserRow,
  password: string,
  address: string,
  lane: Lane,
): Promise<void> {
  if (!needsRehash(user.passwordHash, ctx.config.passwordHashCost)) return;
  let upgraded: string;
  try {
    upgraded = await ctx.passwords.hash(password, address, lane);
  } catch (error) {
    // A busy server skips the upgrade rather than fail a sign-in that succeeded: the next one does it.
    if (error instanceof SignInBusy) return;
    throw error;
  }
  ctx.write(() => replacePasswordHash(ctx.db, user.id, user.passwordHash, upgraded));
}

/**
 * The account as it is now, if it may still sign in with what was checked: while the password was being
 * hashed a supervisor may have disabled it or its credentials may have changed (a 2FA reset, a redeemed
 * invitation). Read inside the transaction that issues the login token, so nothing can slip in between.
 */
function stillSignable(ctx: ServerContext, checked: UserRow): UserRow | null {
  const current = findUserById(ctx.db, checked.id);
  if (!current || current.disabledAt !== null || current.passwordHash !== checked.passwordHash) return null;
  return current;
}

/** `address` is the caller's IP address: the throttle counts failures per username and address. */
export async function signInWithPassword(
  ctx: ServerContext,
  credentials: Credentials,
  address: string,
): Promise<LoginResult> {
  const user = findUserByUsername(ctx.db, credentials.username);
  const attempt = signInAttempt(credentials.username, address, user?.id ?? null);
  // A locked or ceiling-held attempt is refused before its password is hashed: hashing a password that is
  // then not looked at only lets a locked-out guesser spend the server's scrypt time. It tells nothing by
  // its timing either, so no hash-long sleep stands in for the skipped hash: whether an attempt is refused
  // is decided from the throttle's rows for the username as typed, kept alike for real and unknown names,
  // so a refused attempt takes the same (short) time for both, and the 429 itself already says it was not
  // evaluated. (The one difference, an address the user recently signed in from, is exempt and evaluated,
  // as lockout.ts explains.)
  const early = signInRefusal(ctx, attempt, ctx.now());
  if (early) throw early;
  // One scrypt at the configured cost whatever the username: an unknown user is checked against a decoy
  // hash, answers like a wrong password and takes as long, so neither the answer nor its timing tells
  // which accounts exist. So is a user still to redeem an invitation, whose placeholder is no hash: a
  // newcomer's username is no quicker to tell apart than any other.
  const stored =
    user && isPasswordHash(user.passwordHash) ? user.passwordHash : await decoyHash(ctx.config.passwordHashCost);
  // A known pair (the username signed in from this network lately) takes the gate's reserved lane; anyone
  // else the shared one. A busy server refuses here (503 sign_in_busy), whatever the username, before
  // anything is recorded: a stranger, never a known pair, gets the same refusal for every name.
  const lane = signInLane(ctx, attempt, ctx.now());
  const passwordMatches = await ctx.passwords.verify(credentials.password, stored, address, lane);
  const now = ctx.now();
  // Refusals are returned rather than thrown inside the transaction, so the failure they record commits.
  const outcome = ctx.write((): LoginResult | ApiError => {
    // Asked again: other attempts may have locked the pair or reached the ceiling while this one hashed.
    const refusal = signInRefusal(ctx, attempt, now);
    if (refusal) return refusal;
    // A disabled account answers like an unknown one, the right password included; so does one disabled
    // or given new credentials while its password was being checked.
    const current = user && passwordMatches ? stillSignable(ctx, user) : null;
    if (!current) {
      recordSignInFailure(ctx, attempt, now);
      return invalidCredentials();
    }
    return startCodeStep(ctx, current, now);
  });
  if (outcome instanceof ApiError) throw outcome;
  await upgradePasswordHash(ctx, user!, credentials.password, address, lane);
  return outcome;
}
