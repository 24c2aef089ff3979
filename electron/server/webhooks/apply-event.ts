// What a MetaMap event does to the platform (DESIGN §3). A verification is matched by its id once known,
// else by the metadata the platform started it with ({partyId, caseId}). Frames and selfie URLs in a
// `liveness` step are MetaMap's media links, not evidence (evidence is content-addressed bytes the platform
// holds): they are neither stored nor audited.
import type { ServerContext } from '../context';
import { appendAudit } from '../audit/chain';
import { recordCaseChanges } from '../feed/changes';
import {
  claimPendingCheck,
  createCheck,
  findCheckByVerification,
  updateCheck,
  type CheckFields,
  type CheckRow,
} from '../sql/liveness';
import { casesShowingParty, isPartyOfCase, partyExists, setKycStatus } from '../sql/parties';
import type { MetamapEvent, StepCompletedEvent } from './payload';

export type WebhookOutcome =
  | { status: 'applied'; checkId: string }
  | { status: 'unchanged'; checkId: string }
  | { status: 'ignored'; reason: 'no_party' | 'unknown_party' | 'unknown_case' };

/** How the event found its check: by its verification id, by claiming a requested check, or as a new one. */
type Match =
  | { check: CheckRow; found: 'known' | 'claimed' | 'created' }
  | { ignored: 'no_party' | 'unknown_party' | 'unknown_case' };

/**
 * A verification id we have not seen is new: it belongs to the party and case in its metadata. Metadata
 * naming a party or case this platform does not have is answered 200 and ignored rather than refused: the
 * payload is authentic (signed), so refusing would only make MetaMap retry it for days (such events come
 * from another environment sharing the MetaMap account, or from data since removed). It is logged.
 */
function matchCheck(ctx: ServerContext, event: MetamapEvent, verificationId: string): Match {
  const known = findCheckByVerification(ctx.db, verificationId);
  if (known) return { check: known, found: 'known' };
  const partyId = event.metadata?.partyId;
  const caseId = event.metadata?.caseId ?? null;
  if (!partyId) return { ignored: 'no_party' };
  if (!partyExists(ctx.db, partyId)) return { ignored: 'unknown_party' };
  if (caseId !== null && !isPartyOfCase(ctx.db, partyId, caseId)) return { ignored: 'unknown_case' };
  const pending = claimPendingCheck(ctx.db, partyId, caseId, verificationId);
  if (pending) return { check: pending, found: 'claimed' };
  return { check: createCheck(ctx.db, partyId, caseId, verificationId, ctx.now()), found: 'created' };
}

/** MetaMap scores come as 0..1 or as a percentage; the API speaks 0..1. Anything else is not a score. */
export function normaliseScore(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) return null;
  return value > 1 ? value / 100 : value;
}

function afterStep(fields: CheckFields, step: StepCompletedEvent['step']): CheckFields {
  const next = { ...fields };
  const score = normaliseScore(step.data?.score);
  if (step.id === 'liveness' && score !== null) next.liveness_score = score;
  if (step.id === 'facematch' && score !== null) next.face_match_score = score;
  if (step.error) next.error_code = step.error.code;
  return next;
}

const fieldsOf = (check: CheckRow): CheckFields => ({
  status: check.status,
  liveness_score: check.liveness_score,
  face_match_score: check.face_match_score,
  error_code: check.error_code,
  completed_at: check.completed_at,
});

function afterEvent(fields: CheckFields, event: MetamapEvent, at: Date): CheckFields {
  if (event.eventName === 'step_completed') return afterStep(fields, event.step);
  // A repeated delivery of the same outcome keeps the first completion time.
  if (fields.status === event.identityStatus && fields.completed_at) return fields;
  return { ...fields, status: event.identityStatus, completed_at: at.toISOString() };
}

const sameFields = (a: CheckFields, b: CheckFields) =>
  (Object.keys(a) as (keyof CheckFields)[]).every((key) => a[key] === b[key]);

/** Applies one verified event. Call inside ctx.write(): the check, its audit entry and feed rows land together. */
export function applyMetamapEvent(ctx: ServerContext, event: MetamapEvent): WebhookOutcome {
  // The schema has already reduced `resource` (the verification's URL) to its id.
  const verificationId = event.resource;
  const match = matchCheck(ctx, event, verificationId);
  if ('ignored' in match) return { status: 'ignored', reason: match.ignored };
  const { check, found } = match;
  const now = ctx.now();
  const before = fieldsOf(check);
  const after = afterEvent(before, event, now);
  // A redelivered event that changes nothing leaves no trace: MetaMap retries until it gets a 2xx.
  if (found === 'known' && sameFields(before, after)) return { status: 'unchanged', checkId: check.id };
  updateCheck(ctx.db, check.id, after);
  if (check.trigger === 'onboarding' && event.eventName === 'verification_completed') {
    // The onboarding verification is the party's KYC: its outcome is their KYC status.
    setKycStatus(ctx.db, check.party_id, event.identityStatus);
  }
  appendAudit(ctx.db, now, {
    actor: 'metamap',
    action: `liveness.${event.eventName}`,
    subject: check.id,
    data: {
      verificationId,
      partyId: check.party_id,
      caseId: check.case_id,
      match: found,
      ...(event.eventName === 'step_completed' ? { stepId: event.step.id } : {}),
      status: after.status,
      livenessScore: after.liveness_score,
      faceMatchScore: after.face_match_score,
      errorCode: after.error_code,
    },
  });
  recordCaseChanges(ctx, casesShowingParty(ctx.db, check.party_id, check.case_id));
  return { status: 'applied', checkId: check.id };
}
