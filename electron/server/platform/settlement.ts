// trade.paid, trade.released and trade.cancelled: the buyer's payment and the seller's two ways out.
//
// Ordering rules (README "Platform events"):
// - paid: the newest mark wins; an older one changes nothing. It is a fact about the fiat side and never
//   moves the escrow, so it is recorded even after the escrow settled.
// - released / cancelled: the escrow moves once, decided by the ledger's conditional UPDATE; whichever
//   move took it first wins and the other is refused `escrow_already_settled`. Once a dispute is open only
//   a verdict moves the escrow: an event that happened after the dispute opened is refused
//   `escrow_frozen`; one that happened before (it arrived late) still applies while the escrow is held,
//   and the case is over, settled by the parties without a verdict.
import type { VerdictOutcome } from '../../../shared/domain/dispute';
import { settleEscrow } from '../ledger/escrow';
import { enqueueVerdictEvent } from '../outbound/events';
import { markTradePaid, markTradeSettled, resolveCaseSettledByParty, type PlatformTrade } from '../sql/platform-events';
import { rejectProposal } from '../sql/verdicts';
import { escrowAlreadySettled, escrowFrozen, escrowOnHoldForEvent } from './errors';
import {
  applied,
  PLATFORM_USER_ID,
  recordEventChange,
  refused,
  requireTrade,
  unchanged,
  type EventInput,
  type EventResult,
} from './event-context';
import { announceEscrowMove } from './outbound';

export function applyTradePaid(input: EventInput, tradeId: string): EventResult {
  const trade = requireTrade(input, tradeId);
  if (!markTradePaid(input.ctx.db, trade.id, input.at)) return unchanged(trade.caseId);
  recordEventChange(input, trade, 'trade.paid', { paidAt: input.at, escrowState: trade.escrowState });
  return applied(trade.caseId);
}

type SettlingEvent = 'trade.released' | 'trade.cancelled';

const OUTCOME: Record<SettlingEvent, VerdictOutcome> = { 'trade.released': 'release', 'trade.cancelled': 'refund' };

/** Why this event may not move the escrow, judged on the trade as the transaction sees it; null if it may try. */
function settlementRefusal(input: EventInput, trade: PlatformTrade, type: SettlingEvent): EventResult | null {
  if (trade.escrowState !== 'held') {
    // The same move told twice (another webhook-id) is no conflict: the escrow is where the exchange says.
    return trade.settledBy === type ? unchanged(trade.caseId) : refused(escrowAlreadySettled(trade.escrowState));
  }
  if (trade.caseId && trade.disputedAt !== null && input.at >= trade.disputedAt) {
    return refused(escrowFrozen(trade.disputedAt));
  }
  return null;
}

/**
 * Closes the case of a dispute the parties settled themselves; a verdict waiting for approval is void, and
 * the exchange, which heard of the proposal, is told so (before the escrow's move, queued after this).
 */
function closeSettledCase(input: EventInput, trade: PlatformTrade & { caseId: string }, type: SettlingEvent): void {
  const at = input.now.toISOString();
  resolveCaseSettledByParty(input.ctx.db, trade.caseId, at);
  const voided = rejectProposal(
    input.ctx.db,
    trade.caseId,
    PLATFORM_USER_ID,
    at,
    `Settled on the exchange (${type} at ${input.at}) before the dispute opened; no verdict was needed.`,
  );
  if (!voided) return;
  enqueueVerdictEvent(input.ctx, {
    verdictId: voided.id,
    caseId: trade.caseId,
    escrowId: trade.escrowId,
    outcome: voided.outcome,
    reasonCode: voided.reasonCode,
    state: 'voided',
  });
}

export function applySettlement(input: EventInput, tradeId: string, type: SettlingEvent, reason?: string): EventResult {
  const trade = requireTrade(input, tradeId);
  const refusal = settlementRefusal(input, trade, type);
  if (refusal) return refusal;
  const outcome = OUTCOME[type];
  const settled = settleEscrow(input.ctx.db, trade.escrowId, outcome, input.now);
  if (!settled.moved) {
    // A compliance hold may lift: nothing is stored, so the exchange's retry can still apply the event.
    if (settled.reason === 'on_hold') throw escrowOnHoldForEvent();
    return refused(escrowAlreadySettled('settled'));
  }
  markTradeSettled(input.ctx.db, trade.id, type, input.at);
  if (trade.caseId) closeSettledCase(input, { ...trade, caseId: trade.caseId }, type);
  const beneficiaryPartyId = outcome === 'release' ? trade.buyerId : trade.sellerId;
  const escrowEvent = outcome === 'release' ? 'escrow.released' : 'escrow.refunded';
  recordEventChange(input, trade, escrowEvent, {
    escrowId: trade.escrowId,
    movementId: settled.movementId,
    beneficiaryPartyId,
    cause: type,
    ...(trade.caseId ? { caseResolved: 'settled_by_parties' } : {}),
    ...(reason ? { reason } : {}),
  });
  announceEscrowMove(
    input.ctx,
    {
      type: escrowEvent,
      escrowId: trade.escrowId,
      tradeId: trade.id,
      caseId: trade.caseId,
      asset: trade.asset,
      amountMinor: trade.amountMinor,
      beneficiaryPartyId,
      movementId: settled.movementId,
      cause: type,
    },
    input.now,
  );
  return applied(trade.caseId);
}
