// liveness.requested: the exchange asks a party of the trade for a new Proof of Life. Like an agent's
// request (cases/liveness-requests.ts) the check starts pending; with the exchange's MetaMap verification
// id, when it already started one, MetaMap's webhooks find the check by that id; without one, by the party
// and the trade their metadata names.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { livenessRequestedData } from '../../../shared/api/platform-events';
import { findCheckByVerification, insertLivenessCheck, type LivenessCheckRow } from '../sql/liveness';
import { notAParty } from './errors';
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

export function applyLivenessRequested(input: EventInput, request: LivenessRequested): EventResult {
  const { db } = input.ctx;
  const trade = requireTrade(input, request.tradeId);
  if (request.partyId !== trade.buyerId && request.partyId !== trade.sellerId) throw notAParty(trade.id);
  const verificationId = request.verificationId ?? null;
  // One verification is one check: the exchange asking again for it changes nothing.
  if (verificationId && findCheckByVerification(db, verificationId)) return unchanged(trade.caseId);
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
