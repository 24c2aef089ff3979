// Bearer tokens are opaque random strings; the store keeps only their sha256, so a copy of the database
// cannot be used to sign in.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { forbidden, unauthenticated } from '../errors';
import { findSessionUser } from '../sql/sessions';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export const newOpaqueToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  // The scheme's name is case-insensitive (RFC 9110 §11.1): "bearer" and "BEARER" are Bearer too.
  const match = /^Bearer +([A-Za-z0-9_-]{16,256})$/i.exec(header);
  return match?.[1] ?? null;
}

/** The signed-in user of this request, or 401. With roles, also 403 for any other role. */
export function requireUser(ctx: ServerContext, request: FastifyRequest, roles?: readonly Role[]): AuthUser {
  const token = bearerToken(request);
  if (!token) throw unauthenticated();
  const user: AuthUser | undefined = findSessionUser(ctx.db, hashToken(token), ctx.now().toISOString());
  if (!user) throw unauthenticated('Your session has expired or was signed out. Sign in again.');
  if (roles && !roles.includes(user.role)) throw forbidden();
  return user;
}
