// TOTP enrolment by invitation (issue #11). A supervisor creates a person (or resets their 2FA) and gets a
// one-time invitation token to hand over out of band. The invitee redeems it with the password they choose
// (POST /v1/auth/invitation); each redemption is one enrolment attempt with a fresh secret, shown once as
// an otpauth URL, and a login token for the code step. The first code of that secret (POST /v1/auth/totp)
// confirms the enrolment, issues the backup codes and spends the invitation.
//
// Why not on sign-in any more: the old flow handed the pending secret to whoever knew the password, the
// same secret every time, so anyone who learnt a new user's password could enrol their own phone first.
// Now a password alone never reveals a secret: the invitation token (256 random bits, stored as its
// sha256, 72 hours, spent on confirmation) is the credential that does.
//
// A new attempt replaces the secret of any earlier one and ends its login token, so the code that
// confirms must come from the secret of the attempt being confirmed.
import type { InvitationResult } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { hashToken, newOpaqueToken } from '../http/session';
import { insertInvitation, liveInvitationUser, spendUserInvitations } from '../sql/invitations';
import { deleteUserLoginTokens } from '../sql/sessions';
import {
  confirmTotpSecret,
  findUserById,
  replacePendingTotpSecret,
  setCredentialsIssuer,
  setPasswordHash,
} from '../sql/users';
import { BACKUP_CODE_COUNT, issueBackupCodes } from './backup-codes';
import { issueLoginToken } from './login-tokens';
import { newTotpSecret, otpauthUrl } from './totp';

export interface Invitation {
  token: string;
  expiresAt: string;
}

export interface Redemption {
  token: string;
  password: string;
}

// One answer for an unknown, expired or spent token, and for a disabled or already enrolled account: the
// caller learns nothing about which accounts exist.
const invalidInvitation = () =>
  new ApiError(
    401,
    'invalid_invitation',
    'This invitation is not valid: it may have expired or been used. Ask a supervisor for a new one.',
  );

/**
 * Issues an invitation for the user and spends any earlier one, so only the newest link works. Whoever
 * issues it could redeem it, so they are recorded as the issuer of the user's credentials (four-eyes).
 * `token` is for the demo seed's published invitation only. Call inside ctx.write().
 */
export function issueInvitation(
  ctx: ServerContext,
  userId: string,
  createdBy: string,
  options: { token?: string; ttlMs?: number } = {},
): Invitation {
  const now = ctx.now();
  const token = options.token ?? newOpaqueToken();
  const expiresAt = new Date(now.getTime() + (options.ttlMs ?? ctx.config.invitationTtlMs)).toISOString();
  spendUserInvitations(ctx.db, userId, now.toISOString());
  insertInvitation(ctx.db, {
    tokenHash: hashToken(token),
    userId,
    createdBy,
    createdAt: now.toISOString(),
    expiresAt,
  });
  setCredentialsIssuer(ctx.db, userId, createdBy);
  return { token, expiresAt };
}

/** The account a live invitation may enrol: active and not enrolled yet; otherwise null. */
function invitedUser(ctx: ServerContext, token: string, now: Date) {
  const userId = liveInvitationUser(ctx.db, hashToken(token), now.toISOString());
  const user = userId ? findUserById(ctx.db, userId) : undefined;
  return user && user.disabledAt === null && user.totpConfirmed === 0 ? user : null;
}

/** POST /v1/auth/invitation: one enrolment attempt. The password is set, a fresh secret shown. */
/** `address` is the caller's IP address: its share of the password hashing gate (password-work.ts). */
export async function redeemInvitation(
  ctx: ServerContext,
  redemption: Redemption,
  address: string,
): Promise<InvitationResult> {
  if (!invitedUser(ctx, redemption.token, ctx.now())) throw invalidInvitation();
  // Hashed on the thread pool, outside the transaction (at OWASP's cost it takes a while); the token and
  // the account are checked again inside, as the token may have been spent or the account disabled meanwhile.
  const passwordHash = await ctx.passwords.hash(redemption.password, address);
  return ctx.write(() => {
    const now = ctx.now();
    const user = invitedUser(ctx, redemption.token, now);
    if (!user) throw invalidInvitation();
    const secret = newTotpSecret();
    replacePendingTotpSecret(ctx.db, user.id, secret);
    setPasswordHash(ctx.db, user.id, passwordHash);
    // An earlier attempt's login token would pair with this attempt's secret: end it.
    deleteUserLoginTokens(ctx.db, user.id);
    const loginToken = issueLoginToken(ctx.db, user.id, now, ctx.config.loginTokenTtlMs);
    appendAudit(ctx.db, now, { actor: user.id, action: 'auth.invitation_redeemed', subject: user.id });
    return {
      status: 'totp_enrollment_required',
      username: user.username,
      loginToken,
      otpauthUrl: otpauthUrl(user.username, secret),
    };
  });
}

/**
 * Confirms the pending secret a code was just accepted for, spends the invitation, and returns the new
 * backup codes; null if the user was already confirmed (then nothing changes and no codes are shown).
 * Call inside ctx.write().
 */
export function confirmEnrolment(ctx: ServerContext, userId: string, secret: string): string[] | null {
  if (!confirmTotpSecret(ctx.db, userId, secret)) return null;
  spendUserInvitations(ctx.db, userId, ctx.now().toISOString());
  const backupCodes = issueBackupCodes(ctx.db, userId);
  appendAudit(ctx.db, ctx.now(), {
    actor: userId,
    action: 'auth.totp_enrolled',
    subject: userId,
    data: { backupCodes: BACKUP_CODE_COUNT },
  });
  return backupCodes;
}
