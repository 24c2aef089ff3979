// The outbound events' bodies, built from the store inside the transaction that made the change, so that
// what the exchange hears is what was committed.
import type { OutboundEvent } from '../../../shared/api/platform-events';
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { assetAmount } from '../sql/case-detail';
import { findEscrowParties } from '../sql/escrow';
import { findCaseIdOfEscrow } from '../sql/outbound';
import { enqueueOutbound } from './enqueue';

type EscrowEventType = Extract<OutboundEvent, { data: { escrowId: string } }>['type'];

export interface EscrowChange {
  /** `verdict`, `trade.released`, `trade.cancelled`, `compliance_hold`, `kyt_hold`, ... */
  cause: string;
  /** The ledger movement of a lock, release or refund. */
  movementId?: string | null;
}

/** Queues an escrow event (`escrow.released`, `escrow.held`, ...) for the escrow as it now stands. */
export function enqueueEscrowEvent(
  ctx: ServerContext,
  type: EscrowEventType,
  escrowId: string,
  change: EscrowChange,
): void {
  if (!ctx.config.outboundUrl) return;
  const escrow = findEscrowParties(ctx.db, escrowId);
  if (!escrow) throw new Error(`enqueueEscrowEvent: no escrow ${escrowId}`);
  const beneficiary =
    type === 'escrow.released' ? escrow.buyer_id : type === 'escrow.refunded' ? escrow.seller_id : null;
  enqueueOutbound(ctx, {
    type,
    timestamp: ctx.now().toISOString(),
    data: {
      escrowId,
      tradeId: escrow.trade_id,
      caseId: findCaseIdOfEscrow(ctx.db, escrowId),
      asset: escrow.asset,
      amount: assetAmount(escrow.amount_minor, escrow.asset),
      beneficiaryPartyId: beneficiary,
      movementId: change.movementId ?? null,
      cause: change.cause,
    },
  });
}

/** The escrow event of a verdict's move: a release or a refund. */
export const settlementEventType = (outcome: VerdictOutcome) =>
  outcome === 'release' ? ('escrow.released' as const) : ('escrow.refunded' as const);

export interface VerdictNotice {
  verdictId: string;
  caseId: string;
  escrowId: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  state: 'proposed' | 'executed' | 'sent_back' | 'voided';
}

/** Queues `verdict.proposed`, `verdict.executed`, `verdict.sent_back` or `verdict.voided`, as its state says. */
export function enqueueVerdictEvent(ctx: ServerContext, verdict: VerdictNotice): void {
  if (!ctx.config.outboundUrl) return;
  const escrow = findEscrowParties(ctx.db, verdict.escrowId);
  if (!escrow) throw new Error(`enqueueVerdictEvent: no escrow ${verdict.escrowId}`);
  enqueueOutbound(ctx, {
    type: `verdict.${verdict.state}`,
    timestamp: ctx.now().toISOString(),
    data: {
      verdictId: verdict.verdictId,
      caseId: verdict.caseId,
      tradeId: escrow.trade_id,
      outcome: verdict.outcome,
      reasonCode: verdict.reasonCode,
      state: verdict.state,
    },
  });
}

/** A carried-out verdict tells both: the verdict, then the escrow's move it caused. */
export function enqueueExecutedVerdict(
  ctx: ServerContext,
  verdict: Omit<VerdictNotice, 'state'>,
  movementId: string,
): void {
  enqueueVerdictEvent(ctx, { ...verdict, state: 'executed' });
  enqueueEscrowEvent(ctx, settlementEventType(verdict.outcome), verdict.escrowId, {
    cause: 'verdict',
    movementId,
  });
}
