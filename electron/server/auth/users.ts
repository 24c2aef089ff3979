import { randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { insertUser } from '../sql/users';
import { hashPasswordSync } from './passwords';

export interface NewUser {
  id?: string;
  username: string;
  displayName: string;
  role: Role;
  /** Null for an invited person: they choose their password when they redeem the invitation. */
  password: string | null;
  /**
   * The password's hash, made beforehand with hashPassword (async, off the event loop). Without it the
   * password is hashed here, synchronously, at the configured cost: fine for seeds and test fixtures, never
   * for a request at OWASP's cost.
   */
  passwordHash?: string;
  /** A confirmed base32 TOTP secret; null leaves the user to enrol by invitation. */
  totpSecret: string | null;
}

// Matches no password (passwords.ts reads only "scrypt$..."): the invitee chooses theirs when redeeming.
const NO_PASSWORD_YET = '!invited';

/** Creates a user. Call inside ctx.write(). */
export function createUser(ctx: ServerContext, user: NewUser): string {
  const id = user.id ?? `USR-${randomUUID()}`;
  insertUser(ctx.db, {
    id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    passwordHash:
      user.passwordHash ??
      (user.password === null ? NO_PASSWORD_YET : hashPasswordSync(user.password, ctx.config.passwordHashCost)),
    totpSecret: user.totpSecret,
    createdAt: ctx.now().toISOString(),
  });
  return id;
}
