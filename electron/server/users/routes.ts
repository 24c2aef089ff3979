// GET /v1/users: the people a supervisor can hand a case to (`?role=agent`), each with the number of cases
// they hold that are not resolved yet, so that a reassignment can go to whoever has room. People only: a
// service account (the KYT monitor) holds no cases and is never listed.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { listPeopleWithWorkload } from '../sql/users';

export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.listUsers, ({ query }) => ({
    users: listPeopleWithWorkload(ctx.db, query.role ?? null),
  }));
}
