// What a carried-out verdict shares, whether an agent's verdict executes at once or a supervisor approves
// a four-eyes proposal: the escrow moves exactly once, and the answer is the case, its escrow and verdict.
import type { CaseDetail, VerdictResponse } from '../../../shared/api/types';
import type { VerdictOutcome } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { settleEscrow } from '../ledger/escrow';
import { caseAlreadyResolved, escrowOnHold } from './errors';

export function verdictResult(detail: CaseDetail): VerdictResponse {
  return { case: detail, escrow: detail.escrow, verdict: detail.verdict };
}

/**
 * Moves the escrow as the verdict says and returns the ledger movement. The caller's conditional case
 * update has already decided the race; the escrow's own conditional update is the second lock on the same
 * door (an escrow settled by other means, say the seller releasing during the dispute, still cannot move
 * twice). Throws, rolling back the caller's transaction, when the escrow refuses.
 */
export function settleVerdictEscrow(db: Db, escrowId: string, outcome: VerdictOutcome, at: Date): string {
  const settled = settleEscrow(db, escrowId, outcome, at);
  if (settled.moved) return settled.movementId;
  throw settled.reason === 'on_hold' ? escrowOnHold() : caseAlreadyResolved();
}
