// What the case dossier reads beyond the case's detail: the case's whole verdict history and its audit
// entries with the runs of the chain that tie them to signed checkpoints. What a dossier is: dossier/compose.ts.
import type { DossierVerdict } from '../../../shared/api/types';
import type { ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import type { AuditRow } from './audit';
import { prepared } from './statements';

interface VerdictHistoryRow {
  id: string;
  outcome: VerdictOutcome;
  reason_code: ReasonCode;
  rationale: string;
  state: DossierVerdict['state'];
  proposed_by: string;
  p_username: string;
  p_name: string;
  proposed_at: string;
  approved_by: string | null;
  a_username: string | null;
  a_name: string | null;
  approved_at: string | null;
  rejected_by: string | null;
  r_username: string | null;
  r_name: string | null;
  rejected_at: string | null;
  reject_reason: string | null;
}

const userRef = (id: string | null, username: string | null, displayName: string | null) =>
  id === null ? null : { id, username: username ?? id, displayName: displayName ?? id };

/** Every verdict of the case, rejected proposals included, oldest first. */
export function readVerdictHistory(db: Db, caseId: string): DossierVerdict[] {
  const rows = prepared(
    db,
    `SELECT v.*, p.username AS p_username, p.display_name AS p_name,
            a.username AS a_username, a.display_name AS a_name,
            r.username AS r_username, r.display_name AS r_name
     FROM verdicts v JOIN users p ON p.id = v.proposed_by
     LEFT JOIN users a ON a.id = v.approved_by LEFT JOIN users r ON r.id = v.rejected_by
     WHERE v.case_id = ? ORDER BY v.proposed_at, v.id`,
  ).all(caseId) as VerdictHistoryRow[];
  return rows.map((row) => ({
    id: row.id,
    outcome: row.outcome,
    reasonCode: row.reason_code,
    rationale: row.rationale,
    state: row.state,
    proposedBy: { id: row.proposed_by, username: row.p_username, displayName: row.p_name },
    proposedAt: row.proposed_at,
    approvedBy: userRef(row.approved_by, row.a_username, row.a_name),
    approvedAt: row.approved_at,
    rejectedBy: userRef(row.rejected_by, row.r_username, row.r_name),
    rejectedAt: row.rejected_at,
    rejectReason: row.reject_reason,
  }));
}

/**
 * The audit rows about the case: its own (subject = the case id: claims, messages, verdicts, holds) and the
 * ones about something of the case that name it in their data (`caseId`: its KYT alerts and their decisions,
 * its liveness checks, a report filed on its alert). A row whose data no longer parses is skipped here; the
 * chain check of the runs that cover the case then fails on it. The audit log has no index on these: a
 * dossier is a rare export, and one scan of the log costs less than an index on every write.
 *
 * Left out: the weekly quality review's scorecards (`verdict_review.*`, which name the case they score).
 * They are the supervisors' internal assessment of an agent, not a fact of the case, and compliance, who
 * may export a dossier, is not to read them.
 */
export function readCaseAuditRows(db: Db, caseId: string): AuditRow[] {
  return prepared(
    db,
    `SELECT * FROM audit_log
     WHERE (subject = @caseId
            OR (CASE WHEN json_valid(data) THEN json_extract(data, '$.caseId') END) = @caseId)
       AND action NOT GLOB 'verdict_review.*'
     ORDER BY seq`,
  ).all({ caseId }) as AuditRow[];
}

/** The rows from `fromSeq` to `toSeq`, both included, in order. */
export function readAuditRowsBetween(db: Db, fromSeq: number, toSeq: number): AuditRow[] {
  return prepared(db, 'SELECT * FROM audit_log WHERE seq BETWEEN ? AND ? ORDER BY seq').all(fromSeq, toSeq) as AuditRow[];
}
