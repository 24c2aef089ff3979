// Registers a route from its entry in the route contract (shared/api/routes.ts): the method and path, the
// access check, the Idempotency-Key, the body and query schemas, and the success status all come from the
// entry, so a handler only does its route's work and its answer is typed as the contract's response.
// Checks run in DESIGN §2's order: token (and role) → Idempotency-Key → body → query → the handler.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import {
  BACKGROUND_REQUEST_HEADER,
  type RouteParams,
  type RouteQuery,
  type RouteResponse,
  type RouteSpec,
} from '../../../shared/api/routes';
import { idempotencyKeyOf } from '../cases/idempotency';
import type { ServerContext } from '../context';
import { requireUser, type AuthUser } from './session';
import { parseInput } from './validate';
import { writeLimitOption } from './write-limits';

type UserOf<R extends RouteSpec> = R['access'] extends 'public' | 'webhook' ? null : AuthUser;
type BodyOf<R extends RouteSpec> = R['body'] extends z.ZodType ? z.output<R['body']> : undefined;
type KeyOf<R extends RouteSpec> = R['idempotencyKey'] extends true
  ? string
  : R['idempotencyKey'] extends 'optional'
    ? string | undefined
    : undefined;

export interface RouteInput<R extends RouteSpec> {
  user: UserOf<R>;
  params: RouteParams<R>;
  body: BodyOf<R>;
  query: RouteQuery<R>;
  idempotencyKey: KeyOf<R>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Answers the contract's response (sent with the entry's status; nothing for a 204), or the reply itself
 * when the handler sent something else: bytes, a stream, or a stored answer with its own status.
 */
type HandlerAnswer<R extends RouteSpec> = RouteResponse<R> | FastifyReply | void;
export type RouteHandler<R extends RouteSpec> = (
  input: RouteInput<R>,
) => Promise<HandlerAnswer<R>> | HandlerAnswer<R>;

function authenticate(ctx: ServerContext, route: RouteSpec, request: FastifyRequest): AuthUser | null {
  const { access } = route;
  if (access === 'public' || access === 'webhook') return null;
  const isActivity =
    route.background !== true && !(route.method === 'GET' && request.headers[BACKGROUND_REQUEST_HEADER] === '1');
  // A call under a required Idempotency-Key checks the role only after its idempotency record (DESIGN §2's
  // order of checks for verdicts), so its handler does that itself.
  if (access === 'signed_in' || route.idempotencyKey === true) return requireUser(ctx, request, { isActivity });
  return requireUser(ctx, request, { roles: access, isActivity });
}

export function defineRoute<R extends RouteSpec>(
  app: FastifyInstance,
  ctx: ServerContext,
  route: R,
  handler: RouteHandler<R>,
  options: Pick<RouteShorthandOptions, 'config' | 'onRequest'> = {},
): void {
  app.route({
    // A route with a limit of its own (sign-in, platform events) keeps it; every other write of a signed-in
    // user is limited per user and route (write-limits.ts).
    ...(options.config?.rateLimit ? {} : writeLimitOption(ctx, route)),
    ...options,
    method: route.method,
    url: route.path,
    handler: async (request, reply) => {
      const user = authenticate(ctx, route, request);
      const idempotencyKey =
        route.idempotencyKey === true ||
        (route.idempotencyKey === 'optional' && request.headers['idempotency-key'] !== undefined)
          ? idempotencyKeyOf(request)
          : undefined;
      const body: unknown = route.body ? parseInput(route.body, request.body) : undefined;
      const query: unknown = route.query ? parseInput(route.query, request.query) : undefined;
      const input = {
        user,
        params: request.params,
        body,
        query,
        idempotencyKey,
        request,
        reply,
      } as RouteInput<R>;
      const answer = await handler(input);
      if (answer === reply || reply.sent) return reply;
      if (answer === undefined) return reply.status(route.status).send();
      return reply.status(route.status).send(answer);
    },
  });
}
