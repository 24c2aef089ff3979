// What a MetaMap event does to the platform (DESIGN §3). A verification is matched by its id once known,
// else by the metadata the platform started it with ({partyId, caseId}, and tradeId from the exchange). Events are applied in the order
// they happened at MetaMap (their `timestamp`), whatever the order they arrive in: each value on a check,
// and a party's KYC status, holds as of the event that set it, and only a newer event replaces it. Frames and selfie URLs in a
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
import { recordEvent, seenEventCheck, type MetamapEventKey } from '../sql/metamap-events';
import {
  casesShowingParty,
  caseOfTrade,
  isPartyOfCase,
  partyExists,
  tradeOfParty,
  setKycStatusAsOf,
  type KycUpdate,
} from '../sql/parties';
import type { MetamapEvent } from './payload';

/**
 * Why an authentic event changed nothing: it was taken into account before (`duplicate`), every value it
 * states holds as of a later event (`older_than_current`), or it states what the check already says.
 */
export type UnchangedReason = 'duplicate' | 'older_than_current' | 'no_change';

export type WebhookOutcome =
  | { status: 'applied'; checkId: string }
  | { status: 'unchanged'; checkId: string; reason: UnchangedReason }
  | { status: 'ignored'; reason: 'no_party' | 'unknown_party' | 'unknown_case' };

/** How the event found its check: by its verification id, by claiming a requested check, or as a new one. */
type Match =
  | { check: CheckRow; found: 'known' | 'claimed' | 'created' }
  | { ignored: 'no_party' | 'unknown_party' | 'unknown_case' };

/**
 * A verification id we have not seen is new: it belongs to the party and case in its metadata, or the
 * trade it names (the exchange starts verifications for trades, before any dispute; a trade that is not
 * the party's is disregarded, as if not named). Metadata
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
  const owner = { partyId, caseId, tradeId: tradeOfParty(ctx.db, partyId, event.metadata?.tradeId ?? null) };
  const pending = claimPendingCheck(ctx.db, owner, verificationId);
  if (pending) return { check: pending, found: 'claimed' };
  // A new check for a trade belongs to the trade's case if its dispute is open already.
  const withCase = owner.caseId === null && owner.tradeId ? { ...owner, caseId: caseOfTrade(ctx.db, owner.tradeId) } : owner;
  return { check: createCheck(ctx.db, withCase, verificationId, ctx.now()), found: 'created' };
}

/** MetaMap scores come as 0..1 or as a percentage; the API speaks 0..1. Anything else is not a score. */
export function normaliseScore(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) return null;
  return value > 1 ? value / 100 : value;
}

/** The fields events set, each with the column saying as of which event time its value holds. */
const AS_OF = {
  status: 'status_at',
  liveness_score: 'liveness_score_at',
  face_match_score: 'face_match_score_at',
  error_code: 'error_code_at',
} as const;
type OrderedField = keyof typeof AS_OF;
type Claims = Partial<Pick<CheckFields, OrderedField>>;

/** What the event says about the check. A step without a score or an error says nothing we keep. */
function claimsOf(event: MetamapEvent): Claims {
  if (event.eventName === 'verification_completed') return { status: event.identityStatus };
  const claims: Claims = {};
  const { step } = event;
  const score = normaliseScore(step.data?.score);
  if (step.id === 'liveness' && score !== null) claims.liveness_score = score;
  if (step.id === 'facematch' && score !== null) claims.face_match_score = score;
  if (step.error) claims.error_code = step.error.code;
  return claims;
}

/** Takes one claim if the event is newer than the value held. Of two events of the same millisecond the
 *  first to arrive stands: neither is known to be the later. */
function takeIfNewer<F extends OrderedField>(
  fields: CheckFields,
  field: F,
  value: CheckFields[F] | undefined,
  occurredAt: string,
): boolean {
  const heldAsOf = fields[AS_OF[field]];
  if (value === undefined || (heldAsOf !== null && heldAsOf >= occurredAt)) return false;
  fields[field] = value;
  fields[AS_OF[field]] = occurredAt;
  return true;
}

/**
 * The check's fields once the event's claims are taken, each only where the event is newer than the one
 * that set the value held (events arrive out of order, and MetaMap retries): `fresh` counts those taken.
 */
