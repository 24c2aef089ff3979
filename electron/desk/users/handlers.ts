// The supervisor's list of agents for a reassignment (DESIGN §4), read live from GET /v1/users?role=agent:
// who holds how many unresolved cases changes with every claim and verdict, and the desk caches cases, not
// people. Other roles are refused here, before the server is asked.
import { ROUTES } from '../../../shared/api/routes';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { PlatformApi } from '../api-client';
import type { DeskSession } from '../session';

export function userHandlers({ api, session }: { api: PlatformApi; session: DeskSession }): DeskHandlers {
  return {
    'users.agents': async () => {
      if (session.requireUser().role !== 'supervisor') {
        throw new DeskFailure('forbidden', 'Only supervisors can reassign cases.');
      }
      const { users } = await api.call(ROUTES.listUsers, { query: { role: 'agent' } });
      return users;
    },
  };
}
