// The auth routes of the platform API (DESIGN §2): two-step sign-in (password, then a TOTP or backup
// code), sign-out and the signed-in user.
import type { FastifyInstance } from 'fastify';
import type { Me } from '../../../shared/api/types';
import { loginBody, totpBody } from '../../../shared/api/requests';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { bearerToken, requireUser } from '../http/session';
import { parseInput } from '../http/validate';
import { signInWithPassword } from './login';
import { completeSignIn } from './second-factor';
import { revokeSession } from './sessions';

export async function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // Per address and generous: a whole office may sign in from one address. Guessing one user's password
  // or codes is stopped by the per-user lockout instead (lockout.ts).
  const perAddressLimit = {
    config: { rateLimit: { max: ctx.config.authRateLimitPerMinute, timeWindow: '1 minute' } },
  };

  app.post('/v1/auth/login', perAddressLimit, async (request) =>
    signInWithPassword(ctx, parseInput(loginBody, request.body)),
  );

  app.post('/v1/auth/totp', perAddressLimit, async (request) =>
    completeSignIn(ctx, parseInput(totpBody, request.body)),
  );

  app.post('/v1/auth/logout', perAddressLimit, async (request, reply) => {
    const user = requireUser(ctx, request);
    const token = bearerToken(request)!;
    ctx.write(() => {
      const now = ctx.now();
      if (revokeSession(ctx.db, token, now)) {
        appendAudit(ctx.db, now, { actor: user.id, action: 'auth.signed_out', subject: user.id });
      }
    });
    return reply.status(204).send();
  });

  app.get('/v1/me', async (request): Promise<Me> => {
    const { id, username, displayName, role } = requireUser(ctx, request);
    return { id, username, displayName, role };
  });
}
