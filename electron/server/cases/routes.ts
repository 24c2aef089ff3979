// The case routes of the platform API (DESIGN §2), one file per action; roles per DESIGN §4.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { registerApprovalRoutes } from './approval-routes';
import { registerClaimRoute } from './claim';
import { registerHoldRoutes } from './hold';
import { registerCaseReadRoutes } from './list';
import { registerLivenessRequestRoute } from './liveness-requests';
import { registerMessageRoute } from './messages';
import { registerNoteRoute } from './notes';
import { registerReassignRoute } from './reassign';
import { registerVerdictRoute } from './verdict-route';

export async function registerCaseRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  registerCaseReadRoutes(app, ctx);
  registerClaimRoute(app, ctx);
  registerMessageRoute(app, ctx);
  registerNoteRoute(app, ctx);
  registerLivenessRequestRoute(app, ctx);
  registerVerdictRoute(app, ctx);
  registerApprovalRoutes(app, ctx);
  registerReassignRoute(app, ctx);
  registerHoldRoutes(app, ctx);
}
