// Reading one case for the routes: its state row for checks, and its detail for answers.
import type { CaseDetail } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import type { Db } from '../db/open';
import type { BatchScope } from '../db/write-batch';
import { notFound } from '../errors';
import type { AuthUser } from '../http/session';
import { detailContextOf, readCaseDetail, readCaseDetails } from '../sql/case-detail';
import { findCaseAssignee, findCaseState, type CaseState } from '../sql/cases';
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

/** requireHeldCase for a caller that needs only the check (one table read, not the case's state). */
export function requireCaseHolder(db: Db, caseId: string, user: AuthUser): void {
  const assignee = findCaseAssignee(db, caseId);
  if (assignee === undefined) throw notFound('The case');
  if (assignee !== user.id) throw notCaseHolder();
}

export function caseDetailOf(ctx: ServerContext, caseId: string): CaseDetail {
  const detail = readCaseDetail(ctx.db, caseId, detailContextOf(ctx, ctx.now()));
  if (!detail) throw notFound('The case');
  return detail;
}

const BATCH_DETAILS = Symbol('the case details a write batch asked for');

/**
 * The detail of `caseId` as the write batch leaves it: ask in the batched work, read in its AfterBatch
 * (db/write-batch.ts). The first read reads every case the batch asked for, in one pass (one query per
 * table), where a read per case costs about twice as much per case.
 */
export function batchedCaseDetail(ctx: ServerContext, batch: BatchScope, caseId: string): () => CaseDetail {
  const reads = batch.shared(BATCH_DETAILS, () => ({
    asked: new Set<string>(),
    read: new Map<string, CaseDetail>(),
  }));
  reads.asked.add(caseId);
  return () => {
    if (!reads.read.has(caseId)) {
      const unread = [...reads.asked].filter((id) => !reads.read.has(id));
      for (const detail of readCaseDetails(ctx.db, unread, detailContextOf(ctx, ctx.now()))) {
        reads.read.set(detail.id, detail);
      }
    }
    const detail = reads.read.get(caseId);
    if (!detail) throw notFound('The case');
    return detail;
  };
}
