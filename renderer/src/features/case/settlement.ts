// A case the exchange settled on its own: the seller's release or the trade's cancellation happened before
// the dispute opened and reached the platform after it, so the escrow moved without a verdict. The case
// screen then explains that instead of offering a decision (README "Platform events").
import type { CaseDetail, EscrowSettlement } from '../../../../shared/api/types';

export type ExchangeSettlement = EscrowSettlement & { cause: 'trade.released' | 'trade.cancelled' };

/** The exchange's settlement of the case's escrow, or null (held, decided by a verdict, or an older cache). */
export function exchangeSettlement(detail: CaseDetail): ExchangeSettlement | null {
  const settlement = detail.escrow.settlement;
  return settlement && settlement.cause !== 'verdict' ? (settlement as ExchangeSettlement) : null;
}
