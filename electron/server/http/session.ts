// Bearer tokens are opaque random strings; the store keeps only their sha256, so a copy of the database
// cannot be used to sign in.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { ApiError, forbidden, unauthenticated } from '../errors';
import { findSessionUser, sessionIsLive, touchSession } from '../sql/sessions';

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

/** An authenticated request moves the session's last use at most this often, to keep the writes cheap. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * 401 unauthenticated for a session left unused too long, with a reason the desk can word in the user's
 * language ("signed out after 30 minutes without activity") instead of a bare "session expired".
 */
export class IdleSignOut extends ApiError {
  constructor(readonly idleMinutes: number) {
    super(401, 'unauthenticated', `Signed out after ${idleMinutes} minutes without activity. Sign in again.`);
  }

  protected override details() {
    return { reason: 'idle_timeout', idleMinutes: this.idleMinutes };
  }
}

/** Why a token that once worked no longer does: revoked, expired or signed out. */
export const SESSION_ENDED = 'Your session has expired or was signed out. Sign in again.';

const isoBefore = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/**
 * Slides the session's idle timeout. A slide that cannot be written now (the store busy past its timeout)
 * is not worth failing the request for: the next request writes it, and the one-minute granularity
 * already allows that much slack.
 */
function touch(ctx: ServerContext, tokenHash: string, lastUsedAt: string, now: Date): void {
  const unlessAfter = isoBefore(now, SESSION_TOUCH_INTERVAL_MS);
  // The UPDATE is conditional too, but even one that changes nothing takes the write lock: on nearly every
  // request the session was used within the interval, and the row just read says so.
  if (lastUsedAt > unlessAfter) return;
  try {
    touchSession(ctx.db, tokenHash, now.toISOString(), unlessAfter);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY'))) throw error;
  }
}

export interface UserCheck {
  /** Who may call; absent: any signed-in user. Any other role is 403. */
  roles?: readonly Role[];
  /**
   * False for a background read (a route declared `background`: the sync feed, the event stream): it is
   * refused like any request once the session is idle, but does not slide the timeout. Otherwise a desk
   * left open would keep its session alive for ever, since it pulls the feed after every change anyone makes.
   */
  isActivity?: boolean;
}

/**
 * The signed-in user of this request, or 401: no token, an unknown, revoked or expired one, or a session
 * unused for longer than config.sessionIdleTimeoutMs. Every accepted request that is activity slides the
 * idle timeout. With roles, also 403 for any other role.
 */
export function requireUser(
  ctx: ServerContext,
  request: FastifyRequest,
  { roles, isActivity = true }: UserCheck = {},
): AuthUser {
  const token = bearerToken(request);
  if (!token) throw unauthenticated();
  const tokenHash = hashToken(token);
  const now = ctx.now();
  const session = findSessionUser(ctx.db, tokenHash, now.toISOString());
  if (!session) throw unauthenticated(SESSION_ENDED);
  const idleMs = ctx.config.sessionIdleTimeoutMs;
  if (session.lastUsedAt <= isoBefore(now, idleMs)) throw new IdleSignOut(Math.round(idleMs / 60_000));
  if (isActivity) touch(ctx, tokenHash, session.lastUsedAt, now);
  const user: AuthUser = { id: session.id, username: session.username, displayName: session.displayName, role: session.role };
  if (roles && !roles.includes(user.role)) throw forbidden();
  return user;
}

/** Whether the session behind `token` still works (unrevoked, unexpired, not idle), without sliding it. */
export function sessionStillLive(ctx: ServerContext, token: string): boolean {
  const now = ctx.now();
  return sessionIsLive(
    ctx.db,
    hashToken(token),
    now.toISOString(),
    isoBefore(now, ctx.config.sessionIdleTimeoutMs),
  );
}
