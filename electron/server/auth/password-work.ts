// Admission to password hashing (issue #11 review). One scrypt at OWASP's cost is 128 MiB and about 0.4 s
// of a core, and the sign-in routes take 300 requests a minute from each address: a handful of addresses
// could queue hundreds of hashes, holding gigabytes and libuv's four threads (which evidence reads and PDFs
// need too) for minutes. So at most `running` hashes run at once and at most `waiting` more wait for a
// turn; a request beyond that is answered at once `503 sign_in_busy` with Retry-After, never queued.
//
// The refusal reveals nothing: it comes before the password is checked, for a known username, an unknown
// one (checked against the decoy hash, so it passes here too) and an invitation alike, with the same
// status, body and header, and it is not counted as a failed attempt by the sign-in throttle.
import { availableParallelism } from 'node:os';
import { ApiError } from '../errors';
import type { ScryptCost } from './passwords';

export interface PasswordWorkLimits {
  /** Hashes computed at once. */
  running: number;
  /** Hashes waiting for a turn; one more is refused. */
  waiting: number;
}

/**
 * Two per core, and a line four times as long: a turn comes within a couple of hashes' time. (libuv runs
 * four at a time unless UV_THREADPOOL_SIZE says more; those past it wait there without scrypt's memory.)
 */
export function defaultPasswordWorkLimits(cores = availableParallelism()): PasswordWorkLimits {
  const running = 2 * cores;
  return { running, waiting: 4 * running };
}

/** The hashing itself: passwords.ts, or in tests a wrapper that holds a hash to act meanwhile. */
export interface Scrypt {
  hash(secret: string, cost: ScryptCost): Promise<string>;
  verify(secret: string, stored: string): Promise<boolean>;
}

/** Hashing of request passwords, through the admission gate, at the configured cost. */
export interface PasswordWork {
  hash(secret: string): Promise<string>;
  verify(secret: string, stored: string): Promise<boolean>;
}

/** A waiting hash takes about waiting/running hashes' time (a couple of seconds) to start. */
export const SIGN_IN_BUSY_RETRY_AFTER_SECONDS = 2;

export class SignInBusy extends ApiError {
  constructor() {
    super(503, 'sign_in_busy', 'The server is busy with other sign-ins. Try again in a few seconds.');
  }

  override headers(): Record<string, string> {
    return { 'retry-after': String(SIGN_IN_BUSY_RETRY_AFTER_SECONDS) };
  }
}

/** A counting semaphore whose line has a length: past it, `run` refuses at once. */
class BoundedGate {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(private readonly limits: PasswordWorkLimits) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.running) this.running += 1;
    else if (this.line.length < this.limits.waiting) await new Promise<void>((turn) => this.line.push(turn));
    else throw new SignInBusy();
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, so `running` counts it without a gap.
      const next = this.line.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

export function createPasswordWork(limits: PasswordWorkLimits, cost: ScryptCost, scrypt: Scrypt): PasswordWork {
  const gate = new BoundedGate(limits);
  return {
    hash: (secret) => gate.run(() => scrypt.hash(secret, cost)),
    verify: (secret, stored) => gate.run(() => scrypt.verify(secret, stored)),
  };
}
