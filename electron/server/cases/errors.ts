// The case-specific failures a client can meet, each with its stable code (DESIGN §2). Kept together so
// the desk's outbox has one place to learn which conflicts are final.
import { ApiError, conflict } from '../errors';

export const caseAlreadyResolved = () =>
  conflict('case_already_resolved', 'This case already has a verdict: its escrow has moved.');
/** A message to the parties of a resolved case (it may have been settled on the exchange, without a verdict). */
export const caseResolvedNoMessages = () =>
  conflict('case_already_resolved', 'This case is resolved: its parties can no longer be written to from the desk.');
export const caseClaimed = () => conflict('case_claimed', 'Another agent holds this case.');
export const notCaseHolder = () =>
  new ApiError(403, 'not_case_holder', 'Only the agent who holds this case may do this. Claim it first.');
export const escrowOnHold = () =>
  conflict(
    'escrow_on_hold',
    'Compliance has put this escrow on hold: it can be neither released nor refunded.',
  );
export const escrowNotOnHold = () => conflict('escrow_not_on_hold', 'This escrow is not on hold.');
export const verdictPendingApproval = () =>
  conflict('verdict_pending_approval', 'A verdict on this case is waiting for a supervisor’s approval.');
export const caseNotInReview = () => conflict('case_not_in_review', 'Claim the case before deciding it.');
export const noProposedVerdict = () =>
  conflict('no_proposed_verdict', 'This case has no verdict waiting for approval.');
