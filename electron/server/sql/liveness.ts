// Liveness checks (DESIGN §3): requested by agents, written by MetaMap webhooks, seeded for the demo. Call
// these inside a write transaction: a check is matched, created or claimed and then updated under one
// write lock, so two deliveries of the same verification cannot both create a check
// (provider_verification_id is also UNIQUE).
import { randomUUID } from 'node:crypto';
import type { LivenessStatus } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface CheckRow extends CheckFields {
  id: string;
  party_id: string;
  case_id: string | null;
  trade_id: string | null;
  trigger: 'onboarding' | 'trade';
  provider_verification_id: string | null;
}

/** What MetaMap events write on a check. Each `*_at` is the MetaMap event time its value holds as of. */
export interface CheckFields {
  status: LivenessStatus;
  status_at: string | null;
  liveness_score: number | null;
  liveness_score_at: string | null;
  face_match_score: number | null;
  face_match_score_at: string | null;
  error_code: string | null;
  error_code_at: string | null;
  completed_at: string | null;
}

const CHECK_COLUMNS = `id, party_id, case_id, trade_id, trigger, status, status_at, liveness_score, liveness_score_at,
  face_match_score, face_match_score_at, error_code, error_code_at, provider_verification_id, completed_at`;

export function findCheckByVerification(db: Db, verificationId: string): CheckRow | null {
  return (
    (prepared(db, `SELECT ${CHECK_COLUMNS} FROM liveness_checks WHERE provider_verification_id = ?`).get(
      verificationId,
    ) as CheckRow | undefined) ?? null
  );
}

/** Where a MetaMap verification belongs, from the metadata the platform or the exchange started it with. */
export interface CheckOwner {
  partyId: string;
  caseId: string | null;
  /** A trade of the party's, when the metadata names one. */
  tradeId: string | null;
}

/**
 * Gives the verification id to the newest pending check of this party that has none yet (the one an
 * agent's or the exchange's Proof of Life request created before the party opened MetaMap): one of the
 * named trade's first (it may have joined the trade's case since it was asked for), else one of the named
 * case (none: the party's own). Null when there is none.
 */
export function claimPendingCheck(db: Db, owner: CheckOwner, verificationId: string): CheckRow | null {
  const claimed = prepared(
    db,
    `UPDATE liveness_checks SET provider_verification_id = @verificationId
       WHERE id = (SELECT id FROM liveness_checks
                   WHERE party_id = @partyId AND status = 'pending' AND provider_verification_id IS NULL
                     AND (case_id IS @caseId OR (@tradeId IS NOT NULL AND trade_id = @tradeId))
                   ORDER BY (trade_id IS @tradeId) DESC, created_at DESC, id DESC LIMIT 1)`,
  ).run({ verificationId, ...owner });
  return claimed.changes === 1 ? findCheckByVerification(db, verificationId) : null;
}

/** A check for a verification the party started on their own in the mobile SDK. */
export function createCheck(db: Db, owner: CheckOwner, verificationId: string, at: Date): CheckRow {
  prepared(
    db,
    `INSERT INTO liveness_checks (id, party_id, case_id, trade_id, trigger, status, provider, provider_verification_id, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 'metamap', ?, ?)`,
  ).run(
    `LIV-${randomUUID()}`,
    owner.partyId,
    owner.caseId,
    owner.tradeId,
    owner.caseId || owner.tradeId ? 'trade' : 'onboarding',
    verificationId,
    at.toISOString(),
  );
  return findCheckByVerification(db, verificationId)!;
}

/**
 * A check MetaMap's webhooks created as the party's own (onboarding) before the exchange's
 * `liveness.requested` for it arrived becomes the trade's, as if requested first; true when this call
 * changed it (only a check with no trade yet).
 */
