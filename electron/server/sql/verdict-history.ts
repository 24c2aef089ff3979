// The supervisor's reads of executed verdicts (the verdict history, the per-agent figures) and the weekly
// verdict quality review's sample and scorecards. A verdict's decision time is when the escrow moved: the
// approval of a four-eyes verdict, the verdict itself otherwise; migration 0005's partial index on that
// expression serves the history's order and keyset pages, so the expression is written the same way here.
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

const DECIDED_AT = 'COALESCE(v.approved_at, v.proposed_at)';

export interface HistoryRow {
  caseId: string;
  openedAt: string;
  decidedAt: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  rationale: string;
  agentId: string;
  agentUsername: string;
  agentName: string;
  approverId: string | null;
  approverUsername: string | null;
  approverName: string | null;
  asset: string;
  amountMinor: number;
  fiatCurrency: string;
  fiatAmountMinor: number;
  sentBackCount: number;
}

const HISTORY_COLUMNS = `
  v.case_id AS caseId, c.opened_at AS openedAt, ${DECIDED_AT} AS decidedAt,
  v.outcome, v.reason_code AS reasonCode, v.rationale,
  a.id AS agentId, a.username AS agentUsername, a.display_name AS agentName,
  s.id AS approverId, s.username AS approverUsername, s.display_name AS approverName,
  t.asset, t.amount_minor AS amountMinor, t.fiat_currency AS fiatCurrency, t.fiat_amount_minor AS fiatAmountMinor,
  (SELECT COUNT(*) FROM verdicts r WHERE r.case_id = v.case_id AND r.state = 'rejected') AS sentBackCount`;

const HISTORY_JOINS = `
  JOIN cases c ON c.id = v.case_id
  JOIN trades t ON t.id = c.trade_id
  JOIN users a ON a.id = v.proposed_by
  LEFT JOIN users s ON s.id = v.approved_by`;

export interface HistoryFilter {
  agentId?: string | undefined;
  outcome?: VerdictOutcome | undefined;
  asset?: string | undefined;
  /** Inclusive. */
  from?: string | undefined;
  /** Exclusive. */
  to?: string | undefined;
}

export interface HistoryPageArgs extends HistoryFilter {
  /** The (decidedAt, caseId) of the previous page's last row. */
  after?: { decidedAt: string; caseId: string } | undefined;
  /** -1 for every row. */
  limit: number;
}

const HISTORY_SQL = `
  SELECT ${HISTORY_COLUMNS}
  FROM verdicts v ${HISTORY_JOINS}
  WHERE v.state = 'executed'
    AND (@agentId IS NULL OR v.proposed_by = @agentId)
    AND (@outcome IS NULL OR v.outcome = @outcome)
    AND (@asset IS NULL OR t.asset = @asset)
    AND (@from IS NULL OR ${DECIDED_AT} >= @from)
    AND (@to IS NULL OR ${DECIDED_AT} < @to)
    AND (@afterAt IS NULL OR (${DECIDED_AT}, v.case_id) < (@afterAt, @afterId))
  ORDER BY ${DECIDED_AT} DESC, v.case_id DESC
  LIMIT @limit`;

function historyParams(args: HistoryPageArgs) {
  return {
    agentId: args.agentId ?? null,
    outcome: args.outcome ?? null,
    asset: args.asset ?? null,
    from: args.from ?? null,
    to: args.to ?? null,
    afterAt: args.after?.decidedAt ?? null,
    afterId: args.after?.caseId ?? null,
    limit: args.limit,
  };
}

/** Executed verdicts, newest decision first. */
export function listVerdictHistory(db: Db, args: HistoryPageArgs): HistoryRow[] {
  return prepared(db, HISTORY_SQL).all(historyParams(args)) as HistoryRow[];
}

/** The same rows one at a time, for an export of any size. */
export function iterateVerdictHistory(db: Db, filter: HistoryFilter): IterableIterator<HistoryRow> {
  return prepared(db, HISTORY_SQL).iterate(historyParams({ ...filter, limit: -1 })) as IterableIterator<HistoryRow>;
}

export interface PersonRow {
  id: string;
  username: string;
  displayName: string;
}

/** Every dispute agent (people, not service accounts), by name. */
export function listAgents(db: Db): PersonRow[] {
  return prepared(
    db,
    `SELECT id, username, display_name AS displayName FROM users
     WHERE role = 'agent' AND kind = 'person' ORDER BY display_name, id`,
  ).all() as PersonRow[];
}

export interface Window {
  from: string | null;
  to: string | null;
}

export interface DecisionRow {
  agentId: string;
  outcome: VerdictOutcome;
  openedAt: string;
  decidedAt: string;
}

export function decisionsInWindow(db: Db, window: Window): DecisionRow[] {
  return prepared(
    db,
    `SELECT v.proposed_by AS agentId, v.outcome, c.opened_at AS openedAt, ${DECIDED_AT} AS decidedAt
     FROM verdicts v JOIN cases c ON c.id = v.case_id
     WHERE v.state = 'executed' AND (@from IS NULL OR ${DECIDED_AT} >= @from) AND (@to IS NULL OR ${DECIDED_AT} < @to)`,
  ).all(window) as DecisionRow[];
}

/** Each agent's proposals that a supervisor sent back, by when they were sent back. */
export function sentBackInWindow(db: Db, window: Window): { agentId: string; count: number }[] {
  return prepared(
    db,
    `SELECT proposed_by AS agentId, COUNT(*) AS count FROM verdicts
     WHERE state = 'rejected' AND (@from IS NULL OR rejected_at >= @from) AND (@to IS NULL OR rejected_at < @to)
     GROUP BY proposed_by`,
  ).all(window) as { agentId: string; count: number }[];
}

