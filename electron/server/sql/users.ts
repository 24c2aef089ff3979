// Users and their second factor: accounts, TOTP secrets and steps, step-up failures, backup codes.
// TOTP secrets are sealed on the way in and opened on the way out (auth/secret-box.ts): the column only ever
// holds sealed values, and callers only ever see plain ones.
import type { Role } from '../../../shared/domain/dispute';
import { isSealed, sameSecret, secretBoxOf } from '../auth/secret-box';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  totpSecret: string | null;
  totpConfirmed: number;
  /** When a supervisor disabled the account; null while it is active. */
  disabledAt: string | null;
}

const USER_COLUMNS = `id, username, display_name AS displayName, role, password_hash AS passwordHash,
  totp_secret AS totpSecret, totp_confirmed AS totpConfirmed, disabled_at AS disabledAt`;

const sealSecret = (db: Db, secret: string, userId: string) => secretBoxOf(db).seal(secret, userId);
const openSecret = (db: Db, sealed: string, userId: string) => secretBoxOf(db).open(sealed, userId);

function withOpenSecret(db: Db, row: UserRow | undefined): UserRow | undefined {
  return row?.totpSecret ? { ...row, totpSecret: openSecret(db, row.totpSecret, row.id) } : row;
}

export function insertUser(
  db: Db,
  user: Omit<UserRow, 'totpConfirmed' | 'disabledAt'> & { createdAt: string },
): void {
  prepared(
    db,
    `INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_confirmed, created_at)
     VALUES (@id, @username, @displayName, @role, @passwordHash, @totpSecret, @totpConfirmed, @createdAt)`,
  ).run({
    ...user,
    totpSecret: user.totpSecret ? sealSecret(db, user.totpSecret, user.id) : null,
    totpConfirmed: user.totpSecret ? 1 : 0,
  });
}

/** People only: a service account (the KYT monitor) is never found by sign-in, so it answers as unknown. */
export const findUserByUsername = (db: Db, username: string) =>
  withOpenSecret(
    db,
    prepared(db, `SELECT ${USER_COLUMNS} FROM users WHERE username = ? AND kind = 'person'`).get(username) as
      | UserRow
      | undefined,
  );

