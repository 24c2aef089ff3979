// TOTP enrolment on first sign-in: a user without confirmed 2FA gets a pending secret (users.totp_secret
// with totp_confirmed = 0) when their password is accepted, the same one on every sign-in until they
// prove they hold it by signing in with one of its codes; that confirms it and issues their backup codes.
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { confirmTotpSecret, setPendingTotpSecret } from '../sql/users';
import { BACKUP_CODE_COUNT, issueBackupCodes } from './backup-codes';
import { newTotpSecret } from './totp';

/** The user's pending secret, created on the first call. Call inside ctx.write(). */
export function pendingTotpSecret(ctx: ServerContext, userId: string): string {
  return setPendingTotpSecret(ctx.db, userId, newTotpSecret());
}

/**
 * Confirms the pending secret a code was just accepted for, and returns the new backup codes; null if the
 * user was already confirmed (then nothing changes and no codes are shown). Call inside ctx.write().
 */
export function confirmEnrolment(ctx: ServerContext, userId: string, secret: string): string[] | null {
  if (!confirmTotpSecret(ctx.db, userId, secret)) return null;
  const backupCodes = issueBackupCodes(ctx.db, userId);
  appendAudit(ctx.db, ctx.now(), {
    actor: userId,
    action: 'auth.totp_enrolled',
    subject: userId,
    data: { backupCodes: BACKUP_CODE_COUNT },
  });
  return backupCodes;
}
