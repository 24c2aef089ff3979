// Evidence files (content-addressed bytes) and their links to cases.
import type { EvidenceKind, MessageSender } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

/** Stores the bytes once; a second insert of the same sha256 does nothing. */
export function insertEvidenceFile(db: Db, file: { sha256: string; mime: string; bytes: Buffer; at: string }): void {
  prepared(
    db,
    'INSERT INTO evidence_files (sha256, mime, size, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(file.sha256, file.mime, file.bytes.length, file.bytes, file.at);
}

export function readEvidenceBytes(db: Db, sha256: string): { mime: string; bytes: Buffer } | null {
  return (
    (prepared(db, 'SELECT mime, bytes FROM evidence_files WHERE sha256 = ?').get(sha256) as
      | { mime: string; bytes: Buffer }
      | undefined) ?? null
  );
}

export interface CaseEvidenceRow {
  caseId: string;
  sha256: string;
  kind: EvidenceKind;
  uploader: MessageSender;
  fileName: string | null;
  at: string;
}

/** Links a stored file to a case; linking it twice does nothing. */
export function insertCaseEvidence(db: Db, link: CaseEvidenceRow): void {
  prepared(
    db,
    `INSERT INTO case_evidence (case_id, sha256, kind, uploader, file_name, uploaded_at)
     VALUES (@caseId, @sha256, @kind, @uploader, @fileName, @at) ON CONFLICT DO NOTHING`,
  ).run(link);
}

/** The kind `sha256` is filed under in this case's evidence, or null when it is not evidence of the case. */
export function caseEvidenceKind(db: Db, caseId: string, sha256: string): EvidenceKind | null {
  const row = prepared(db, 'SELECT kind FROM case_evidence WHERE case_id = ? AND sha256 = ?').get(caseId, sha256) as
    | { kind: EvidenceKind }
    | undefined;
  return row?.kind ?? null;
}