export const findUserById = (db: Db, id: string) =>
  withOpenSecret(db, prepared(db, `SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as UserRow | undefined);

/** The role a person acts in; null for a service account, so no check ever takes it for an agent or reviewer. */
export function userRole(db: Db, id: string): Role | null {
  const row = prepared(db, "SELECT role FROM users WHERE id = ? AND kind = 'person'").get(id) as
    | { role: Role }
    | undefined;
  return row?.role ?? null;
}

/** The user's confirmed TOTP secret, or null when they have none (yet). */
export function confirmedTotpSecret(db: Db, userId: string): string | null {
  const row = prepared(db, 'SELECT totp_secret FROM users WHERE id = ? AND totp_confirmed = 1').get(userId) as
    | { totp_secret: string }
    | undefined;
  return row ? openSecret(db, row.totp_secret, userId) : null;
}

/**
 * Gives an unconfirmed user this pending secret in place of any earlier one: each enrolment attempt has its
 * own, so a secret shown once is dead as soon as another attempt starts. True if the user was unconfirmed.
 */
export const replacePendingTotpSecret = (db: Db, userId: string, secret: string) =>
  prepared(db, 'UPDATE users SET totp_secret = ?, totp_last_step = NULL WHERE id = ? AND totp_confirmed = 0').run(
    sealSecret(db, secret, userId),
    userId,
  ).changes === 1;

/** Drops the user's second factor (secret, confirmation, backup codes): they enrol again by invitation. */
export function clearSecondFactor(db: Db, userId: string): void {
  prepared(db, 'UPDATE users SET totp_secret = NULL, totp_confirmed = 0, totp_last_step = NULL WHERE id = ?').run(
    userId,
  );
  prepared(db, 'DELETE FROM backup_codes WHERE user_id = ?').run(userId);
}

export function setPasswordHash(db: Db, userId: string, passwordHash: string): void {
  prepared(db, 'UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
}

/**
 * Confirms the pending secret; true only for the request that confirmed it. Each sealing is different (a
 * fresh IV), so the pending value is opened and compared here, and the write is conditional on the sealed
 * value read: a secret replaced in between is not confirmed.
 */
export function confirmTotpSecret(db: Db, userId: string, secret: string): boolean {
  const row = prepared(db, 'SELECT totp_secret FROM users WHERE id = ? AND totp_confirmed = 0').get(userId) as
    | { totp_secret: string | null }
    | undefined;
  if (!row?.totp_secret || !sameSecret(openSecret(db, row.totp_secret, userId), secret)) return false;
  return (
    prepared(db, 'UPDATE users SET totp_confirmed = 1 WHERE id = ? AND totp_confirmed = 0 AND totp_secret = ?').run(
      userId,
      row.totp_secret,
    ).changes === 1
  );
}

/** How many TOTP secrets are stored sealed: any at all means a key was in use. */
export const countSealedTotpSecrets = (db: Db) =>
  (
    prepared(db, "SELECT COUNT(*) AS sealed FROM users WHERE totp_secret LIKE 'sealed:%'").get() as {
      sealed: number;
    }
  ).sealed;

/** Every stored TOTP secret as it is in the column (sealed or not), for the start-time check and sealing. */
export const storedTotpSecrets = (db: Db) =>
  prepared(db, 'SELECT id AS userId, totp_secret AS stored FROM users WHERE totp_secret IS NOT NULL').all() as {
    userId: string;
    stored: string;
  }[];

/**
 * Seals a secret stored in plain text (from before #11); true when this call sealed it. Conditional on the
 * plain value, so two servers starting at once never seal the same secret twice.
 */
export function sealStoredTotpSecret(db: Db, userId: string, plaintext: string): boolean {
  if (isSealed(plaintext)) return false;
  return (
    prepared(db, 'UPDATE users SET totp_secret = ? WHERE id = ? AND totp_secret = ?').run(
      sealSecret(db, plaintext, userId),
      userId,
      plaintext,
    ).changes === 1
  );
}

/** Compare-and-set of the last used TOTP step: true when `step` is newer than any used before. */
export const advanceTotpStep = (db: Db, userId: string, step: number) =>
  prepared(db, 'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)').run(
    step,
    userId,
    step,
  ).changes === 1;

/** Replaces the password hash if it is still `previous`; true when it did. */
export const replacePasswordHash = (db: Db, userId: string, previous: string, next: string) =>
  prepared(db, 'UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(next, userId, previous)
    .changes === 1;

export type FailureKind = 'sign_in' | 'step_up';

export function insertAuthFailure(db: Db, userId: string, kind: FailureKind, at: string): void {
  prepared(db, 'INSERT INTO auth_failures (user_id, kind, at) VALUES (?, ?, ?)').run(userId, kind, at);
}

export const countAuthFailuresSince = (db: Db, userId: string, kind: FailureKind, since: string) =>
  (
    prepared(db, 'SELECT COUNT(*) AS failures FROM auth_failures WHERE user_id = ? AND kind = ? AND at > ?').get(
      userId,
      kind,
      since,
    ) as { failures: number }
  ).failures;

export function replaceBackupCodeHashes(db: Db, userId: string, hashes: readonly string[]): void {
  prepared(db, 'DELETE FROM backup_codes WHERE user_id = ?').run(userId);
  const insert = prepared(db, 'INSERT INTO backup_codes (user_id, code_hash) VALUES (?, ?)');
  for (const hash of hashes) insert.run(userId, hash);
}

export const unusedBackupCodeHashes = (db: Db, userId: string) =>
  (prepared(db, 'SELECT code_hash FROM backup_codes WHERE user_id = ? AND used_at IS NULL').all(userId) as {
    code_hash: string;
  }[]).map((row) => row.code_hash);

/** Spends one unused code; true only for the request that spent it. */
export const spendBackupCode = (db: Db, userId: string, codeHash: string, at: string) =>
  prepared(db, 'UPDATE backup_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(
    at,
    userId,
    codeHash,
  ).changes === 1;

export interface PersonWorkload {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  openCases: number;
}

/**
 * People (never a service account), of one role or all, each with the cases they hold that are not resolved;
 * by display name. The count walks the cases_by_assignee index, one lookup per person.
 */
export function listPeopleWithWorkload(db: Db, role: Role | null): PersonWorkload[] {
  return prepared(
    db,
    `SELECT u.id, u.username, u.display_name AS displayName, u.role,
            (SELECT COUNT(*) FROM cases c WHERE c.assignee_id = u.id AND c.status <> 'resolved') AS openCases
     FROM users u
     WHERE u.kind = 'person' AND (@role IS NULL OR u.role = @role)
     ORDER BY u.display_name, u.id`,
  ).all({ role }) as PersonWorkload[];
}

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
  enrolled: boolean;
  /** The expiry of the account's live invitation, if it has one. */
  invitationExpiresAt: string | null;
}

const ACCOUNT_COLUMNS = `u.id, u.username, u.display_name AS displayName, u.role, u.created_at AS createdAt,
  u.disabled_at AS disabledAt, u.totp_confirmed AS enrolled,
  (SELECT MAX(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.spent_at IS NULL AND i.expires_at > @now)
    AS invitationExpiresAt`;

const toAccount = (row: Omit<Account, 'enrolled'> & { enrolled: number }): Account => ({
  ...row,
  enrolled: row.enrolled === 1,
});

/** Every person's account for the People screen, by display name. Never a secret or a hash. */
export const listAccounts = (db: Db, now: string) =>
  (
    prepared(
      db,
      `SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE u.kind = 'person' ORDER BY u.display_name, u.id`,
    ).all({ now }) as (Omit<Account, 'enrolled'> & { enrolled: number })[]
  ).map(toAccount);

export function findAccount(db: Db, id: string, now: string): Account | undefined {
  const row = prepared(db, `SELECT ${ACCOUNT_COLUMNS} FROM users u WHERE u.id = @id AND u.kind = 'person'`).get({
    id,
    now,
  }) as (Omit<Account, 'enrolled'> & { enrolled: number }) | undefined;
  return row && toAccount(row);
}

export const usernameTaken = (db: Db, username: string) =>
  prepared(db, 'SELECT 1 FROM users WHERE username = ?').get(username) !== undefined;

/**
 * Disables an active person. The last active, enrolled supervisor is refused in the same statement, so two
 * supervisors disabling each other at once cannot leave nobody to administer. True if this call disabled.
 */
export const disableAccountRow = (db: Db, userId: string, at: string) =>
  prepared(
    db,
    `UPDATE users SET disabled_at = @at
     WHERE id = @userId AND kind = 'person' AND disabled_at IS NULL
       AND (role <> 'supervisor' OR (
         SELECT COUNT(*) FROM users
         WHERE role = 'supervisor' AND kind = 'person' AND disabled_at IS NULL AND totp_confirmed = 1 AND id <> @userId
       ) > 0)`,
  ).run({ userId, at }).changes === 1;

export const enableAccountRow = (db: Db, userId: string) =>
  prepared(db, "UPDATE users SET disabled_at = NULL WHERE id = ? AND kind = 'person' AND disabled_at IS NOT NULL").run(
    userId,
  ).changes === 1;

/** A person by id with their role, or undefined for an unknown id or a service account. */
export const findPerson = (db: Db, id: string) =>
  prepared(db, "SELECT id, display_name AS displayName, role FROM users WHERE id = ? AND kind = 'person'").get(id) as
    | { id: string; displayName: string; role: Role }
    | undefined;

/** Records who issued the user's current credentials (an invitation to enrol: a new account, a 2FA reset). */
export function setCredentialsIssuer(db: Db, userId: string, issuerId: string): void {
  prepared(db, 'UPDATE users SET credentials_issued_by = ? WHERE id = ?').run(issuerId, userId);
}

/** Who issued the user's current credentials; null when no supervisor did. */
export function credentialsIssuerOf(db: Db, userId: string): string | null {
  const row = prepared(db, 'SELECT credentials_issued_by AS issuer FROM users WHERE id = ?').get(userId) as
    | { issuer: string | null }
    | undefined;
  return row?.issuer ?? null;
}
