// Reading one case for the routes: its state row for checks, and its detail for answers.
import type { CaseDetail } from '../../../shared/api/types';
import type { CaseStatus } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import type { Db } from '../db/open';
import { notFound } from '../errors';
import type { AuthUser } from '../http/session';
import { readCaseDetail } from './detail';
import { notCaseHolder } from './errors';

export interface CaseState {
  id: string;
  status: CaseStatus;
  assigneeId: string | null;
  escrowId: string;
  escrowState: 'held' | 'released' | 'refunded';
  onHold: boolean;
  fourEyes: boolean;
  buyerId: string;
  sellerId: string;
}

export function findCaseState(db: Db, caseId: string): CaseState | null {
  const row = db
    .prepare(
      `SELECT c.id, c.status, c.assignee_id, c.escrow_id, c.four_eyes, e.state AS escrow_state,
              e.hold_reason IS NOT NULL AS on_hold, t.buyer_id, t.seller_id
       FROM cases c JOIN escrows e ON e.id = c.escrow_id JOIN trades t ON t.id = c.trade_id
       WHERE c.id = ?`,
    )
    .get(caseId) as
    | {
        id: string;
        status: CaseStatus;
        assignee_id: string | null;
        escrow_id: string;
        four_eyes: number;
        escrow_state: CaseState['escrowState'];
        on_hold: number;
        buyer_id: string;
        seller_id: string;
      }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    assigneeId: row.assignee_id,
    escrowId: row.escrow_id,
    escrowState: row.escrow_state,
    onHold: row.on_hold === 1,
    fourEyes: row.four_eyes === 1,
    buyerId: row.buyer_id,
    sellerId: row.seller_id,
  };
}

/** The case's state, or 404. */
export function requireCase(db: Db, caseId: string): CaseState {
  const state = findCaseState(db, caseId);
  if (!state) throw notFound('The case');
  return state;
}

/** The case's state when `user` holds it: 404 for an unknown case, 403 not_case_holder otherwise. */
export function requireHeldCase(db: Db, caseId: string, user: AuthUser): CaseState {
  const state = requireCase(db, caseId);
  if (state.assigneeId !== user.id) throw notCaseHolder();
  return state;
}

export function caseDetailOf(ctx: ServerContext, caseId: string): CaseDetail {
  const detail = readCaseDetail(ctx.db, caseId, {
    now: ctx.now(),
    fourEyesThresholdUsd: ctx.config.fourEyesThresholdUsd,
  });
  if (!detail) throw notFound('The case');
  return detail;
}
