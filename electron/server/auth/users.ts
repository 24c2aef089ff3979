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
  password: string;
  /**
   * The password's hash, made beforehand with hashPassword (async, off the event loop). Without it the
   * password is hashed here, synchronously, at the configured cost: fine for seeds and test fixtures, never
   * for a request at OWASP's cost.
   */
  passwordHash?: string;
  /** A confirmed base32 TOTP secret; null leaves the user to enrol on first sign-in. */
  totpSecret: string | null;
}

/** Creates a user. Call inside ctx.write(). */
export function createUser(ctx: ServerContext, user: NewUser): string {
  const id = user.id ?? `USR-${randomUUID()}`;
  insertUser(ctx.db, {
    id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    passwordHash: user.passwordHash ?? hashPasswordSync(user.password, ctx.config.passwordHashCost),
    totpSecret: user.totpSecret,
    createdAt: ctx.now().toISOString(),
  });
  return id;
}
