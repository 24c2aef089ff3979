// Reading one case for the routes: its state row for checks, and its detail for answers.
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import type { Db } from '../db/open';
import { notFound } from '../errors';
import type { AuthUser } from '../http/session';
import { readCaseDetail } from '../sql/case-detail';
import { findCaseState, type CaseState } from '../sql/cases';
import { notCaseHolder } from './errors';

export type { CaseState };

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
