// 'queue.query' and 'case.get': both read the cache. A case not cached yet (the first sync is still
// under way) is fetched from the server once and cached, so a link to it works at once.
import { ROUTES } from '../../../shared/api/routes';
import type { OutboxEntry } from '../../../shared/desk-api/schemas';
import { MalformedAnswerError, type PlatformApi } from '../api-client';
import type { DeskContext } from '../context';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { DeskSession } from '../session';
import { isCachedCase } from '../sync/page-schema';
import { applyCaseDetail } from './apply-case';
import { readCachedCase } from './case-view';
import { readEarlierDisputes } from './earlier-disputes';
import { queryQueue } from './queue';

export interface CacheHandlerDeps {
  api: PlatformApi;
  session: DeskSession;
  /** The signed-in user's outbox commands on a case (the outbox's; none until it is wired in). */
  outboxOf(caseId: string): OutboxEntry[];
}

export function cacheHandlers(ctx: DeskContext, deps: CacheHandlerDeps): DeskHandlers {
  const malformedCase = (caseId: string) =>
    new DeskFailure('malformed_case', `The server sent case ${caseId} in a shape the desk cannot read.`);

  async function fetchAndCache(caseId: string): Promise<void> {
    const detail = await deps.api.call(ROUTES.getCase, { params: { id: caseId } }).catch((error: unknown) => {
      throw error instanceof MalformedAnswerError ? malformedCase(caseId) : error;
    });
    if (!isCachedCase(detail) || detail.id !== caseId) throw malformedCase(caseId);
    ctx.db.transaction(() => applyCaseDetail(ctx.db, detail)).immediate();
    ctx.emit('cases.changed', { caseIds: [caseId] });
  }

  return {
    'queue.query': (input) => {
      const user = deps.session.requireUser();
      return queryQueue(ctx.db, input, user.id);
    },

    'case.get': async ({ caseId }) => {
      deps.session.requireUser();
      if (!readCachedCase(ctx.db, caseId)) await fetchAndCache(caseId);
      const cached = readCachedCase(ctx.db, caseId);
      if (!cached) throw new DeskFailure('not_found', `Case ${caseId} does not exist.`);
      return {
        case: cached.detail,
        outbox: deps.outboxOf(caseId),
        sharedEvidence: cached.sharedEvidence,
        earlierDisputes: readEarlierDisputes(ctx.db, cached.detail),
      };
    },
  };
}
