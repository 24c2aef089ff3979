// KYT review for compliance (DESIGN §2, §3, §4): the alert queue and the final decision on an alert.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { conflict, invalidRequest, notFound } from '../errors';
import { defineRoute } from '../http/route';
import type { KytAlert } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import { changeCase } from '../feed/changes';
import { listKytAlerts, readKytAlert } from '../sql/kyt';
import { decideKytAlert, DECISION_STATUS } from './alerts';

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

export async function registerKytRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.listKytAlerts, ({ query }) => {
    const after = query.cursor ? decodeAlertCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next page without a second query.
    const rows = listKytAlerts(ctx.db, {
      status: query.status,
      level: query.level,
      limit: query.limit + 1,
      after,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > query.limit && last ? encodeAlertCursor(last) : null };
  });

  defineRoute(app, ctx, ROUTES.decideKytAlert, ({ user, body: { decision, reason }, params }) => {
    const alertId = params.id;
    return ctx.write(() => {
      const now = ctx.now();
      const result = decideKytAlert(ctx.db, { alertId, decision, reason, reviewerId: user.id, at: now });
      if (result === 'not_found') throw notFound('The KYT alert');
      if (result === 'already_decided') {
        throw conflict('alert_already_decided', 'This alert has already been decided.');
      }
      const alert = readKytAlert(ctx.db, alertId)!;
      const entry = {
        actor: user.id,
        action: `kyt_alert.${DECISION_STATUS[decision]}`,
        subject: alertId,
        data: { caseId: alert.caseId, partyId: alert.partyId, decision, reason },
      };
      // The case's readers see the alert's new status; an alert on trades never disputed has no case.
      if (alert.caseId) changeCase(ctx, alert.caseId, entry, now);
      else appendAudit(ctx.db, now, entry);
      return alert;
    });
  });
}
