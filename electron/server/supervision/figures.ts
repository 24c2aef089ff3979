// Per-agent figures over a window of decisions (GET /v1/verdicts/agents): every agent appears, with zeros
// and nulls when they decided nothing in it.
import type { AgentFigures } from '../../../shared/api/types';
import type { Db } from '../db/open';
import { decisionsInWindow, listAgents, reviewTotalsInWindow, sentBackInWindow, type Window } from '../sql/verdict-history';

/** The middle value (the mean of the two middle ones for an even count), rounded to whole seconds. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value);
}

export function agentFigures(db: Db, window: Window): AgentFigures[] {
  const decisions = decisionsInWindow(db, window);
  const sentBack = new Map(sentBackInWindow(db, window).map((row) => [row.agentId, row.count]));
  const reviews = new Map(reviewTotalsInWindow(db, window).map((row) => [row.agentId, row]));
  return listAgents(db).map((agent) => {
    const mine = decisions.filter((decision) => decision.agentId === agent.id);
    const releases = mine.filter((decision) => decision.outcome === 'release').length;
    const durations = mine.map((decision) =>
      Math.max(0, (Date.parse(decision.decidedAt) - Date.parse(decision.openedAt)) / 1000),
    );
    const review = reviews.get(agent.id);
    return {
      agent,
      resolved: mine.length,
      medianTimeToResolveSeconds: median(durations),
      releases,
      refunds: mine.length - releases,
      releaseShare: mine.length === 0 ? null : releases / mine.length,
      sentBack: sentBack.get(agent.id) ?? 0,
      reviewsDone: review?.done ?? 0,
      overturned: review?.overturned ?? 0,
      averageReviewScore: review && review.done > 0 ? Math.round((review.scoreSum / review.done) * 100) / 100 : null,
    };
  });
}
