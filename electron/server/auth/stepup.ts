// Step-up authentication for money-moving calls: every verdict, approval and rejection carries a fresh
// TOTP code of the caller. Failures are 403, not 401: the session itself is fine.
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import type { AuthUser } from '../http/session';
import { confirmedTotpSecret, countAuthFailuresSince, insertAuthFailure } from '../sql/users';
import { consumeTotp } from './totp';

export const STEP_UP_MAX_FAILURES = 5;
export const STEP_UP_WINDOW_MS = 15 * 60 * 1000;

/**
 * Throws unless `code` is a fresh TOTP code of `user`. Wrong codes are counted and throttled per user;
 * a replayed one (a double submit) is refused without counting as a guess. Runs its own small write,
 * outside the caller's transaction, so a refused code is never rolled back into a free retry.
 */
export function requireStepUp(ctx: ServerContext, user: AuthUser, code: string): void {
  const now = ctx.now();
  const since = new Date(now.getTime() - STEP_UP_WINDOW_MS).toISOString();
  const outcome = ctx.write(() => {
    if (countAuthFailuresSince(ctx.db, user.id, 'step_up', since) >= STEP_UP_MAX_FAILURES) return 'throttled' as const;
    const secret = confirmedTotpSecret(ctx.db, user.id);
    const check = secret ? consumeTotp(ctx.db, user.id, secret, code, now) : 'invalid';
    if (check === 'invalid') insertAuthFailure(ctx.db, user.id, 'step_up', now.toISOString());
    return check;
  });
  if (outcome === 'throttled') {
    throw new ApiError(429, 'too_many_attempts', 'Too many wrong authentication codes. Wait 15 minutes and try again.');
  }
  if (outcome === 'invalid') throw new ApiError(403, 'invalid_totp', 'The authentication code is not valid.');
  if (outcome === 'replayed') {
    throw new ApiError(403, 'totp_replayed', 'That authentication code was already used. Wait for the next one.');
  }
}
