// POST /v1/cases/{id}/verdict: the agent holding a case releases the escrow to the buyer or refunds it to
// the seller (DESIGN §2). The order of checks is part of the contract:
//   token → shape and Idempotency-Key → the idempotency record → role and case holder → step-up code
//   → state → the move.
// Everything up to and including the step-up stores nothing under the key; from there on the answer,
// success or refusal, is stored under the key in the same transaction as the move. Two commits per verdict
// (the key's claim with the step-up, then the move with its answer), answered after one shared sync.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { VerdictResponse } from '../../../shared/api/types';
import { checkStepUp, stepUpRefusal } from '../auth/stepup';
import type { ServerContext } from '../context';
import { ApiError, forbidden } from '../errors';
import { defineRoute } from '../http/route';
import {
  abandonIdempotentRequest,
  claimIdempotentRequest,
  findStoredResponse,
  releaseIdempotentRequest,
  requestFingerprint,
  storeIdempotentResponse,
  type StoredResponse,
} from './idempotency';
import { requireHeldCase } from './lookup';
import { issueVerdict } from './verdict';

export const VERDICT_ROUTE = 'POST /v1/cases/{id}/verdict';

/** The move's answer as it is stored: refusals from the state check are answers too. */
function answerOf(move: () => VerdictResponse): StoredResponse {
  try {
    return { status: 200, body: move() };
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: error.toBody() };
    throw error;
  }
}

export function registerVerdictRoute(app: FastifyInstance, ctx: ServerContext): void {
  // defineRoute checks the token, the Idempotency-Key and the body's shape, in that order; the role is
  // checked here, after the idempotency record.
  defineRoute(app, ctx, ROUTES.verdict, async (input) => {
    const { user, idempotencyKey: key, body: decision, params, request, reply } = input;
    const caseId = params.id;
    const scope = {
      userId: user.id,
      key,
      requestHash: requestFingerprint(VERDICT_ROUTE, caseId, request.body),
    };

    const stored = findStoredResponse(ctx, scope);
    if (stored) return reply.status(stored.status).send(stored.body);

    if (user.role !== 'agent') throw forbidden();
    requireHeldCase(ctx.db, caseId, user);

    // The key's claim and the step-up: one small transaction, committed before the move, so that a code the
    // server accepted stays spent even when the move's transaction fails (a full disk).
    const { lease, stepUp } = ctx.write(() => {
      const claimed = claimIdempotentRequest(ctx, scope);
      const check = checkStepUp(ctx, user, decision.totp);
      // A wrong code stays counted; the key is freed for a retry with a fresh one.
      if (check !== 'accepted') releaseIdempotentRequest(ctx.db, claimed);
      return { lease: claimed, stepUp: check };
    });
    if (stepUp !== 'accepted') throw stepUpRefusal(stepUp);
    let response: { status: number; json: string };
    try {
      response = ctx.write(() => {
        // A savepoint around the move: a refusal rolls back whatever the move wrote, and the refusal itself
        // is still stored under the key by the outer transaction.
        const answer = answerOf(() => ctx.db.transaction(() => issueVerdict(ctx, user, caseId, decision))());
        return { status: answer.status, json: storeIdempotentResponse(ctx.db, lease, answer) };
      });
    } catch (error) {
      // A full disk (or a bug) stopped the request before anything was decided: free the key for a retry.
      abandonIdempotentRequest(ctx, lease);
      throw error;
    }
    return reply.status(response.status).type('application/json; charset=utf-8').send(response.json);
  });
}
