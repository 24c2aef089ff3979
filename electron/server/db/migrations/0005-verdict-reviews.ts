// The supervisor's verdict history and its quality review (issue #9).
//
// The history reads executed verdicts newest first by the moment the escrow moved (the approval of a
// four-eyes verdict, the verdict itself otherwise): the partial expression index serves that order and its
// keyset pages. Each ISO week's review sample is drawn once and kept (`review_weeks` says a week was
// drawn, even when it had nothing to draw), so that re-reading a week never changes its sample; a case
// is sampled at most once. A scorecard is written once, by a supervisor who took no part in the verdict.

import type { Migration } from '../../../../shared/db/migrations';

export const verdictReviews: Migration = {
  version: 5,
  name: 'verdict-reviews',
  up: `
    CREATE INDEX verdicts_executed_by_decision
      ON verdicts(COALESCE(approved_at, proposed_at), case_id) WHERE state = 'executed';
    CREATE INDEX verdicts_by_proposer ON verdicts(proposed_by, state);

    CREATE TABLE review_weeks (
      week TEXT PRIMARY KEY,
      drawn_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE verdict_reviews (
      id TEXT PRIMARY KEY,
      week TEXT NOT NULL REFERENCES review_weeks(week),
      case_id TEXT NOT NULL UNIQUE REFERENCES cases(id),
      agent_id TEXT NOT NULL REFERENCES users(id),
      reviewer_id TEXT REFERENCES users(id),
      reviewed_at TEXT,
      evidence_sufficient INTEGER CHECK (evidence_sufficient IN (0, 1)),
      reason_code_right INTEGER CHECK (reason_code_right IN (0, 1)),
      rationale_clear INTEGER CHECK (rationale_clear IN (0, 1)),
      payout_right INTEGER CHECK (payout_right IN (0, 1)),
      comment TEXT,
      -- Either not reviewed yet (no answers) or reviewed with all four answers.
      CHECK ((reviewer_id IS NULL) = (reviewed_at IS NULL)),
      CHECK (reviewer_id IS NULL OR (evidence_sufficient IS NOT NULL AND reason_code_right IS NOT NULL
                                     AND rationale_clear IS NOT NULL AND payout_right IS NOT NULL))
    ) STRICT;
    CREATE INDEX verdict_reviews_by_week ON verdict_reviews(week, agent_id, case_id);
    CREATE INDEX verdict_reviews_by_agent ON verdict_reviews(agent_id, reviewed_at);
  `,
};
