// The seed's inserts for the parts of a case that the core has no writer for yet (messages, notes,
// liveness checks, KYT alerts, verdicts), prepared once and run many times.
import type { Db } from '../db/open';

export interface MessageRow {
  id: string;
  caseId: string;
  sender: string;
  authorId: string | null;
  body: string;
  evidence: string;
  at: string;
}

export interface LivenessRow {
  id: string;
  partyId: string;
  caseId: string | null;
  trigger: 'onboarding' | 'trade';
  status: string;
  livenessScore: number | null;
  faceMatchScore: number | null;
  documentType: string | null;
  idPhoto: string | null;
  frames: string;
  errorCode: string | null;
  providerVerificationId: string | null;
  requestedBy: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface KytRow {
  id: string;
  caseId: string;
  partyId: string;
  rule: string;
  level: string;
  score: number;
  category: string;
  exposure: string;
  asset: string;
  amountMinor: bigint;
  details: string;
  status: string;
  reviewerId: string | null;
  reviewedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
}

export interface VerdictRow {
  id: string;
  caseId: string;
  outcome: string;
  reasonCode: string;
  rationale: string;
  state: 'proposed' | 'executed';
  proposedBy: string;
  proposedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export function seedStatements(db: Db) {
  const message = db.prepare(
    `INSERT INTO messages (id, case_id, sender, author_id, body, evidence, at)
     VALUES (@id, @caseId, @sender, @authorId, @body, @evidence, @at)`,
  );
  const note = db.prepare('INSERT INTO notes (id, case_id, author_id, body, at) VALUES (?, ?, ?, ?, ?)');
  const liveness = db.prepare(
    `INSERT INTO liveness_checks (id, party_id, case_id, trigger, status, liveness_score, face_match_score, document_type,
                                  id_photo, frames, error_code, provider, provider_verification_id, requested_by,
                                  created_at, completed_at)
     VALUES (@id, @partyId, @caseId, @trigger, @status, @livenessScore, @faceMatchScore, @documentType, @idPhoto,
             @frames, @errorCode, 'metamap', @providerVerificationId, @requestedBy, @createdAt, @completedAt)`,
  );
  const kyt = db.prepare(
    `INSERT INTO kyt_alerts (id, case_id, party_id, rule, level, score, category, exposure, asset, amount_minor, details,
                             status, reviewer_id, reviewed_at, decision_reason, created_at)
     VALUES (@id, @caseId, @partyId, @rule, @level, @score, @category, @exposure, @asset, @amountMinor, @details,
             @status, @reviewerId, @reviewedAt, @decisionReason, @createdAt)`,
  );
  const verdict = db.prepare(
    `INSERT INTO verdicts (id, case_id, outcome, reason_code, rationale, state, proposed_by, proposed_at, approved_by, approved_at)
     VALUES (@id, @caseId, @outcome, @reasonCode, @rationale, @state, @proposedBy, @proposedAt, @approvedBy, @approvedAt)`,
  );
  const hold = db.prepare('UPDATE escrows SET hold_reason = ?, hold_by = ?, hold_at = ? WHERE id = ?');
  const caseState = db.prepare('UPDATE cases SET status = ?, assignee_id = ?, updated_at = ? WHERE id = ?');
  return {
    message: (row: MessageRow) => message.run(row),
    note: (id: string, caseId: string, authorId: string, body: string, at: string) => note.run(id, caseId, authorId, body, at),
    liveness: (row: LivenessRow) => liveness.run(row),
    kyt: (row: KytRow) => kyt.run(row),
    verdict: (row: VerdictRow) => verdict.run(row),
    hold: (escrowId: string, reason: string, by: string, at: string) => hold.run(reason, by, at, escrowId),
    caseState: (caseId: string, status: string, assigneeId: string | null, updatedAt: string) =>
      caseState.run(status, assigneeId, updatedAt, caseId),
  };
}

export type SeedStatements = ReturnType<typeof seedStatements>;
