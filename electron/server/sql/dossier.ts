// What the case dossier reads beyond the case's detail: the case's whole verdict history and its audit
// entries with the runs of the chain that tie them to signed checkpoints. What a dossier is: dossier/compose.ts.
import type { DossierVerdict } from '../../../shared/api/types';
import type { Db } from '../db/open';
import type { AuditRow } from './audit';
import { toVerdict, VERDICT_COLUMNS, type VerdictRow } from './case-detail';
import { prepared } from './statements';

/** Every verdict of the case, rejected proposals included, oldest first. */
export function readVerdictHistory(db: Db, caseId: string): DossierVerdict[] {
  const rows = prepared(db, `${VERDICT_COLUMNS} WHERE v.case_id = ? ORDER BY v.proposed_at, v.id`).all(caseId) as VerdictRow[];
  return rows.map((row) => ({ id: row.id, ...toVerdict(row) }));
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
