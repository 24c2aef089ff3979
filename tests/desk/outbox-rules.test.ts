// The outbox's rules as pure functions: which failures are retried, which wait for a sign-in, which ask
// for a fresh code and which are final; and how the retry delay grows.
import { describe, expect, it } from 'vitest';
import { OfflineError, PlatformError, SignedOutError } from '../../electron/desk/api-client';
import { DEFAULT_BACKOFF, retryDelayMs } from '../../electron/desk/outbox/backoff';
import { outcomeOfFailure } from '../../electron/desk/outbox/outcomes';
import { callFailureOf } from '../../electron/desk/outbox/platform';

const answered = (status: number, code: PlatformError['code']) =>
  callFailureOf(new PlatformError(status, code, `Server says ${code}.`));

describe('outcomeOfFailure', () => {
  it.each([
    ['no connection', callFailureOf(new OfflineError('offline', 'The server cannot be reached.')), 'retry'],
    ['a timeout', callFailureOf(new OfflineError('timeout', 'The server did not answer in time.')), 'retry'],
    ['an unexpected error', callFailureOf(new TypeError('socket hang up')), 'retry'],
    ['a server error', answered(500, 'http_500'), 'retry'],
    ['a busy server', answered(503, 'http_503'), 'retry'],
    // The verdict's code was spent by the step-up all the same: sending it again is pointless.
    ['a full disk on the server (nothing was stored)', answered(503, 'storage_full'), 'needs_code'],
    ['a failing disk on the server', answered(503, 'storage_unavailable'), 'needs_code'],
    ['a rate limit', answered(429, 'rate_limited'), 'retry'],
    ['the same key still in flight', answered(409, 'idempotency_key_in_flight'), 'retry'],
    ['an expired session', answered(401, 'unauthenticated'), 'wait_for_sign_in'],
    ['no session at all', callFailureOf(new SignedOutError()), 'wait_for_sign_in'],
    ['already decided', answered(409, 'case_already_resolved'), 'failed'],
    ['on hold', answered(409, 'escrow_on_hold'), 'failed'],
    ['claimed by another agent', answered(409, 'case_claimed'), 'failed'],
    ['awaiting approval', answered(409, 'verdict_pending_approval'), 'failed'],
    ['a different body under the key', answered(422, 'idempotency_key_reused'), 'failed'],
    ['not the holder', answered(403, 'not_case_holder'), 'failed'],
    ['an invalid request', answered(400, 'invalid_request'), 'failed'],
    ['an unknown case', answered(404, 'not_found'), 'failed'],
    ['carried out before, its answer no longer kept (a retry days later)', answered(409, 'already_applied'), 'confirmed'],
  ] as const)('%s → %s', (_what, failure, next) => {
    expect(outcomeOfFailure('verdict', failure).next).toBe(next);
  });

  it('asks for a fresh code only for a verdict whose code was refused', () => {
    expect(outcomeOfFailure('verdict', answered(403, 'invalid_totp')).next).toBe('needs_code');
    expect(outcomeOfFailure('verdict', answered(403, 'totp_replayed')).next).toBe('needs_code');
    expect(outcomeOfFailure('claim', answered(403, 'invalid_totp')).next).toBe('failed');
  });

  it('retries a command without a code on a full disk, and asks for a fresh code for each step-up command', () => {
    expect(outcomeOfFailure('claim', answered(503, 'storage_full')).next).toBe('retry');
    expect(outcomeOfFailure('note', answered(503, 'storage_unavailable')).next).toBe('retry');
    for (const kind of ['verdict', 'lift_hold', 'approve', 'send_back'] as const)
      expect(outcomeOfFailure(kind, answered(503, 'storage_full')).next, kind).toBe('needs_code');
    expect(outcomeOfFailure('approve', answered(503, 'storage_full')).error).toEqual({
      code: 'storage_full',
      message:
        'The approval was not applied: the server could not save it (its storage is full) and nothing was kept. ' +
        'The code it checked is now spent: enter a fresh code to send it again.',
    });
  });

  it('words a refusal for the command it stopped, keeping the server code', () => {
    expect(outcomeOfFailure('claim', answered(409, 'case_claimed')).error).toEqual({
      code: 'case_claimed',
      message: 'The claim was not applied: another agent holds this case.',
    });
    expect(outcomeOfFailure('note', answered(400, 'invalid_request')).error).toEqual({
      code: 'invalid_request',
      message: 'The note was not applied: Server says invalid_request.',
    });
  });
});

describe('retryDelayMs', () => {
  const noJitter = () => 0.5;

  it('doubles from the base delay up to the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempts) =>
      retryDelayMs(DEFAULT_BACKOFF, attempts, noJitter),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(retryDelayMs(DEFAULT_BACKOFF, 10_000, noJitter)).toBe(60_000);
  });

  it('spreads retries by up to a fifth either way', () => {
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, () => 0)).toBe(800);
    expect(retryDelayMs(DEFAULT_BACKOFF, 1, () => 0.999_999)).toBe(1_200);
  });
});
