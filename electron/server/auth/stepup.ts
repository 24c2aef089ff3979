// Step-up authentication for money-moving calls: every verdict, approval and rejection carries a fresh
// TOTP code of the caller. Failures are 403, not 401: the session itself is fine.
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import type { AuthUser } from '../http/session';
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
    const { failures } = ctx.db
      .prepare("SELECT COUNT(*) AS failures FROM auth_failures WHERE user_id = ? AND kind = 'step_up' AND at > ?")
      .get(user.id, since) as { failures: number };
    if (failures >= STEP_UP_MAX_FAILURES) return 'throttled' as const;
    const row = ctx.db.prepare('SELECT totp_secret FROM users WHERE id = ? AND totp_confirmed = 1').get(user.id) as
      | { totp_secret: string }
      | undefined;
    const check = row ? consumeTotp(ctx.db, user.id, row.totp_secret, code, now) : 'invalid';
    if (check === 'invalid') {
      ctx.db
        .prepare("INSERT INTO auth_failures (user_id, kind, at) VALUES (?, 'step_up', ?)")
        .run(user.id, now.toISOString());
    }
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
