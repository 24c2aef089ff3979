// KYT review for compliance (DESIGN §2, §3, §4): the rule set, the alert queue, one alert with what the
// reviewer needs to judge it, taking an alert for review, and the final decision (a `report` files a
// suspicious activity report in the same transaction).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { invalidRequest, notFound } from '../errors';
import { defineRoute } from '../http/route';
import type { KytAlert } from '../../../shared/api/types';
import type { KytDecision } from '../../../shared/domain/dispute';
import { appendAudit } from '../audit/chain';
import { runOnce } from '../cases/idempotency';
import { recordCaseChange } from '../feed/changes';
import type { AuthUser } from '../http/session';
import { fileReport } from '../reports/file';
import { listKytAlerts, readKytAlert } from '../sql/kyt';
import { decideKytAlert, DECISION_STATUS } from './alerts';
import { alertAlreadyDecided, assignAlertToReviewer, readKytAlertDetail } from './review';
import { kytRules } from './rules';

const cursorShape = z.tuple([z.string().min(1).max(64), z.string().min(1).max(128)]);

/** The cursor is opaque to clients: the (createdAt, id) of the page's last alert, as base64url JSON. */
export function encodeAlertCursor(alert: Pick<KytAlert, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([alert.createdAt, alert.id])).toString('base64url');
}

function decodeAlertCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw invalidRequest('cursor: not a cursor this server handed out.');
  }
}

interface DecisionInput {
  decision: KytDecision;
  reason: string;
  narrative?: string | undefined;
}

/**
 * Decides the alert, audited, and files the report of a `report` decision (its narrative is the reason
 * when none was written). Call inside ctx.write(): the decision, the report and their audit entries land
 * together, and the linked case's readers see the alert's new status through the feed.
 */
function decideAlert(ctx: ServerContext, reviewer: AuthUser, alertId: string, input: DecisionInput): KytAlert {
  const { decision, reason } = input;
  const at = ctx.now();
  const result = decideKytAlert(ctx.db, { alertId, decision, reason, reviewerId: reviewer.id, at });
  if (result === 'not_found') throw notFound('The KYT alert');
  if (result === 'already_decided') throw alertAlreadyDecided();
  const decided = readKytAlert(ctx.db, alertId)!;
  appendAudit(ctx.db, at, {
    actor: reviewer.id,
    action: `kyt_alert.${DECISION_STATUS[decision]}`,
    subject: alertId,
    data: { caseId: decided.caseId, partyId: decided.partyId, decision, reason },
  });
  if (decision === 'report') {
    fileReport(ctx, { alert: decided, reviewer, reason, narrative: input.narrative ?? reason, at });
  }
  // An alert on trades never disputed has no case to show it.
  if (decided.caseId) recordCaseChange(ctx, decided.caseId);
  return readKytAlert(ctx.db, alertId)!;
}

export async function registerKytRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.kytRules, () => ({ rules: kytRules() }));

  defineRoute(app, ctx, ROUTES.listKytAlerts, ({ user, query }) => {
    const after = query.cursor ? decodeAlertCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next page without a second query.
    const rows = listKytAlerts(ctx.db, {
      status: query.status,
      level: query.level,
      assigneeId: query.assignee === 'me' ? user.id : undefined,
      limit: query.limit + 1,
      after,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeAlertCursor(last) : null };
  });

  defineRoute(app, ctx, ROUTES.getKytAlert, ({ params }) => {
    const detail = readKytAlertDetail(ctx, params.id);
    if (!detail) throw notFound('The KYT alert');
    return detail;
  });

  defineRoute(app, ctx, ROUTES.assignKytAlert, ({ user, body, params, idempotencyKey, reply }) => {
    const { path, status } = ROUTES.assignKytAlert;
    const once = { userId: user.id, key: idempotencyKey, route: path, subject: params.id, body, status, reply };
    return runOnce(ctx, once, () => assignAlertToReviewer(ctx, user, params.id));
  });

  defineRoute(app, ctx, ROUTES.decideKytAlert, ({ user, body, params, idempotencyKey, reply }) => {
    const { path, status } = ROUTES.decideKytAlert;
    const once = { userId: user.id, key: idempotencyKey, route: path, subject: params.id, body, status, reply };
    return runOnce(ctx, once, () => decideAlert(ctx, user, params.id, body));
  });
}
