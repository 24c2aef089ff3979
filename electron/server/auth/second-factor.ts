// POST /v1/auth/totp, the code step of sign-in (DESIGN §2): the login token from the password step plus a
// TOTP code (or an unused backup code) open a session. The first code of an enrolling user confirms the
// enrolment, and that answer alone carries the user's backup codes.
import type { SignInResult } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { findUserById, type UserRow } from '../sql/users';
import { consumeBackupCode } from './backup-codes';
import { confirmEnrolment } from './enrolment';
import { recordSignInFailure, recordSignInSuccess, signInAttempt, signInRefusal } from './lockout';
import { invalidLoginToken, loginTokenUser, spendLoginToken } from './login-tokens';
import { openSession } from './sessions';
import { consumeTotp } from './totp';

export interface CodeAttempt {
  loginToken: string;
  code: string;
}

type CodeCheck = { method: 'totp' | 'backup_code'; backupCodes: string[] | null } | 'invalid' | 'replayed';

const TOTP_CODE = /^\d{6}$/;

const invalidTotp = () => new ApiError(401, 'invalid_totp', 'The authentication code is not valid.');
// Not counted as a failure: only the right code can be replayed, so it is a double submit, not a guess.
const totpReplayed = () =>
  new ApiError(401, 'totp_replayed', 'That authentication code was already used. Wait for the next one.');

/** Checks and spends the code: a TOTP code's step, or a backup code. Call inside ctx.write(). */
function checkCode(ctx: ServerContext, user: UserRow, code: string, now: Date): CodeCheck {
  if (TOTP_CODE.test(code)) {
    if (!user.totpSecret) return 'invalid';
    const check = consumeTotp(ctx.db, user.id, user.totpSecret, code, now);
    if (check !== 'accepted') return check;
    const backupCodes = user.totpConfirmed === 1 ? null : confirmEnrolment(ctx, user.id, user.totpSecret);
    return { method: 'totp', backupCodes };
  }
  // Backup codes belong to a confirmed enrolment; an enrolling user has to prove the new secret first.
  if (user.totpConfirmed !== 1) return 'invalid';
  const spent = consumeBackupCode(ctx.db, user.id, code, now);
  if (!spent) return 'invalid';
  appendAudit(ctx.db, now, {
    actor: user.id,
    action: 'auth.backup_code_used',
    subject: user.id,
    data: { remaining: spent.remaining },
  });
  return { method: 'backup_code', backupCodes: null };
}

/** `address` is the caller's IP address: a wrong code counts against the username from there. */
export function completeSignIn(ctx: ServerContext, attempt: CodeAttempt, address: string): SignInResult {
  const now = ctx.now();
  // Refusals are returned rather than thrown inside the transaction, so the failure they record commits.
  const outcome = ctx.write((): SignInResult | ApiError => {
    const userId = loginTokenUser(ctx.db, attempt.loginToken, now);
    if (!userId) return invalidLoginToken();
    // The token names a user, and users are never deleted.
    const user = findUserById(ctx.db, userId)!;
    const throttled = signInAttempt(user.username, address, user.id);
    const refusal = signInRefusal(ctx, throttled, now);
    if (refusal) return refusal;
    const check = checkCode(ctx, user, attempt.code, now);
    if (check === 'replayed') return totpReplayed();
    if (check === 'invalid') {
      recordSignInFailure(ctx, throttled, now);
      return invalidTotp();
    }
    recordSignInSuccess(ctx, throttled, now);
    // The token was live a moment ago in this same transaction, so this cannot fail; if it ever did, the
    // throw rolls back the code just spent along with everything else.
    if (!spendLoginToken(ctx.db, attempt.loginToken, now)) throw invalidLoginToken();
    const session = openSession(ctx.db, user.id, now, ctx.config.sessionTtlMs);
    appendAudit(ctx.db, now, {
      actor: user.id,
      action: 'auth.signed_in',
      subject: user.id,
      data: { method: check.method },
    });
    return {
      ...session,
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
      ...(check.backupCodes ? { backupCodes: check.backupCodes } : {}),
    };
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}
