// Invitations to enrol (migration 0011): stored as the sha256 of the token the invitee holds.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface InvitationRow {
  tokenHash: string;
  userId: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

export function insertInvitation(db: Db, invitation: InvitationRow): void {
  prepared(
    db,
    `INSERT INTO invitations (token_hash, user_id, created_by, created_at, expires_at)
     VALUES (@tokenHash, @userId, @createdBy, @createdAt, @expiresAt)`,
  ).run(invitation);
}

/** The user a live (unspent, unexpired) invitation belongs to, or null. */
export function liveInvitationUser(db: Db, tokenHash: string, now: string): string | null {
  const row = prepared(
    db,
    'SELECT user_id FROM invitations WHERE token_hash = ? AND spent_at IS NULL AND expires_at > ?',
  ).get(tokenHash, now) as { user_id: string } | undefined;
  return row?.user_id ?? null;
}

/** Spends every unspent invitation of the user: on a confirmed enrolment, or before a new one is issued. */
export function spendUserInvitations(db: Db, userId: string, at: string): void {
  prepared(db, 'UPDATE invitations SET spent_at = ? WHERE user_id = ? AND spent_at IS NULL').run(at, userId);
}
