// The supervisor's reads and review scorecards (DESIGN §4, §6; issue #9). They go live to the server: the
// history, the figures and the review sample are not in the case feed. A scorecard is one direct call
// under a fresh Idempotency-Key (a retry of a lost answer is told apart from a second scorecard by the
// server's 409 review_already_done, which the screen words): it is a single yes/no form with nothing to
// reconcile later, so it does not need the outbox's crash-proof queue.
import { randomUUID } from 'node:crypto';
import { ROUTES, pathOf } from '../../../shared/api/routes';
import type { VerdictFilter } from '../../../shared/desk-api/schemas';
import type { PlatformApi } from '../api-client';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { DeskSession } from '../session';

export interface SupervisionHandlerDeps {
  api: PlatformApi;
  session: DeskSession;
}

type Filled<T> = { [K in keyof T]-?: Exclude<T[K], undefined> };

/** The history's filters as the server's query: only what is set. */
function filterQuery(filter: Filled<VerdictFilter>): Record<string, string> {
  const query: Record<string, string> = {};
  if (filter.agentId) query.agent = filter.agentId;
  if (filter.outcome) query.outcome = filter.outcome;
  if (filter.asset) query.asset = filter.asset;
  if (filter.from) query.from = filter.from;
  if (filter.to) query.to = filter.to;
  return query;
}

const CSV_HEADER_START = 'case_id,';

export function supervisionHandlers(deps: SupervisionHandlerDeps): DeskHandlers {
  const { api, session } = deps;
  const requireSupervisor = () => {
    const user = session.requireUser();
    if (user.role !== 'supervisor') {
      throw new DeskFailure('forbidden', 'Only supervisors can read the verdict history and review verdicts.');
    }
    return user;
  };

  return {
    'verdicts.list': async ({ cursor, limit, ...filter }) => {
      requireSupervisor();
      return api.call(ROUTES.listVerdicts, {
        query: { ...filterQuery(filter), limit: String(limit), ...(cursor ? { cursor } : {}) },
      });
    },

    'verdicts.csv': async (filter) => {
      requireSupervisor();
      const { bytes } = await api.getBytes(pathOf(ROUTES.listVerdicts), {
        params: { ...filterQuery(filter), format: 'csv' },
      });
      // The file goes to the user's disk as it came: check it is the export its name says it is.
      if (!bytes.toString('utf8', 0, CSV_HEADER_START.length).startsWith(CSV_HEADER_START)) {
        throw new DeskFailure('malformed_answer', 'The server did not send the verdict history as CSV.');
      }
      const parts = [filter.agentId, filter.outcome, filter.asset, filter.from, filter.to].filter(Boolean);
      return {
        fileName: `verdicts${parts.length ? `-${parts.join('-')}` : ''}.csv`,
        mime: 'text/csv',
        base64: bytes.toString('base64'),
      };
    },

    'verdicts.agents': async ({ from, to }) => {
      requireSupervisor();
      return api.call(ROUTES.verdictFigures, { query: filterQuery({ agentId: null, outcome: null, asset: null, from, to }) });
    },

    'deliveries.list': async ({ state, cursor, limit }) => {
      requireSupervisor();
      return api.call(ROUTES.listDeliveries, {
        query: { limit: String(limit), ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) },
      });
    },

    'deliveries.retry': async ({ deliveryId }) => {
      requireSupervisor();
      return api.call(ROUTES.retryDelivery, { params: { id: deliveryId }, body: {} });
    },

    'reviews.week': async ({ week }) => {
      requireSupervisor();
      return api.call(ROUTES.reviewWeek, { query: week ? { week } : {} });
    },

    'reviews.submit': async ({ reviewId, comment, ...answers }) => {
      requireSupervisor();
      return api.call(ROUTES.submitReview, {
        params: { id: reviewId },
        body: comment ? { ...answers, comment } : answers,
        headers: { 'idempotency-key': randomUUID() },
      });
    },
  };
}
