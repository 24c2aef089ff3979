import { randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { hashSecret } from './passwords';

export interface NewUser {
  id?: string;
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** A confirmed base32 TOTP secret; null leaves the user to enrol on first sign-in. */
  totpSecret: string | null;
}

/** Creates a user. Call inside ctx.write(). */
export function createUser(ctx: ServerContext, user: NewUser): string {
  const id = user.id ?? `USR-${randomUUID()}`;
  ctx.db
    .prepare(
      `INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_confirmed, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      user.username,
      user.displayName,
      user.role,
      hashSecret(user.password),
      user.totpSecret,
      user.totpSecret ? 1 : 0,
      ctx.now().toISOString(),
    );
  return id;
}
