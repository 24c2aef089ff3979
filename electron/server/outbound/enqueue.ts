// Telling the exchange what happened: each verdict and each escrow move becomes an outbound event, queued
// in the same transaction as the change it reports (so a rolled-back change is never announced, and a
// committed one is never forgotten) and delivered later by the delivery worker (worker.ts).
//
// With no outbound URL configured nothing is queued at all: the demo seed and a stand-alone desk have no
// exchange to tell, and a queue nobody drains would only grow. The delivery log says outbound is off.
import { randomUUID } from 'node:crypto';
import { outboundEvent, type OutboundEvent } from '../../../shared/api/platform-events';
import type { ServerContext } from '../context';
import { insertOutboundEvent } from '../sql/outbound';

/** Tells the delivery worker that rows may be due; it looks once the current transaction has ended. */
export const OUTBOUND_QUEUED = 'outbound-queued';

/** Queues `event` for delivery to the exchange. Call inside ctx.write(), beside the change it reports. */
export function enqueueOutbound(ctx: ServerContext, event: OutboundEvent): void {
  if (!ctx.config.outboundUrl) return;
  // Our own code builds these; checking them here keeps a malformed body from ever reaching the exchange.
  const checked = outboundEvent.parse(event) as OutboundEvent;
  insertOutboundEvent(ctx.db, {
    id: `evt_${randomUUID()}`,
    type: checked.type,
    tradeId: checked.data.tradeId,
    caseId: checked.data.caseId,
    // The exact text signed and sent on every attempt: a retry is byte for byte the first delivery.
    body: JSON.stringify(checked),
    createdAt: ctx.now().toISOString(),
  });
  ctx.changes.emit(OUTBOUND_QUEUED);
}
