// POST /v1/cases/{id}/verdict: the agent holding a case releases the escrow to the buyer or refunds it to
// the seller (DESIGN §2). The order of checks is part of the contract:
//   token → shape and Idempotency-Key → the idempotency record → role and case holder → step-up code
//   → state → the move.
// Everything up to and including the step-up stores nothing under the key; from there on the answer,
// success or refusal, is stored under the key in the same transaction as the move. The key's claim, the
// step-up, the move and its answer commit together, in one transaction shared with the verdicts that reached
// the server in the same event-loop turn (each in a savepoint of its own, db/write-batch.ts; a success's
// answer, its case's detail, is read with the batch's other cases once all have moved, and stored then), and
// are answered after a sync shared with everything committed beside them (db/group-commit.ts).
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import { checkStepUp, spendStepUpCode, stepUpRefusal, type StepUpCheck } from '../auth/stepup';
import type { ServerContext } from '../context';
import { ApiError, forbidden, unauthenticated } from '../errors';
import { defineRoute } from '../http/route';
import { bearerToken, SESSION_ENDED, sessionStillLive } from '../http/session';
import { AfterBatch } from '../db/write-batch';
import {
  answerDueInBatch,
  answeredLaterInBatch,
  claimIdempotentRequest,
  findStoredResponse,
  releaseIdempotentRequest,
  requestFingerprint,
  storeIdempotentResponse,
  type IdempotencyScope,
  type StoredResponse,
} from './idempotency';
import { batchedCaseDetail, requireCaseHolder } from './lookup';
import { verdictResult } from './settle';
import { takeVerdict } from './verdict';

export const VERDICT_ROUTE = 'POST /v1/cases/{id}/verdict';

/** What the request's transaction decided: a stored answer again, a refused code, or the answer stored now. */
type Decided =
  | { stored: StoredResponse }
  | { refused: Exclude<StepUpCheck, 'accepted'> }
  | { status: number; json: string };

/** The answer stored under the key by an earlier work of the same batch. */
function storedResponse(ctx: ServerContext, scope: IdempotencyScope): StoredResponse {
  const stored = findStoredResponse(ctx, scope);
  if (!stored) throw new Error('The answer due in this batch was not stored.');
  return stored;
}

/** The move's refusal by the state check, as it is stored (refusals are answers too); null when it moved. */
function refusalOf(move: () => void): StoredResponse | null {
  try {
    move();
    return null;
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
    const token = bearerToken(request);
    const scope = {
      userId: user.id,
      key,
      requestHash: requestFingerprint(VERDICT_ROUTE, caseId, request.body),
    };

    // One transaction, shared with the verdicts that arrived in the same event-loop turn (ctx.writeBatched).
    // Everything from the idempotency record on is decided in it: between this request's arrival and its
    // turn, another with the same key may have been answered, or the session signed out. A refused code
    // commits what the refusal wrote (the wrong code counted, the key's claim freed for a retry with a fresh
    // code) and is answered after.
    let checkedAt: Date | null = null;
    let accepted = false;
    let outcome: Decided;
    try {
      outcome = await ctx.writeBatched<Decided>((batch) => {
        // The work may run twice: again alone when the transaction it shared failed for another's sake.
        accepted = false;
        checkedAt = null;
        if (!token || !sessionStillLive(ctx, token)) throw unauthenticated(SESSION_ENDED);
        if (answeredLaterInBatch(ctx, batch, scope)) {
          return new AfterBatch(() => ({ stored: storedResponse(ctx, scope) }));
        }
        const stored = findStoredResponse(ctx, scope);
        if (stored) return { stored };
        if (user.role !== 'agent') throw forbidden();
        requireCaseHolder(ctx.db, caseId, user);
        // The clock is read once the write lock is held: waiting for it must not stretch the code's window.
        checkedAt = ctx.now();
        const lease = claimIdempotentRequest(ctx, scope);
        const stepUp = checkStepUp(ctx, user, decision.totp, checkedAt);
        if (stepUp !== 'accepted') {
          releaseIdempotentRequest(ctx.db, lease);
          return { refused: stepUp };
        }
        accepted = true;
        // A savepoint around the move: a refusal rolls back whatever the move wrote, and the refusal itself
        // is still stored under the key by the outer transaction.
        const refusal = refusalOf(() => ctx.db.transaction(() => takeVerdict(ctx, user, caseId, decision))());
        if (refusal) return { status: refusal.status, json: storeIdempotentResponse(ctx.db, lease, refusal) };
        // The answer is the case as the batch leaves it, read with the batch's other cases once all moved.
        const detail = batchedCaseDetail(ctx, batch, caseId);
        answerDueInBatch(batch, lease);
        return new AfterBatch(() => {
          const answer = { status: 200, body: verdictResult(detail()) } satisfies StoredResponse;
          return { status: answer.status, json: storeIdempotentResponse(ctx.db, lease, answer) };
        });
      });
    } catch (error) {
      // A full disk (or a bug) stopped the request before anything was decided: its savepoint or the whole
      // shared transaction rolled back, the key's claim with it, so a retry may use the key. A code the step-up
      // accepted stays spent all the same, if the store takes that one small write; the client hears of the
      // failure that stopped the request either way.
      if (accepted && checkedAt) {
        try {
          spendStepUpCode(ctx, user, decision.totp, checkedAt);
        } catch (spendError) {
          request.log.warn({ err: spendError }, 'could not spend the step-up code of a verdict that failed');
        }
      }
      throw error;
    }
    if ('stored' in outcome) return reply.status(outcome.stored.status).send(outcome.stored.body);
    if ('refused' in outcome) throw stepUpRefusal(outcome.refused);
    return reply.status(outcome.status).type('application/json; charset=utf-8').send(outcome.json);
  });
}