export function makeTradeCheck(
  db: Db,
  checkId: string,
  trade: { tradeId: string; caseId: string | null; requestedBy: string },
): boolean {
  return (
    prepared(
      db,
      `UPDATE liveness_checks SET trigger = 'trade', trade_id = @tradeId, case_id = @caseId, requested_by = @requestedBy
       WHERE id = @checkId AND trade_id IS NULL AND case_id IS NULL`,
    ).run({ checkId, ...trade }).changes === 1
  );
}

/**
 * The checks asked for on a trade before it had a case join the case its dispute opened; answers their
 * ids. A check keeps its trade, so MetaMap's webhooks naming the trade still find it.
 */
export function linkTradeChecksToCase(db: Db, tradeId: string, caseId: string): string[] {
  const rows = prepared(
    db,
    'UPDATE liveness_checks SET case_id = @caseId WHERE trade_id = @tradeId AND case_id IS NULL RETURNING id',
  ).all({ tradeId, caseId }) as { id: string }[];
  return rows.map((row) => row.id).sort();
}

export function updateCheck(db: Db, checkId: string, fields: CheckFields): void {
  prepared(
    db,
    `UPDATE liveness_checks SET status = @status, status_at = @status_at,
       liveness_score = @liveness_score, liveness_score_at = @liveness_score_at,
       face_match_score = @face_match_score, face_match_score_at = @face_match_score_at,
       error_code = @error_code, error_code_at = @error_code_at, completed_at = @completed_at
     WHERE id = @id`,
  ).run({ ...fields, id: checkId });
}

/**
 * A liveness check with everything known about it. Who asked and the times are left to the holder: user
 * ids and ISO strings in the store (LivenessCheckRow), the seed's demo usernames and Dates in its plan.
 */
export interface LivenessCheckFields<Requester, Time> {
  id: string;
  partyId: string;
  caseId: string | null;
  trigger: 'onboarding' | 'trade';
  status: LivenessStatus;
  livenessScore: number | null;
  faceMatchScore: number | null;
  documentType: string | null;
  /** sha256 of the ID photo in the store; in the seed's plan, the key of the file it renders. */
  idPhoto: string | null;
  /** sha256s of the selfie frames; in the seed's plan, the keys of the files it renders. */
  frames: readonly string[];
  errorCode: string | null;
  providerVerificationId: string | null;
  requestedBy: Requester | null;
  createdAt: Time;
  completedAt: Time | null;
  /** The trade it was asked for (a trade check asked for before the trade had a case); else none is stored. */
  tradeId?: string | null;
}

export type LivenessCheckRow = LivenessCheckFields<string, string>;

/**
 * The check an agent's Proof of Life request creates (DESIGN §3): pending, nothing measured and no
 * verification yet; MetaMap's webhooks fill it in later.
 */
export function pendingTradeCheck<Requester, Time>(request: {
  id: string;
  partyId: string;
  caseId: string;
  requestedBy: Requester;
  createdAt: Time;
}): LivenessCheckFields<Requester, Time> {
  return {
    ...request,
    trigger: 'trade',
    status: 'pending',
    livenessScore: null,
    faceMatchScore: null,
    documentType: null,
    idPhoto: null,
    frames: [],
    errorCode: null,
    providerVerificationId: null,
    completedAt: null,
  };
}

/** A check with everything known about it: an agent's pending request, or a seeded finished one. */
export function insertLivenessCheck(db: Db, check: LivenessCheckRow): void {
  prepared(
    db,
    `INSERT INTO liveness_checks (id, party_id, case_id, trade_id, trigger, status, liveness_score, face_match_score,
                                  document_type, id_photo, frames, error_code, provider, provider_verification_id,
                                  requested_by, created_at, completed_at)
     VALUES (@id, @partyId, @caseId, @tradeId, @trigger, @status, @livenessScore, @faceMatchScore, @documentType,
             @idPhoto, @frames, @errorCode, 'metamap', @providerVerificationId, @requestedBy, @createdAt, @completedAt)`,
  ).run({ ...check, tradeId: check.tradeId ?? null, frames: JSON.stringify(check.frames) });
}
