// Telling the exchange what happened: each verdict and each escrow move becomes an outbound event, queued
// in the same transaction as the change it reports (so a rolled-back change is never announced, and a
// committed one is never forgotten) and delivered later by the delivery worker.
import type { OutboundEvent } from '../../../shared/api/platform-events';
import type { ServerContext } from '../context';

/** Queues `event` for delivery to the exchange. Call inside ctx.write(), beside the change it reports. */
export function enqueueOutbound(_ctx: ServerContext, _event: OutboundEvent): void {
  // Filled in by the outbound delivery work of #10.
}
