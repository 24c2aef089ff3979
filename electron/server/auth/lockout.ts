// Sign-in throttling (DESIGN §2 "Sign-in"). Two rules, both about failed attempts (a wrong password or a
// wrong code), both keyed by the username as typed and never by whether it exists:
//
// 1. Per username and address: after 5 failures within 15 minutes, that username answers 429 locked_out to
//    that address for 15 minutes, the correct password included. Other addresses are untouched, so a
//    stranger's guesses never lock the real user out of their own desk.
// 2. Per username across all addresses, the ceiling: once a username has 50 failures within an hour,
//    guessing from many addresses is slowed. From an address the user has not signed in from in the last
//    30 days, one attempt is evaluated at a time, each after a wait that doubles with every failure past
//    the ceiling (1 s, 2 s, 4 s … up to 15 minutes); attempts during the wait are refused (429 locked_out)
//    without being evaluated or counted. That caps a distributed guesser at about 65 guesses an hour per
//    username. Their Retry-After is always the same minute, not the time left: the exact opening would
//    tell the guessers when to send their next guess, and how many failures the username has. A real user
//    told "try again in a minute" who tries again finds the wait over or is told the same again. Addresses the user signed in from recently are exempt: during an attack
//    the real user keeps signing in at the office or at home, and at a new address waits at most 15
//    minutes for the next open attempt rather than being locked out outright. Crossing the ceiling is
//    audited once per crossing.
//
// An unknown username goes through exactly the same bookkeeping (its failures counted, its pairs locked,
// its ceiling applied), so neither the status, the body, the headers nor the timing tells real usernames
// from unknown ones. The only difference is an exemption an unknown name can never have: a recent sign-in
// from this address, which only someone already signing in as that user from there would notice.
//
// Failures are never erased by a successful sign-in: the rule is "5 failures in 15 minutes", not "5 in a
// row". Resetting on success would let someone who knows the password guess codes forever (password
// right, 4 wrong codes, password right again, ...). Attempts while locked are refused without being
// evaluated or recorded, so they do not extend the lock; as a lock lasts as long as the window, the
// failures that caused it have left the window when it ends, and the pair starts again with a fresh count.
//
// A completed sign-in also makes its username and caller network (callerNetwork: an IPv4 address, an IPv6
// /64) a known pair for 30 days: an attempt of a known pair takes the password hashing gate's reserved lane
// (password-work.ts), so a stranger filling the gate cannot keep the real user out where they usually sign
// in. An unknown username is never a known pair, and neither is a real one at a network it never signed in
// from, so a stranger is in the shared lane whatever name they type.
import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import type { Lane } from './password-work';
import { callerNetwork } from '../http/caller-network';
import {
  countPairFailuresSince,
  insertSignInFailure,
  lockPair,
  pairLockedUntil,
  pruneSignInThrottle,
  rememberSignInAddress,
  rememberSignInNetwork,
  signedInFromNetworkSince,
  signedInFromSince,
  usernameFailuresSince,
} from '../sql/sign-in-throttle';

export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_LOCKOUT_MS = 15 * 60 * 1000;

export const SIGN_IN_CEILING = 50;
export const SIGN_IN_CEILING_WINDOW_MS = 60 * 60 * 1000;
export const CEILING_FIRST_DELAY_MS = 1000;
export const CEILING_MAX_DELAY_MS = 15 * 60 * 1000;
/** The Retry-After of every attempt the ceiling holds back, whatever the wait left (see above). */
export const CEILING_RETRY_AFTER_SECONDS = 60;
/** How long a successful sign-in exempts its address from the ceiling. */
export const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

/** One sign-in attempt as the throttle sees it: who it claims to be, from where, and the user if real. */
export interface SignInAttempt {
  usernameKey: string;
  address: string;
  /** Only for the audit entry's subject; the throttle itself never looks at it. */
  userId: string | null;
}

// SQLite's NOCASE, which the users table matches usernames with, folds ASCII letters only; folding the same
// way keeps one bucket per account.
const foldAscii = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

export const usernameKey = (username: string) => createHash('sha256').update(foldAscii(username)).digest('hex');

export const signInAttempt = (username: string, address: string, userId: string | null): SignInAttempt => ({
  usernameKey: usernameKey(username),
  address,
  userId,
});

const before = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** The wait after the newest failure once a username has `failures` of them in the ceiling's window. */
export const ceilingDelayMs = (failures: number) =>
  Math.min(CEILING_MAX_DELAY_MS, CEILING_FIRST_DELAY_MS * 2 ** (failures - SIGN_IN_CEILING));

