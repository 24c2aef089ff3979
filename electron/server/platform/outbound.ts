// The escrow moves the exchange is told about (escrow.locked, escrow.released, escrow.refunded), queued in
// the same transaction as the move itself.
import type { OutboundEvent } from '../../../shared/api/platform-events';
import { assetDecimals, fromMinorUnits } from '../../../shared/domain/money';
import type { ServerContext } from '../context';
import { enqueueOutbound } from '../outbound/enqueue';

export interface EscrowMove {
  type: 'escrow.locked' | 'escrow.released' | 'escrow.refunded';
  escrowId: string;
  tradeId: string;
  caseId: string | null;
  asset: string;
  amountMinor: bigint;
  beneficiaryPartyId: string | null;
  movementId: string;
  cause: string;
}

export function announceEscrowMove(ctx: ServerContext, move: EscrowMove, at: Date): void {
  const event: OutboundEvent = {
    type: move.type,
    timestamp: at.toISOString(),
    data: {
      escrowId: move.escrowId,
      tradeId: move.tradeId,
      caseId: move.caseId,
      asset: move.asset,
      amount: fromMinorUnits(move.amountMinor, assetDecimals(move.asset)),
      beneficiaryPartyId: move.beneficiaryPartyId,
      movementId: move.movementId,
      cause: move.cause,
    },
  };
  enqueueOutbound(ctx, event);
}
