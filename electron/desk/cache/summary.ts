// What the queue shows of a case: the API's CaseSummary (DESIGN §2), cut from the detail the feed carries.
import type { CaseDetail, CaseSummary } from '../../../shared/api/types';
import { CASE_STATUSES, type CaseStatus } from '../../../shared/domain/dispute';

export function summaryOf(detail: CaseDetail): CaseSummary {
  return {
    id: detail.id,
    status: detail.status,
    version: detail.version,
    openedAt: detail.openedAt,
    slaDueAt: detail.slaDueAt,
    asset: detail.asset,
    amount: detail.amount,
    fiatCurrency: detail.fiatCurrency,
    fiatAmount: detail.fiatAmount,
    paymentMethod: detail.paymentMethod,
    buyer: { id: detail.buyer.id, displayName: detail.buyer.displayName },
    seller: { id: detail.seller.id, displayName: detail.seller.displayName },
    assignee: detail.assignee
      ? {
          id: detail.assignee.id,
          username: detail.assignee.username,
          displayName: detail.assignee.displayName,
        }
      : null,
    flags: {
      kyt: detail.flags.kyt,
      livenessFailed: detail.flags.livenessFailed,
      fourEyes: detail.flags.fourEyes,
      onHold: detail.flags.onHold,
    },
  };
}

/** "Flagged" in the queue (DESIGN §6): a KYT alert, a failed liveness check or a hold. */
export const isFlagged = (summary: CaseSummary) =>
  summary.flags.kyt || summary.flags.livenessFailed || summary.flags.onHold;

/** Sorting by status follows the workflow, not the alphabet. */
export const statusRank = (status: CaseStatus) => CASE_STATUSES.indexOf(status);

/**
 * The text a search matches: the id, both parties' names and ids, the amounts with their asset and
 * currency, and the payment method. Amounts appear as the API writes them ("250.000000"), so typing the
 * leading digits finds them.
 */
export function searchTextOf(summary: CaseSummary): string {
  return [
    summary.id,
    summary.buyer.displayName,
    summary.buyer.id,
    summary.seller.displayName,
    summary.seller.id,
    `${summary.amount} ${summary.asset}`,
    `${summary.fiatAmount} ${summary.fiatCurrency}`,
    summary.paymentMethod,
  ].join(' · ');
}
