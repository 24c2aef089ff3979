// GET /v1/users: the people a supervisor can hand a case to (`?role=agent`), each with the number of cases
// they hold that are not resolved yet, so that a reassignment can go to whoever has room. People only: a
// service account (the KYT monitor) holds no cases and is never listed.
//
// /v1/accounts and /v1/me/backup-codes: account administration (accounts.ts). Checks run in the order of
// the verdict routes: token and role → body → the account exists and is not the actor's own (refused
// before the code is spent) → the fresh step-up code → the change.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { requireStepUp } from '../auth/stepup';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { listAccounts, listPeopleWithWorkload } from '../sql/users';
import {
  createAccount,
  disableAccount,
  enableAccount,
  refuseOwnAccount,
  regenerateBackupCodes,
  requireAccount,
  resetAccountTotp,
} from './accounts';

export function registerUserRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.listUsers, ({ query }) => ({
    users: listPeopleWithWorkload(ctx.db, query.role ?? null),
  }));

  defineRoute(app, ctx, ROUTES.listAccounts, () => ({
    accounts: listAccounts(ctx.db, ctx.now().toISOString()),
  }));

  defineRoute(app, ctx, ROUTES.createAccount, ({ user, body: { totp, ...account } }) => {
    requireStepUp(ctx, user, totp);
    return createAccount(ctx, user, account);
  });

  defineRoute(app, ctx, ROUTES.disableAccount, ({ user, params, body }) => {
    requireAccount(ctx, params.id);
    refuseOwnAccount(user, params.id, 'disable');
    requireStepUp(ctx, user, body.totp);
    return disableAccount(ctx, user, params.id);
  });

  defineRoute(app, ctx, ROUTES.enableAccount, ({ user, params, body }) => {
    requireAccount(ctx, params.id);
    requireStepUp(ctx, user, body.totp);
    return enableAccount(ctx, user, params.id);
  });

  defineRoute(app, ctx, ROUTES.resetAccountTotp, ({ user, params, body }) => {
    requireAccount(ctx, params.id);
    refuseOwnAccount(user, params.id, 'totp_reset');
    requireStepUp(ctx, user, body.totp);
    return resetAccountTotp(ctx, user, params.id);
  });

  defineRoute(app, ctx, ROUTES.regenerateBackupCodes, ({ user, body }) => {
    requireStepUp(ctx, user, body.totp);
    return regenerateBackupCodes(ctx, user);
  });
}
