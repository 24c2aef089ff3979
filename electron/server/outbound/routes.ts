// The delivery log (supervisors): what the platform owes the exchange and how each delivery went, and a
// way to queue an event the worker gave up on again once the exchange is back.
import type { FastifyInstance } from 'fastify';
import type { Delivery } from '../../../shared/api/types';
import { ROUTES } from '../../../shared/api/routes';
import { appendAudit } from '../audit/chain';
import type { OutboundTarget } from '../config';
import type { ServerContext } from '../context';
import { conflict, invalidRequest, notFound } from '../errors';
import { defineRoute } from '../http/route';
import {
  countDeliveriesByState,
  findDelivery,
  listDeliveries,
  requeueFailedDelivery,
  type DeliveryRow,
} from '../sql/outbound';
import { OUTBOUND_QUEUED } from './enqueue';

function toDelivery(row: DeliveryRow): Delivery {
  const { seq: _seq, ...delivery } = row;
  return delivery;
}

/** The cursor is the last row's queue position; opaque to clients. */
const encodeCursor = (row: DeliveryRow) => Buffer.from(String(row.seq)).toString('base64url');

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{1,15}$/.test(text)) throw invalidRequest('cursor: not a cursor this server handed out.');
  return Number(text);
}

export function registerDeliveryRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  target: OutboundTarget | null,
): void {
  defineRoute(app, ctx, ROUTES.listDeliveries, ({ query }) => {
    const before = query.cursor ? decodeCursor(query.cursor) : undefined;
    // One row beyond the page tells whether there is a next page without a second query.
    const rows = listDeliveries(ctx.db, { state: query.state, before, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      outbound: { configured: target !== null, host: target?.url.host ?? null },
      counts: countDeliveriesByState(ctx.db),
      items: page.map(toDelivery),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  });

  defineRoute(app, ctx, ROUTES.retryDelivery, ({ user, params }) => {
    const retried = ctx.write(() => {
      const now = ctx.now();
      const row = findDelivery(ctx.db, params.id);
      if (!row) throw notFound('The delivery');
      if (!requeueFailedDelivery(ctx.db, row.id, now.toISOString())) {
        throw conflict(
          'delivery_not_failed',
          `This event is ${row.state}: only one the platform gave up on can be sent again.`,
        );
      }
      appendAudit(ctx.db, now, {
        actor: user.id,
        action: 'outbound.retried',
        subject: row.id,
        data: { type: row.type, tradeId: row.tradeId, attempts: row.attempts, lastError: row.lastError },
      });
      return findDelivery(ctx.db, row.id)!;
    });
    ctx.changes.emit(OUTBOUND_QUEUED);
    return toDelivery(retried);
  });
}
