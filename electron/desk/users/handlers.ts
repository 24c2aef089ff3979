// The supervisor's list of agents for a reassignment (DESIGN §4), read live from GET /v1/users?role=agent:
// who holds how many unresolved cases changes with every claim and verdict, and the desk caches cases, not
// people. Other roles are refused here, before the server is asked.
//
// Account administration (issue #11) goes live too: each change carries the supervisor's fresh code, so a
// repeat is refused by the server (totp_replayed) rather than carried out twice, and the answers of create
// and 2FA reset hold an invitation token that the desk passes to the screen once and never stores.
import { ROUTES } from '../../../shared/api/routes';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { PlatformApi } from '../api-client';
import type { DeskSession } from '../session';

export function userHandlers({ api, session }: { api: PlatformApi; session: DeskSession }): DeskHandlers {
  const requireSupervisor = (why: string) => {
    if (session.requireUser().role !== 'supervisor') throw new DeskFailure('forbidden', why);
  };
  const administers = () => requireSupervisor('Only supervisors administer accounts.');

  return {
    'users.agents': async () => {
      requireSupervisor('Only supervisors can reassign cases.');
      const { users } = await api.call(ROUTES.listUsers, { query: { role: 'agent' } });
      return users;
    },

    'accounts.list': async () => {
      administers();
      const { accounts } = await api.call(ROUTES.listAccounts, {});
      return accounts;
    },

    'accounts.create': async (account) => {
      administers();
      return api.call(ROUTES.createAccount, { body: account });
    },

    'accounts.disable': async ({ userId, totp }) => {
      administers();
      return api.call(ROUTES.disableAccount, { params: { id: userId }, body: { totp } });
    },

    'accounts.enable': async ({ userId, totp }) => {
      administers();
      return api.call(ROUTES.enableAccount, { params: { id: userId }, body: { totp } });
    },

    'accounts.resetTotp': async ({ userId, totp }) => {
      administers();
      return api.call(ROUTES.resetAccountTotp, { params: { id: userId }, body: { totp } });
    },

    'session.backupCodes': async ({ totp }) => {
      session.requireUser();
      return api.call(ROUTES.regenerateBackupCodes, { body: { totp } });
    },
  };
}
