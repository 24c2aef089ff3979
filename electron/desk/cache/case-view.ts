// One case as the cache holds it: the detail the server last sent, and which other cached cases hold the
// same evidence files (the "this receipt was also sent in another case" warning of DESIGN §4).
import type { CaseDetail } from '../../../shared/api/types';
import type { DeskDb } from '../context';
import { perConnection } from './statements';

export interface CachedCase {
  detail: CaseDetail;
  /** For each evidence sha256 of the case, the other cached cases holding the same file (often none). */
  sharedEvidence: Record<string, string[]>;
}

const statements = perConnection((db: DeskDb) => ({
  detail: db
    .prepare('SELECT d.detail FROM cases c JOIN case_details d ON d.row_id = c.row_id WHERE c.id = ?')
    .pluck(),
  shared: db.prepare(
    `SELECT mine.sha256, other.case_id
     FROM case_evidence AS mine JOIN case_evidence AS other ON other.sha256 = mine.sha256 AND other.case_id <> mine.case_id
     WHERE mine.case_id = ?
     ORDER BY mine.sha256, other.case_id`,
  ),
}));

export function readCachedCase(db: DeskDb, caseId: string): CachedCase | null {
  const sql = statements(db);
  const json = sql.detail.get(caseId) as string | undefined;
  if (json === undefined) return null;
  const detail = JSON.parse(json) as CaseDetail;
  const sharedEvidence: Record<string, string[]> = Object.fromEntries(
    detail.evidence.map((evidence) => [evidence.sha256, [] as string[]]),
  );
  for (const row of sql.shared.all(caseId) as { sha256: string; case_id: string }[]) {
    sharedEvidence[row.sha256]?.push(row.case_id);
  }
  return { detail, sharedEvidence };
}
