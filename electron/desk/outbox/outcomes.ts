// What a failed attempt means for a command: try again later, wait for the user to sign in again, ask for
// a fresh code, or stop for good with a message a person can act on. The rule of thumb: retry only when
// the server did not take a position (unreachable, busy, broken); a refusal is final and said as such.
// One answer is no refusal at all: 409 already_applied says the server carried the command out under its
// key before and no longer keeps the answer (a retry days later): the command is confirmed.
import type { ErrorCode } from '../../../shared/api/errors';
import { STEP_UP_KINDS, type OutboxKind } from '../../../shared/desk-api/schemas';
import type { CallFailure } from './platform';

/** The error a command keeps for the renderer: always a code of the one list (shared/api/errors.ts). */
export interface OutcomeError {
  code: ErrorCode;
  message: string;
}

export type FailureOutcome =
  | { next: 'retry'; error: OutcomeError }
  | { next: 'wait_for_sign_in'; error: OutcomeError }
  | { next: 'needs_code'; error: OutcomeError }
  | { next: 'failed'; error: OutcomeError }
  | { next: 'confirmed'; error: null };

const COMMAND_LABELS: Record<OutboxKind, string> = {
  claim: 'The claim',
  message: 'The message',
  note: 'The note',
  liveness_request: 'The Proof of Life request',
  verdict: 'The verdict',
  hold: 'The hold',
  lift_hold: 'Lifting the hold',
  alert_assign: 'The assignment',
  alert_decision: 'The decision on the alert',
  approve: 'The approval',
  send_back: 'Sending the proposal back',
  reassign: 'The reassignment',
};

/** Refusals the agent meets in ordinary work, worded for the outbox ("was not applied: …"). */
const REFUSAL_REASONS: Partial<Record<ErrorCode, string>> = {
  case_already_resolved:
    'the case was already decided (by another agent or another desk) and its escrow has moved.',
  escrow_on_hold: 'compliance has put this escrow on hold; nothing can move until the hold is lifted.',
  case_claimed: 'another agent holds this case.',
  verdict_pending_approval: 'a verdict on this case is already waiting for a supervisor’s approval.',
  not_case_holder: 'you no longer hold this case (a supervisor may have reassigned it).',
  case_not_in_review: 'the case must be claimed before it can be decided.',
  forbidden: 'your role may not do this.',
  not_found: 'the server does not know this case or alert.',
  alert_already_decided: 'the alert was already decided (by another reviewer or another desk).',
  escrow_not_on_hold: 'the escrow is not on hold (someone lifted the hold already).',
  no_proposed_verdict: 'the case has no verdict waiting for approval (another supervisor may have decided it).',
  already_assigned: 'that agent already holds this case.',
};

/** Where one refusal means something particular for one kind of command. */
const KIND_REFUSAL_REASONS: Partial<Record<OutboxKind, Partial<Record<ErrorCode, string>>>> = {
  // The server refuses the proposer (four-eyes), whatever their role: the generic wording would mislead.
  approve: {
    forbidden: 'you proposed this verdict; another supervisor must approve it.',
    issuer_may_not_approve:
      'one person could act as both of you: you and the agent who proposed it share someone who issued a sign-in (directly or through others); another supervisor must approve it.',
  },
};

const STALE_CODE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  invalid_totp:
    'The authentication code was not valid when the command reached the server. Enter a fresh code to send it again.',
  totp_replayed: 'That authentication code was already used. Enter the next code to send it again.',
};

/**
 * The server could not store the request (503) and kept nothing of it. A step-up command's code was spent
 * all the same: the step-up records a used code in its own write, so that a refused code is never rolled back
 * into a free retry (electron/server/auth/stepup.ts). Retrying would only send a spent code again.
 */
const STORAGE_FAILURES: Partial<Record<ErrorCode, string>> = {
  storage_full: 'its storage is full',
  storage_unavailable: 'its storage failed',
};

/** Answers that say "not now" rather than "no": the same request may succeed later. */
function isTransient(status: number, code: ErrorCode): boolean {
  return status >= 500 || status === 408 || status === 429 || code === 'idempotency_key_in_flight';
}

export function outcomeOfFailure(kind: OutboxKind, failure: CallFailure): FailureOutcome {
  if (failure.kind === 'unreachable') {
    return {
      next: 'retry',
      error: { code: 'offline', message: 'The server could not be reached. The desk keeps trying.' },
    };
  }
  if (failure.kind === 'signed_out' || failure.status === 401) {
    return {
      next: 'wait_for_sign_in',
      error: {
        code: 'unauthenticated',
        message: 'Your session ended. This goes out when you sign in again.',
      },
    };
  }
  const { status, code } = failure;
  if (code === 'already_applied') return { next: 'confirmed', error: null };
  const isStepUp = (STEP_UP_KINDS as readonly OutboxKind[]).includes(kind);
  const storageFailure = STORAGE_FAILURES[code];
  if (isStepUp && status === 503 && storageFailure) {
    const message =
      `${COMMAND_LABELS[kind]} was not applied: the server could not save it (${storageFailure}) and nothing was ` +
      'kept. The code it checked is now spent: enter a fresh code to send it again.';
    return { next: 'needs_code', error: { code, message } };
  }
  if (isTransient(status, code)) {
    return { next: 'retry', error: { code, message: `${failure.message} The desk keeps trying.` } };
  }
  const staleCode = STALE_CODE_MESSAGES[code];
  if (isStepUp && status === 403 && staleCode)
    return { next: 'needs_code', error: { code, message: staleCode } };
  const reason = KIND_REFUSAL_REASONS[kind]?.[code] ?? REFUSAL_REASONS[code] ?? failure.message;
  return { next: 'failed', error: { code, message: `${COMMAND_LABELS[kind]} was not applied: ${reason}` } };
}