export interface ReviewTotals {
  agentId: string;
  done: number;
  overturned: number;
  scoreSum: number;
}

/** Scorecards of the verdicts decided in the window, per agent. */
export function reviewTotalsInWindow(db: Db, window: Window): ReviewTotals[] {
  return prepared(
    db,
    `SELECT r.agent_id AS agentId, COUNT(*) AS done, SUM(1 - r.payout_right) AS overturned,
            SUM(r.evidence_sufficient + r.reason_code_right + r.rationale_clear + r.payout_right) AS scoreSum
     FROM verdict_reviews r
     JOIN verdicts v ON v.case_id = r.case_id AND v.state = 'executed'
     WHERE r.reviewer_id IS NOT NULL
       AND (@from IS NULL OR ${DECIDED_AT} >= @from) AND (@to IS NULL OR ${DECIDED_AT} < @to)
     GROUP BY r.agent_id`,
  ).all(window) as ReviewTotals[];
}

// The quality review.

export interface SampleCandidate {
  caseId: string;
  agentId: string;
}

/** Executed verdicts decided in [from, to) that no week has sampled yet. */
export function reviewCandidates(db: Db, from: string, to: string): SampleCandidate[] {
  return prepared(
    db,
    `SELECT v.case_id AS caseId, v.proposed_by AS agentId FROM verdicts v
     WHERE v.state = 'executed' AND ${DECIDED_AT} >= ? AND ${DECIDED_AT} < ?
       AND NOT EXISTS (SELECT 1 FROM verdict_reviews r WHERE r.case_id = v.case_id)
     ORDER BY v.case_id`,
  ).all(from, to) as SampleCandidate[];
}

/** Marks the week drawn; false when it already was (its sample stands as it is). */
export function claimReviewWeek(db: Db, week: string, at: string): boolean {
  return prepared(db, 'INSERT INTO review_weeks (week, drawn_at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(week, at)
    .changes === 1;
}

export function reviewWeekDrawnAt(db: Db, week: string): string | null {
  const row = prepared(db, 'SELECT drawn_at AS drawnAt FROM review_weeks WHERE week = ?').get(week) as
    | { drawnAt: string }
    | undefined;
  return row?.drawnAt ?? null;
}

export function insertReviewSample(db: Db, sample: { id: string; week: string; caseId: string; agentId: string }): void {
  prepared(db, 'INSERT INTO verdict_reviews (id, week, case_id, agent_id) VALUES (@id, @week, @caseId, @agentId)').run(
    sample,
  );
}

export interface ReviewRow extends HistoryRow {
  id: string;
  week: string;
  reviewerId: string | null;
  reviewerUsername: string | null;
  reviewerName: string | null;
  reviewedAt: string | null;
  evidenceSufficient: 0 | 1 | null;
  reasonCodeRight: 0 | 1 | null;
  rationaleClear: 0 | 1 | null;
  payoutRight: 0 | 1 | null;
  comment: string | null;
  /** The supervisors who approved or sent back a proposal on the case, comma-separated. */
  involved: string | null;
}

const REVIEW_SQL = `
  SELECT ${HISTORY_COLUMNS},
    rv.id, rv.week, rv.reviewer_id AS reviewerId, rw.username AS reviewerUsername, rw.display_name AS reviewerName,
    rv.reviewed_at AS reviewedAt, rv.evidence_sufficient AS evidenceSufficient, rv.reason_code_right AS reasonCodeRight,
    rv.rationale_clear AS rationaleClear, rv.payout_right AS payoutRight, rv.comment,
    (SELECT group_concat(who) FROM (
       SELECT approved_by AS who FROM verdicts WHERE case_id = v.case_id AND approved_by IS NOT NULL
       UNION SELECT rejected_by FROM verdicts WHERE case_id = v.case_id AND rejected_by IS NOT NULL)) AS involved
  FROM verdict_reviews rv
  JOIN verdicts v ON v.case_id = rv.case_id AND v.state = 'executed'
  ${HISTORY_JOINS}
  LEFT JOIN users rw ON rw.id = rv.reviewer_id`;

export function reviewsOfWeek(db: Db, week: string): ReviewRow[] {
  return prepared(db, `${REVIEW_SQL} WHERE rv.week = ? ORDER BY a.display_name, ${DECIDED_AT} DESC, v.case_id`).all(
    week,
  ) as ReviewRow[];
}

export function findReview(db: Db, id: string): ReviewRow | null {
  return (prepared(db, `${REVIEW_SQL} WHERE rv.id = ?`).get(id) as ReviewRow | undefined) ?? null;
}

export interface Scorecard {
  evidenceSufficient: boolean;
  reasonCodeRight: boolean;
  rationaleClear: boolean;
  payoutRight: boolean;
  comment: string | null;
}

/** Records the scorecard unless the review already has one: the write is the check (true when it won). */
export function recordScorecard(db: Db, id: string, reviewerId: string, at: string, card: Scorecard): boolean {
  const bit = (answer: boolean) => (answer ? 1 : 0);
  return (
    prepared(
      db,
      `UPDATE verdict_reviews SET reviewer_id = @reviewerId, reviewed_at = @at,
         evidence_sufficient = @evidenceSufficient, reason_code_right = @reasonCodeRight,
         rationale_clear = @rationaleClear, payout_right = @payoutRight, comment = @comment
       WHERE id = @id AND reviewer_id IS NULL`,
    ).run({
      id,
      reviewerId,
      at,
      evidenceSufficient: bit(card.evidenceSufficient),
      reasonCodeRight: bit(card.reasonCodeRight),
      rationaleClear: bit(card.rationaleClear),
      payoutRight: bit(card.payoutRight),
      comment: card.comment,
    }).changes === 1
  );
}
