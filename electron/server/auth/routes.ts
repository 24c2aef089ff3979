// The auth routes of the platform API (DESIGN §2): two-step sign-in (password, then a TOTP or backup
// code), enrolment by invitation, sign-out and the signed-in user.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { closeStreamsOfToken } from '../feed/events';
import { defineRoute } from '../http/route';
import { bearerToken } from '../http/session';
import { redeemInvitation } from './enrolment';
import { signInWithPassword } from './login';
import { decoyHash } from './passwords';
import { completeSignIn } from './second-factor';
import { revokeSession } from './sessions';

export async function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // Per address and generous: a whole office may sign in from one address. Guessing one user's password
  // or codes is stopped by the per-username throttle instead (lockout.ts).
  const perAddressLimit = {
    config: { rateLimit: { max: ctx.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
  };

  // Started now, not at the first unknown username, which would otherwise take twice as long as a known
  // one. Not awaited: the start does not wait for it, and a sign-in meanwhile waits for the same promise.
  decoyHash(ctx.config.passwordHashCost).catch((error: unknown) => app.log.warn({ err: error }, 'decoy hash failed'));

  defineRoute(app, ctx, ROUTES.login, ({ body, request }) => signInWithPassword(ctx, body, request.ip), perAddressLimit);

  defineRoute(app, ctx, ROUTES.totp, ({ body, request }) => completeSignIn(ctx, body, request.ip), perAddressLimit);

  defineRoute(app, ctx, ROUTES.redeemInvitation, ({ body }) => redeemInvitation(ctx, body), perAddressLimit);

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
