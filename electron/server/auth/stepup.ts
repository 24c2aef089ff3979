// Step-up authentication for money-moving calls: every verdict, approval and rejection carries a fresh
// TOTP code of the caller. Failures are 403, not 401: the session itself is fine.
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import type { AuthUser } from '../http/session';
import { confirmedTotpSecret, countAuthFailuresSince, insertAuthFailure } from '../sql/users';
import { consumeTotp } from './totp';

export const STEP_UP_MAX_FAILURES = 5;
export const STEP_UP_WINDOW_MS = 15 * 60 * 1000;

export type StepUpCheck = 'accepted' | 'invalid' | 'replayed' | 'throttled';

/**
 * Checks `code` inside the caller's write transaction: consumes its step when accepted, counts it when
 * wrong. The caller must commit whatever this wrote, refusal included, and throw stepUpRefusal() after.
 */
export function checkStepUp(ctx: ServerContext, user: AuthUser, code: string, now = ctx.now()): StepUpCheck {
  const since = new Date(now.getTime() - STEP_UP_WINDOW_MS).toISOString();
  if (countAuthFailuresSince(ctx.db, user.id, 'step_up', since) >= STEP_UP_MAX_FAILURES) return 'throttled';
  const secret = confirmedTotpSecret(ctx.db, user.id);
  const check = secret ? consumeTotp(ctx.db, user.id, secret, code, now) : 'invalid';
  if (check === 'invalid') insertAuthFailure(ctx.db, user.id, 'step_up', now.toISOString());
  return check;
}

/**
 * After a transaction in which checkStepUp accepted `code` (at `checkedAt`) rolled back: spends the code's
 * step all the same, in a small write of its own, so that no code the server accepted is ever good twice.
 * Nothing is counted: the code was right. Throws what the store throws: on a full or failing disk this write
 * fails too, and the code then stays good for the rest of its step, as it would had the check's own
 * transaction failed.
 */
export function spendStepUpCode(ctx: ServerContext, user: AuthUser, code: string, checkedAt: Date): void {
  ctx.write(() => {
    const secret = confirmedTotpSecret(ctx.db, user.id);
    // Its outcome is not wanted: accepted now, or already spent (replayed) by a request since.
    if (secret) consumeTotp(ctx.db, user.id, secret, code, checkedAt);
  });
}

/** What a refused step-up answers. */
export function stepUpRefusal(outcome: Exclude<StepUpCheck, 'accepted'>): ApiError {
  switch (outcome) {
    case 'throttled':
      return new ApiError(429, 'too_many_attempts', 'Too many wrong authentication codes. Wait 15 minutes and try again.');
    case 'invalid':
      return new ApiError(403, 'invalid_totp', 'The authentication code is not valid.');
    case 'replayed':
      return new ApiError(403, 'totp_replayed', 'That authentication code was already used. Wait for the next one.');
  }
}

/**
 * Throws unless `code` is a fresh TOTP code of `user`. Wrong codes are counted and throttled per user;
 * a replayed one (a double submit) is refused without counting as a guess. Runs its own small write,
 * outside the caller's transaction, so a refused code is never rolled back into a free retry.
 */
export function requireStepUp(ctx: ServerContext, user: AuthUser, code: string): void {
  const outcome = ctx.write(() => checkStepUp(ctx, user, code));
  if (outcome !== 'accepted') throw stepUpRefusal(outcome);
}
