// liveness.requested: the exchange asks a party of the trade for a new Proof of Life. Like an agent's
// request (cases/liveness-requests.ts) the check starts pending; with the exchange's MetaMap verification
// id, when it already started one, MetaMap's webhooks find the check by that id; without one, by the party
// and the trade their metadata names. A webhook may arrive before this event: it created the check as the
// party's own (onboarding) when its metadata named no trade, and this event makes it the trade's.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { livenessRequestedData } from '../../../shared/api/platform-events';
import {
  findCheckByVerification,
  insertLivenessCheck,
  makeTradeCheck,
  type CheckRow,
  type LivenessCheckRow,
} from '../sql/liveness';
import type { PlatformTrade } from '../sql/platform-events';
import { notAParty, verificationConflict } from './errors';
import {
  applied,
  PLATFORM_USER_ID,
  recordEventChange,
  requireTrade,
  unchanged,
  type EventInput,
  type EventResult,
} from './event-context';

type LivenessRequested = z.infer<typeof livenessRequestedData>;

/**
 * The exchange names a verification that already has a check: the same request again (`unchanged`), or a
 * check MetaMap's webhook created first, as the party's own, which becomes the trade's from now on. An
 * outcome it already gave the party's KYC status stays: nothing recorded what the status was before, and
 * it is MetaMap's own check of that person; the audit entry says so (`kycAlreadySet`). Later events of the
 * verification no longer touch KYC. Another party's verification, or another trade's, is refused.
 */
function adoptKnownCheck(input: EventInput, trade: PlatformTrade, request: LivenessRequested, known: CheckRow): EventResult {
  const verificationId = known.provider_verification_id;
  if (known.party_id !== request.partyId) {
    throw verificationConflict(`data.verificationId: verification ${verificationId} belongs to another party.`);
  }
  if (known.trade_id === trade.id) return unchanged(trade.caseId);
  if (known.trade_id !== null || known.case_id !== null) {
    throw verificationConflict(`data.verificationId: verification ${verificationId} belongs to another trade of the party.`);
  }
  makeTradeCheck(input.ctx.db, known.id, { tradeId: trade.id, caseId: trade.caseId, requestedBy: PLATFORM_USER_ID });
  recordEventChange(input, trade, 'liveness.requested', {
    checkId: known.id,
    partyId: request.partyId,
    verificationId,
    adoptedFrom: 'onboarding',
    ...(known.trigger === 'onboarding' && known.status !== 'pending' ? { kycAlreadySet: known.status } : {}),
  });
  return applied(trade.caseId);
}

export function applyLivenessRequested(input: EventInput, request: LivenessRequested): EventResult {
  const { db } = input.ctx;
  const trade = requireTrade(input, request.tradeId);
  if (request.partyId !== trade.buyerId && request.partyId !== trade.sellerId) throw notAParty(trade.id);
  const verificationId = request.verificationId ?? null;
  // One verification is one check: the exchange asking again for it changes nothing.
  const known = verificationId ? findCheckByVerification(db, verificationId) : null;
  if (known) return adoptKnownCheck(input, trade, request, known);
  const check: LivenessCheckRow = {
    id: `LIV-${randomUUID()}`,
    partyId: request.partyId,
    // Before a dispute there is no case: the trade ties the check to the case its dispute opens
    // (dispute-opened.ts links it then).
    caseId: trade.caseId,
    tradeId: trade.id,
    trigger: 'trade',
    status: 'pending',
    livenessScore: null,
    faceMatchScore: null,
    documentType: null,
    idPhoto: null,
    frames: [],
    errorCode: null,
    providerVerificationId: verificationId,
    requestedBy: PLATFORM_USER_ID,
    createdAt: input.now.toISOString(),
    completedAt: null,
  };
  insertLivenessCheck(db, check);
  recordEventChange(input, trade, 'liveness.requested', {
    checkId: check.id,
    partyId: request.partyId,
    ...(verificationId ? { verificationId } : {}),
  });
  return applied(trade.caseId);
}
