// The supervisor's workspace (DESIGN §4, issue #9): the verdict history (JSON pages or CSV), per-agent
// figures and the weekly verdict quality review.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { runOnce } from '../cases/idempotency';
import { defineRoute } from '../http/route';
import { iterateVerdictHistory, listVerdictHistory } from '../sql/verdict-history';
import { verdictCsv } from './csv';
import { agentFigures } from './figures';
import { decodeHistoryCursor, encodeHistoryCursor, toVerdictRecord } from './history';
import { lastEndedWeek, readReviewWeek, submitScorecard } from './reviews';

function* records(rows: Iterable<Parameters<typeof toVerdictRecord>[0]>) {
  for (const row of rows) yield toVerdictRecord(row);
}

export function registerSupervisionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.listVerdicts, ({ query, reply }) => {
    const filter = { agentId: query.agent, outcome: query.outcome, asset: query.asset, from: query.from, to: query.to };
    if (query.format === 'csv') {
      // Every matching row: an export is for the whole selection, not the page on screen.
      const stamp = ctx.now().toISOString().slice(0, 10);
      return reply
        .status(ROUTES.listVerdicts.status)
        .header('content-type', 'text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="verdicts-${stamp}.csv"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(verdictCsv(records(iterateVerdictHistory(ctx.db, filter))));
    }
    const after = query.cursor ? decodeHistoryCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next page without a second query.
    const rows = listVerdictHistory(ctx.db, { ...filter, after, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit).map(toVerdictRecord);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeHistoryCursor(last) : null };
  });

  defineRoute(app, ctx, ROUTES.verdictFigures, ({ query }) => {
    const window = { from: query.from ?? null, to: query.to ?? null };
    return { ...window, agents: agentFigures(ctx.db, window) };
  });

  defineRoute(app, ctx, ROUTES.reviewWeek, ({ user, query }) =>
    readReviewWeek(ctx, user, query.week ?? lastEndedWeek(ctx.now())),
  );

  defineRoute(app, ctx, ROUTES.submitReview, ({ user, body, params, idempotencyKey, reply }) => {
    const { path, status } = ROUTES.submitReview;
    const once = { userId: user.id, key: idempotencyKey, route: path, subject: params.id, body, status, reply };
    const card = { ...body, comment: body.comment ?? null };
    return runOnce(ctx, once, () => submitScorecard(ctx, user, params.id, card));
  });
}
