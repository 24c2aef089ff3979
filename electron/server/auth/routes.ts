// The auth routes of the platform API (DESIGN §2): two-step sign-in (password, then a TOTP or backup
// code), enrolment by invitation, sign-out and the signed-in user.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { closeStreamsOfToken } from '../feed/events';
import { ApiError } from '../errors';
import { callerNetwork, callerPrefixes, callerSite } from '../http/caller-network';
import { defineRoute } from '../http/route';
import { bearerToken } from '../http/session';
import { redeemInvitation } from './enrolment';
import { signInWithPassword } from './login';
import { decoyHash } from './passwords';
import { completeSignIn } from './second-factor';
import { revokeSession } from './sessions';

/**
 * The sign-in rate limit of an IPv6 caller's /48 across all its /64s, answered like the per-address one
 * (429 rate_limited with Retry-After). IPv4 callers are counted per address only (callerPrefixes).
 */
function siteLimit(app: FastifyInstance, perMinute: number) {
  const limit = app.createRateLimit({
    max: perMinute,
    timeWindow: '1 minute',
    keyGenerator: (request: FastifyRequest) => callerSite(request.ip),
  });
  return async (request: FastifyRequest) => {
    if (callerPrefixes(request.ip).length === 0) return;
    const counted = await limit(request);
    if (!counted.isAllowed && counted.isExceeded) throw new SiteRateLimited(counted.ttlInSeconds);
  };
}

class SiteRateLimited extends ApiError {
  constructor(private readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests. Wait a moment and try again.');
  }

  override headers(): Record<string, string> {
    return { 'retry-after': String(Math.max(1, this.retryAfterSeconds)) };
  }
}

export async function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // Per address and generous: a whole office may sign in from one address. Guessing one user's password
  // or codes is stopped by the per-username throttle instead (lockout.ts).
  const perAddressLimit = {
    config: { rateLimit: { max: ctx.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
  };
  // The two routes that hash a password, tighter: a person signs in once a day, and at 30 a minute an
  // address keeps its share of the hashing gate (password-work.ts) busy a fifth of the time at most, so a
  // stranger needs many addresses, not a few, to keep the gate full. Counted before the body is read, so
  // it is the same for a real and an unknown username; an IPv6 caller by its /64, like the gate, and its
  // /48 as a whole too (siteLimit): one subscriber holds thousands of /64s.
  const passwordLimit = {
    config: {
      rateLimit: {
        max: ctx.config.signInRateLimitPerMinute,
        timeWindow: '1 minute',
        keyGenerator: (request: FastifyRequest) => callerNetwork(request.ip),
      },
    },
    onRequest: siteLimit(app, ctx.config.signInSiteRateLimitPerMinute),
  };

  // Started now, not at the first unknown username, which would otherwise take twice as long as a known
  // one. Not awaited: the start does not wait for it, and a sign-in meanwhile waits for the same promise.
  decoyHash(ctx.config.passwordHashCost).catch((error: unknown) => app.log.warn({ err: error }, 'decoy hash failed'));

  defineRoute(app, ctx, ROUTES.login, ({ body, request }) => signInWithPassword(ctx, body, request.ip), passwordLimit);

  defineRoute(app, ctx, ROUTES.totp, ({ body, request }) => completeSignIn(ctx, body, request.ip), perAddressLimit);

  defineRoute(
    app,
    ctx,
    ROUTES.redeemInvitation,
    ({ body, request }) => redeemInvitation(ctx, body, request.ip),
    passwordLimit,
  );

  defineRoute(
    app,
    ctx,
    ROUTES.logout,
    ({ user, request }) => {
      const token = bearerToken(request)!;
      ctx.write(() => {
        const now = ctx.now();
        if (revokeSession(ctx.db, token, now)) {
          appendAudit(ctx.db, now, { actor: user.id, action: 'auth.signed_out', subject: user.id });
        }
      });
      // The token no longer works: its live update streams end with it.
      closeStreamsOfToken(ctx, token);
    },
    perAddressLimit,
  );

  defineRoute(app, ctx, ROUTES.me, ({ user: { id, username, displayName, role } }) => {
    return { id, username, displayName, role };
  });
}