function merge(check: CheckFields, claims: Claims, occurredAt: string, now: Date) {
  const fields: CheckFields = { ...check };
  let fresh = 0;
  for (const field of Object.keys(claims) as OrderedField[]) {
    if (takeIfNewer(fields, field, claims[field], occurredAt)) fresh += 1;
  }
  // The completion time is when the platform learned the outcome: a newer event repeating it keeps it.
  const statusTaken = fields.status_at !== check.status_at;
  if (statusTaken && (fields.status !== check.status || !check.completed_at)) {
    fields.completed_at = now.toISOString();
  }
  return { fields, fresh };
}

/** The fields a reader of the check sees (the as-of times are bookkeeping). */
const VISIBLE = ['status', 'liveness_score', 'face_match_score', 'error_code', 'completed_at'] as const;
const sameVisible = (a: CheckFields, b: CheckFields) => VISIBLE.every((key) => a[key] === b[key]);

const eventKey = (event: MetamapEvent): MetamapEventKey => ({
  // The schema has already reduced `resource` (the verification's URL) to its id.
  verificationId: event.resource,
  eventName: event.eventName,
  stepId: event.eventName === 'step_completed' ? event.step.id : '',
  occurredAt: event.timestamp,
});

/**
 * The onboarding verification is the party's KYC: its outcome becomes their KYC status, unless the party's
 * status holds as of a later event (another onboarding verification may have finished after this one).
 */
function kycUpdate(
  ctx: ServerContext,
  check: CheckRow,
  after: CheckFields,
  event: MetamapEvent,
): KycUpdate | null {
  if (check.trigger !== 'onboarding' || event.eventName !== 'verification_completed') return null;
  // The check's own status holds as of a later event: this outcome is not the party's latest either.
  if (after.status_at !== event.timestamp) return null;
  return setKycStatusAsOf(ctx.db, check.party_id, event.identityStatus, event.timestamp);
}

/**
 * Applies one verified event. Call inside ctx.write(): the check, the event's record, its audit entry and
 * feed rows land together, and two deliveries of one event cannot both pass the duplicate check.
 * Every answer is a 200 so that MetaMap stops retrying: a duplicate or an event older than the values it
 * speaks of is acknowledged as `unchanged` and leaves no trace.
 */
export function applyMetamapEvent(ctx: ServerContext, event: MetamapEvent): WebhookOutcome {
  const key = eventKey(event);
  const seen = seenEventCheck(ctx.db, key);
  if (seen) return { status: 'unchanged', checkId: seen, reason: 'duplicate' };
  const match = matchCheck(ctx, event, key.verificationId);
  if ('ignored' in match) return { status: 'ignored', reason: match.ignored };
  const { check, found } = match;
  const now = ctx.now();
  const claims = claimsOf(event);
  const { fields: after, fresh } = merge(check, claims, key.occurredAt, now);
  if (found === 'known' && fresh === 0 && Object.keys(claims).length > 0) {
    return { status: 'unchanged', checkId: check.id, reason: 'older_than_current' };
  }
  recordEvent(ctx.db, key, check.id, now);
  // Written even when only the as-of times moved: a newer event repeating a value makes it hold as of
  // the newer time, so that an event between the two cannot overwrite it.
  updateCheck(ctx.db, check.id, after);
  const kyc = kycUpdate(ctx, check, after, event);
  if (found === 'known' && sameVisible(check, after) && kyc !== 'changed') {
    return { status: 'unchanged', checkId: check.id, reason: 'no_change' };
  }
  appendAudit(ctx.db, now, {
    actor: 'metamap',
    action: `liveness.${event.eventName}`,
    subject: check.id,
    data: {
      verificationId: key.verificationId,
      partyId: check.party_id,
      caseId: check.case_id,
      match: found,
      ...(event.eventName === 'step_completed' ? { stepId: event.step.id } : {}),
      occurredAt: key.occurredAt,
      status: after.status,
      livenessScore: after.liveness_score,
      faceMatchScore: after.face_match_score,
      errorCode: after.error_code,
      ...(kyc === 'changed' ? { kycStatus: after.status } : {}),
    },
  });
  recordCaseChanges(ctx, casesShowingParty(ctx.db, check.party_id, check.case_id));
  return { status: 'applied', checkId: check.id };
}