/** Whether the ceiling holds this attempt back: it may not be evaluated yet. */
function heldByCeiling(ctx: ServerContext, attempt: SignInAttempt, now: Date): boolean {
  const { count, latest } = usernameFailuresSince(ctx.db, attempt.usernameKey, before(now, SIGN_IN_CEILING_WINDOW_MS));
  if (count < SIGN_IN_CEILING || !latest) return false;
  if (signedInFromSince(ctx.db, attempt, before(now, KNOWN_ADDRESS_MS))) return false;
  return Date.parse(latest) + ceilingDelayMs(count) > now.getTime();
}

/**
 * Why this attempt may not be evaluated (429 locked_out), or null when it may. Attempts refused here are
 * not recorded. Only reads: ask it inside the ctx.write() whose decision depends on the answer.
 */
export function signInRefusal(ctx: ServerContext, attempt: SignInAttempt, now: Date): LockedOut | null {
  const until = pairLockedUntil(ctx.db, attempt, now.toISOString());
  if (until) return lockedOut(new Date(until), now);
  return heldByCeiling(ctx, attempt, now) ? new LockedOut(CEILING_RETRY_AFTER_SECONDS) : null;
}

const auditSubject = (attempt: SignInAttempt) => attempt.userId ?? `unknown-username:${attempt.usernameKey.slice(0, 16)}`;

/** Records one failed attempt, locking the pair at its fifth in the window. Call inside ctx.write(). */
export function recordSignInFailure(ctx: ServerContext, attempt: SignInAttempt, now: Date): void {
  const at = now.toISOString();
  insertSignInFailure(ctx.db, attempt, at);
  const failures = countPairFailuresSince(ctx.db, attempt, before(now, SIGN_IN_WINDOW_MS));
  if (failures >= SIGN_IN_MAX_FAILURES) {
    const until = new Date(now.getTime() + SIGN_IN_LOCKOUT_MS).toISOString();
    if (lockPair(ctx.db, attempt, until, at)) {
      // The actor is the system: whoever typed the failed attempts has not proven to be the user.
      appendAudit(ctx.db, now, {
        actor: 'system',
        action: 'auth.locked_out',
        subject: auditSubject(attempt),
        data: { failures, until, address: attempt.address },
      });
    }
  }
  const { count } = usernameFailuresSince(ctx.db, attempt.usernameKey, before(now, SIGN_IN_CEILING_WINDOW_MS));
  if (count === SIGN_IN_CEILING) {
    appendAudit(ctx.db, now, {
      actor: 'system',
      action: 'auth.sign_in_ceiling_reached',
      subject: auditSubject(attempt),
      data: { failures: count, windowMinutes: SIGN_IN_CEILING_WINDOW_MS / 60_000, lastAddress: attempt.address },
    });
  }
}

/**
 * A completed sign-in exempts its address from the ceiling for a while, and makes its username and caller
 * network a known pair (see above). Call inside ctx.write().
 */
export function recordSignInSuccess(ctx: ServerContext, attempt: SignInAttempt, now: Date): void {
  rememberSignInAddress(ctx.db, attempt, now.toISOString());
  rememberSignInNetwork(ctx.db, attempt.usernameKey, callerNetwork(attempt.address), now.toISOString());
}

/**
 * The hashing gate's lane of this attempt: reserved for a known pair, shared for anyone else. One indexed
 * read, done for every attempt alike, real username or not.
 */
export function signInLane(ctx: ServerContext, attempt: SignInAttempt, now: Date): Lane {
  const known = signedInFromNetworkSince(
    ctx.db,
    attempt.usernameKey,
    callerNetwork(attempt.address),
    before(now, KNOWN_ADDRESS_MS),
  );
  return known ? 'reserved' : 'shared';
}

/** Deletes throttle rows that can no longer decide anything; for the retention job. Call inside ctx.write(). */
export function pruneSignInThrottleRows(ctx: ServerContext, now: Date): number {
  const oldestWindow = Math.max(SIGN_IN_WINDOW_MS, SIGN_IN_CEILING_WINDOW_MS);
  return pruneSignInThrottle(ctx.db, before(now, oldestWindow), before(now, KNOWN_ADDRESS_MS), now.toISOString());
}

/** 429 locked_out, with the wait in the message and in a Retry-After header. */
export class LockedOut extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(
      429,
      'locked_out',
      `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
  }

  override headers(): Record<string, string> {
    return { 'retry-after': String(this.retryAfterSeconds) };
  }
}

export function lockedOut(until: Date, now: Date): LockedOut {
  return new LockedOut(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)));
}
