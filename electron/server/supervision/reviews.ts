// The weekly verdict quality review. Each ISO week, a sample of every agent's verdicts decided in that
// week is offered to supervisors to score on four yes/no questions.
//
// The sample: per agent, min(n, max(3, ceil(n / 10))) of their n verdicts of the week (three, or a tenth
// for a busy agent), the ones whose sha256("<week>:<caseId>") is lowest. That is seeded by the week and
// reproducible from the data alone. It is drawn the first time anyone opens the week after it has ended, and
// stored with the week marked as drawn in the same transaction; reading the week again returns the stored
// sample, even if verdicts of that week were carried out after the draw (those are not sampled: a sample that
// grew while it was being worked would move under the reviewers).
//
// Only an ended week is drawn: drawn earlier, the sample would be fixed before the week's verdicts were all
// in, and opening the screen on a Monday (by chance or to shield an agent) would leave the week unsampled.
// Reading the current week answers it `open`, with no items, and writes nothing. An ended week with no
// verdict to sample (one long before the first verdict, or a quiet one) answers `empty` and writes nothing
// either, so a read of any past week never leaves rows or audit entries behind. A week that has not begun
// is refused.
//
// Scoring rules: supervisors only; once per sampled verdict (a second scorecard is 409
// review_already_done, whoever sends it); never by a supervisor who approved or sent back a proposal on
// that case (403 reviewer_involved: the review is a second look, not a confirmation of one's own call);
// a "no" to any question needs a comment. The scorecard and its audit entry are one transaction.
import { createHash } from 'node:crypto';
import type { ReviewItem, ReviewWeek } from '../../../shared/api/types';
import { isoWeekOf, isoWeekRange } from '../../../shared/domain/iso-week';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
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

const WEEK_MS = 7 * 86_400_000;

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

/**
 * Draws the ended week's sample and audits it, unless it was drawn before or there is nothing to draw.
 * Call inside ctx.write(): the claim of the week is what lets only one draw through.
 */
function drawWeek(ctx: ServerContext, actor: AuthUser, week: string, range: { from: Date; to: Date }): void {
  const sample = drawSample(week, reviewCandidates(ctx.db, range.from.toISOString(), range.to.toISOString()));
  if (sample.length === 0) return;
  const at = ctx.now();
  if (!claimReviewWeek(ctx.db, week, at.toISOString())) return;
  for (const { caseId, agentId } of sample) insertReviewSample(ctx.db, { id: reviewIdOf(week, caseId), week, caseId, agentId });
  appendAudit(ctx.db, at, {
    actor: actor.id,
    action: 'verdict_review.sample_drawn',
    subject: week,
    data: { cases: sample.map(({ caseId }) => caseId) },
  });
}

/** The week the review opens on: the last one that has ended (the current one is still being decided). */
export const lastEndedWeek = (now: Date) => isoWeekOf(new Date(now.getTime() - WEEK_MS));

export function readReviewWeek(ctx: ServerContext, caller: AuthUser, week: string): ReviewWeek {
  const range = weekBounds(ctx, week);
  const bounds = { week, from: range.from.toISOString(), to: range.to.toISOString() };
  if (range.to.getTime() > ctx.now().getTime()) return { ...bounds, status: 'open', drawnAt: null, items: [] };
  // Reading a drawn week writes nothing; the first reading after the week ended draws it.
  if (reviewWeekDrawnAt(ctx.db, week) === null) ctx.write(() => drawWeek(ctx, caller, week, range));
  const drawnAt = reviewWeekDrawnAt(ctx.db, week);
  if (drawnAt === null) return { ...bounds, status: 'empty', drawnAt: null, items: [] };
  return {
    ...bounds,
    status: 'drawn',
    drawnAt,
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
