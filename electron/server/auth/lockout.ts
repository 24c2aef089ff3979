// The sign-in lockout (DESIGN §2): after 5 failed attempts (wrong password or wrong code) within 15 minutes,
// the user's sign-in answers 429 locked_out for 15 minutes, the correct password included.
//
// Failures are rows in auth_failures (kind 'sign_in') and are never erased by a successful sign-in: the
// rule is "5 failures in 15 minutes", not "5 failures in a row". Resetting on success would let someone who
// knows the password guess codes forever (password right, 4 wrong codes, password right again, ...).
// Attempts while locked are refused without being evaluated or recorded, so they do not extend the lock,
// and as a lock lasts as long as the window, the failures that caused it have left the window when it
// ends: the user starts again with a fresh count.
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { countAuthFailuresSince, insertAuthFailure, lockedUntilAfter, lockSignIn } from '../sql/users';

export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_LOCKOUT_MS = 15 * 60 * 1000;

/** The end of the user's current lock, or null when sign-in is open. */
export function lockedUntil(ctx: ServerContext, userId: string, now: Date): Date | null {
  const until = lockedUntilAfter(ctx.db, userId, now.toISOString());
  return until ? new Date(until) : null;
}

/** Records one failed attempt and locks sign-in when it is the fifth in the window. Call inside ctx.write(). */
export function recordSignInFailure(ctx: ServerContext, userId: string, now: Date): void {
  const at = now.toISOString();
  insertAuthFailure(ctx.db, userId, 'sign_in', at);
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS).toISOString();
  const failures = countAuthFailuresSince(ctx.db, userId, 'sign_in', since);
  if (failures < SIGN_IN_MAX_FAILURES) return;
  const until = new Date(now.getTime() + SIGN_IN_LOCKOUT_MS).toISOString();
  if (lockSignIn(ctx.db, userId, until, at)) {
    // The actor is the system: whoever typed the failed attempts has not proven to be the user.
    appendAudit(ctx.db, now, {
      actor: 'system',
      action: 'auth.locked_out',
      subject: userId,
      data: { failures, until },
    });
  }
}

export function lockedOut(until: Date, now: Date): ApiError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new ApiError(
    429,
    'locked_out',
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  );
}
