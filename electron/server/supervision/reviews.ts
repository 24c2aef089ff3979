// The weekly verdict quality review. Each ISO week, a sample of every agent's verdicts decided in that
// week is offered to supervisors to score on four yes/no questions.
//
// The sample: per agent, min(n, max(3, ceil(n / 10))) of their n verdicts of the week (three, or a tenth
// for a busy agent), the ones whose sha256("<week>:<caseId>") is lowest. That is seeded by the week and
// reproducible from the data alone. It is drawn the first time anyone opens the week and stored, with the
// week marked as drawn in the same transaction; reading the week again returns the stored sample, even if
// verdicts were carried out in that week after the draw (those are not sampled: a sample that grew while it
// was being worked would move under the reviewers). A week that has not begun cannot be drawn.
//
// Scoring rules: supervisors only; once per sampled verdict (a second scorecard is 409
// review_already_done, whoever sends it); never by a supervisor who approved or sent back a proposal on
// that case (403 reviewer_involved: the review is a second look, not a confirmation of one's own call);
// a "no" to any question needs a comment. The scorecard and its audit entry are one transaction.
import { createHash } from 'node:crypto';
import type { ReviewItem, ReviewWeek } from '../../../shared/api/types';
import { isoWeekRange } from '../../../shared/domain/iso-week';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import type { Db } from '../db/open';
import { apiError, conflict, invalidRequest, notFound } from '../errors';
import type { AuthUser } from '../http/session';
import {
  claimReviewWeek,
  findReview,
  insertReviewSample,
  recordScorecard,
  reviewCandidates,
  reviewsOfWeek,
  reviewWeekDrawnAt,
  type ReviewRow,
  type SampleCandidate,
  type Scorecard,
} from '../sql/verdict-history';
import { toVerdictRecord } from './history';

export const SAMPLE_MINIMUM = 3;
export const SAMPLE_SHARE = 0.1;

export const sampleSize = (verdicts: number) =>
  Math.min(verdicts, Math.max(SAMPLE_MINIMUM, Math.ceil(verdicts * SAMPLE_SHARE)));

const rank = (week: string, caseId: string) => createHash('sha256').update(`${week}:${caseId}`).digest('hex');

/** The week's sample from its candidates: pure, so the same verdicts always give the same sample. */
export function drawSample(week: string, candidates: readonly SampleCandidate[]): SampleCandidate[] {
  const byAgent = new Map<string, SampleCandidate[]>();
  for (const candidate of candidates) byAgent.set(candidate.agentId, [...(byAgent.get(candidate.agentId) ?? []), candidate]);
  return [...byAgent.values()].flatMap((verdicts) =>
    verdicts
      .map((candidate) => ({ candidate, rank: rank(week, candidate.caseId) }))
      .sort((a, b) => a.rank.localeCompare(b.rank))
      .slice(0, sampleSize(verdicts.length))
      .map(({ candidate }) => candidate),
  );
}

export const reviewIdOf = (week: string, caseId: string) => `REV-${week}-${caseId}`;

function weekBounds(ctx: ServerContext, week: string): { from: Date; to: Date } {
  const range = isoWeekRange(week);
  if (!range) throw invalidRequest(`week: ${week} is not an ISO week.`);
  if (range.from.getTime() > ctx.now().getTime()) throw invalidRequest(`week: ${week} has not begun.`);
  return range;
}

const involvedIn = (row: ReviewRow, userId: string) => (row.involved ?? '').split(',').includes(userId);

function toReviewItem(row: ReviewRow, caller: AuthUser): ReviewItem {
  const done = row.reviewerId !== null;
  return {
    id: row.id,
    week: row.week,
    status: done ? 'done' : 'pending',
    verdict: toVerdictRecord(row),
    rationale: row.rationale,
    canReview: !done && !involvedIn(row, caller.id),
    scorecard:
      done && row.reviewerUsername && row.reviewerName && row.reviewedAt
        ? {
            evidenceSufficient: row.evidenceSufficient === 1,
            reasonCodeRight: row.reasonCodeRight === 1,
            rationaleClear: row.rationaleClear === 1,
            payoutRight: row.payoutRight === 1,
            comment: row.comment,
            score: [row.evidenceSufficient, row.reasonCodeRight, row.rationaleClear, row.payoutRight].filter((a) => a === 1)
              .length,
            reviewer: { id: row.reviewerId!, username: row.reviewerUsername, displayName: row.reviewerName },
            reviewedAt: row.reviewedAt,
          }
        : null,
  };
}

/** Draws the week's sample unless it was drawn before. Call inside ctx.write(). */
function drawWeekOnce(db: Db, week: string, range: { from: Date; to: Date }, at: Date): void {
  if (!claimReviewWeek(db, week, at.toISOString())) return;
  const sample = drawSample(week, reviewCandidates(db, range.from.toISOString(), range.to.toISOString()));
  for (const { caseId, agentId } of sample) insertReviewSample(db, { id: reviewIdOf(week, caseId), week, caseId, agentId });
}

export function readReviewWeek(ctx: ServerContext, caller: AuthUser, week: string): ReviewWeek {
  const range = weekBounds(ctx, week);
  // Reading an already drawn week writes nothing; the first reading draws it (and its audit entry says so).
  if (reviewWeekDrawnAt(ctx.db, week) === null) {
    ctx.write(() => {
      drawWeekOnce(ctx.db, week, range, ctx.now());
      appendAudit(ctx.db, ctx.now(), {
        actor: caller.id,
        action: 'verdict_review.sample_drawn',
        subject: week,
        data: { cases: reviewsOfWeek(ctx.db, week).map((row) => row.caseId) },
      });
    });
  }
  return {
    week,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    drawnAt: reviewWeekDrawnAt(ctx.db, week)!,
    items: reviewsOfWeek(ctx.db, week).map((row) => toReviewItem(row, caller)),
  };
}

/** Records a scorecard with its audit entry. Call inside ctx.write(). */
export function submitScorecard(ctx: ServerContext, reviewer: AuthUser, reviewId: string, card: Scorecard): ReviewItem {
  const review = findReview(ctx.db, reviewId);
  if (!review) throw notFound('The review');
  if (review.reviewerId !== null) throw alreadyReviewed();
  if (involvedIn(review, reviewer.id)) {
    throw apiError(
      'reviewer_involved',
      'You approved or sent back a proposal on this case; another supervisor reviews it.',
    );
  }
  const at = ctx.now();
  if (!recordScorecard(ctx.db, reviewId, reviewer.id, at.toISOString(), card)) throw alreadyReviewed();
  appendAudit(ctx.db, at, {
    actor: reviewer.id,
    action: 'verdict_review.submitted',
    subject: reviewId,
    data: { caseId: review.caseId, agentId: review.agentId, week: review.week, ...card },
  });
  return toReviewItem(findReview(ctx.db, reviewId)!, reviewer);
}

const alreadyReviewed = () => conflict('review_already_done', 'This verdict has been reviewed already.');
