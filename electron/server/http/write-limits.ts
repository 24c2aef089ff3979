// Per-user, per-route limits on writes (issue #11). Every POST and DELETE a signed-in user makes is counted
// against that user on that route (@fastify/rate-limit keeps one counter store per route): one agent's
// runaway script cannot fill the store or the feed, and it never slows down a colleague, who has a budget of
// their own. The budgets are generous for real work: an agent deciding a verdict a minute, or typing a
// message every few seconds, never meets them. Sign-in routes keep their own per-address limits (auth/).
import type { FastifyRequest } from 'fastify';
import type { RouteSpec } from '../../../shared/api/routes';
import type { WriteRateLimits } from '../config';
import type { ServerContext } from '../context';
import { findSessionUserId } from '../sql/sessions';
import { bearerToken, hashToken } from './session';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The routes that decide money: a verdict, its approval and its rejection each need a fresh step-up code. */
const VERDICT_PATH = /\/verdict(\/(approve|reject))?$/;
/** Free text to the parties or the team. */
const TEXT_PATH = /\/(messages|notes)$/;

/** How many calls a minute one user may make to this route; null for a route that is not a user's write. */
export function writeBudget(route: RouteSpec, limits: WriteRateLimits): number | null {
  if (!WRITE_METHODS.has(route.method)) return null;
  if (route.access === 'public' || route.access === 'webhook') return null;
  if (VERDICT_PATH.test(route.path)) return limits.verdictsPerMinute;
  if (TEXT_PATH.test(route.path)) return limits.textPerMinute;
  return limits.otherWritesPerMinute;
}

/**
 * Whom a write is counted against: the session's user, so that one person's budget is the same across their
 * desks and addresses. The limit runs before the body is read (a flood costs no parsing); a call without a
 * live session is counted per address and then refused 401 by the route itself.
 */
export function writerKey(ctx: ServerContext, request: FastifyRequest): string {
  const token = bearerToken(request);
  const userId = token ? findSessionUserId(ctx.db, hashToken(token), ctx.now().toISOString()) : undefined;
  return userId ? `user:${userId}` : `address:${request.ip}`;
}

/** The route option that applies the write limit, or none. */
export function writeLimitOption(ctx: ServerContext, route: RouteSpec) {
  const max = writeBudget(route, ctx.config.writeRateLimits);
  if (max === null) return {};
  return {
    config: {
      rateLimit: { max, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => writerKey(ctx, request) },
    },
  };
}
