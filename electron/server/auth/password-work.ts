// Admission to password hashing (issue #11 review). One scrypt at OWASP's cost is 128 MiB and about 0.4 s
// of a core: a handful of addresses could queue hundreds of hashes, holding gigabytes and libuv's four
// threads (which evidence reads and PDFs need too) for minutes. So at most `running` hashes run at once and
// at most `waiting` more wait for a turn; a request beyond that is answered at once `503 sign_in_busy` with
// Retry-After, never queued.
//
// Fair shares per caller address, so that a stranger filling the gate cannot keep a real user out (the
// review's finding: four addresses sending random usernames below the per-address rate limit had the real
// user refused 7 times out of 8). Each address (an IPv6 caller by its /64, callerNetwork) may have
// `perAddress.running` hashes running and `perAddress.waiting` waiting; past that it alone is refused.
// A free slot goes to the waiting address that has gone longest without a turn (one that never had one
// first), not to the oldest request, so a newcomer starts at the next slot free to it, however fast the
// others refill their lines.
// And when the whole line is full, a newcomer takes the place of the newest waiter of the address with the
// longest line, if that line is longer than the newcomer's would be: the line stays shared evenly, and only
// as many addresses as it has places can crowd a newcomer out.
//
// The refusal reveals nothing: it comes before the password is checked, for a known username, an unknown
// one (checked against the decoy hash, so it passes here too) and an invitation alike, with the same
// status, body and header, and it is not counted as a failed attempt by the sign-in throttle.
import { availableParallelism } from 'node:os';
import { ApiError } from '../errors';
import { callerNetwork } from '../http/caller-network';
import type { ScryptCost } from './passwords';

export interface PasswordWorkLimits {
  /** Hashes computed at once. */
  running: number;
  /** Hashes waiting for a turn; one more is refused, or takes the place of a greedier address's. */
  waiting: number;
  /** What one caller address may hold of those. */
  perAddress: { running: number; waiting: number };
}

/**
 * Two per core, and a line four times as long: a turn comes within a couple of hashes' time. (libuv runs
 * four at a time unless UV_THREADPOOL_SIZE says more; those past it wait there without scrypt's memory.)
 * One address hashes one password at a time with two more waiting: a person signs in once, and an office
 * behind one address whose sign-ins collide is told to retry in two seconds.
 */
export function defaultPasswordWorkLimits(cores = availableParallelism()): PasswordWorkLimits {
  const running = 2 * cores;
  return { running, waiting: 4 * running, perAddress: { running: 1, waiting: 2 } };
}

/** The hashing itself: passwords.ts, or in tests a wrapper that holds a hash to act meanwhile. */
export interface Scrypt {
  hash(secret: string, cost: ScryptCost): Promise<string>;
  verify(secret: string, stored: string): Promise<boolean>;
}

/**
 * Hashing of request passwords, through the admission gate, at the configured cost. `address` is the
 * caller's IP address (request.ip, which follows DISPUTE_DESK_TRUSTED_PROXIES): its share of the gate.
 */
export interface PasswordWork {
  hash(secret: string, address: string): Promise<string>;
  verify(secret: string, stored: string, address: string): Promise<boolean>;
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

interface Turn {
  start(): void;
  refuse(busy: SignInBusy): void;
}

/** One address's share: its hashes running, and its turns waiting, oldest first. */
interface Caller {
  network: string;
  running: number;
  line: Turn[];
  /** When it last started a hash, in the gate's count of turns: 0 for never. */
  lastTurn: number;
}

/** A counting semaphore with a bounded line, shared fairly between caller addresses (see above). */
export class FairGate {
  private running = 0;
  private waiting = 0;
  private turns = 0;
  private readonly callers = new Map<string, Caller>();
  /** The addresses with a turn waiting. */
  private readonly waitingCallers: Caller[] = [];

  constructor(private readonly limits: PasswordWorkLimits) {}

  async run<T>(address: string, task: () => Promise<T>): Promise<T> {
    const caller = this.callerOf(callerNetwork(address));
    try {
      await this.admit(caller);
    } catch (error) {
      this.forgetIfIdle(caller);
      throw error;
    }
    try {
      return await task();
    } finally {
      caller.running -= 1;
      this.running -= 1;
      this.forgetIfIdle(caller);
      this.startTurns();
    }
  }

  private admit(caller: Caller): Promise<void> {
    // Whoever waits is at its address's running limit (startTurns starts the others), so a caller under
    // that limit with a slot free goes first without jumping anyone's turn.
    if (this.running < this.limits.running && caller.running < this.limits.perAddress.running) {
      this.begin(caller);
      return Promise.resolve();
    }
    if (caller.line.length >= this.limits.perAddress.waiting) throw new SignInBusy();
    if (this.waiting >= this.limits.waiting && !this.makeRoomFor(caller)) throw new SignInBusy();
    return new Promise((start, refuse) => {
      if (caller.line.length === 0) this.waitingCallers.push(caller);
      caller.line.push({ start, refuse });
      this.waiting += 1;
    });
  }

  /** Refuses the newest waiter of the longest line if it is longer than `caller`'s would be. */
  private makeRoomFor(caller: Caller): boolean {
    if (this.waitingCallers.length === 0) return false;
    const longest = this.waitingCallers.reduce((a, b) => (b.line.length > a.line.length ? b : a));
    if (longest.line.length <= caller.line.length + 1) return false;
    longest.line.pop()!.refuse(new SignInBusy());
    this.waiting -= 1;
    if (longest.line.length === 0) this.waitingCallers.splice(this.waitingCallers.indexOf(longest), 1);
    return true;
  }

  /** Gives the free slots out, one turn at a time (see above). */
  private startTurns(): void {
    while (this.running < this.limits.running) {
      const next = this.nextInTurn();
      if (!next) return;
      const turn = next.line.shift()!;
      this.waiting -= 1;
      if (next.line.length === 0) this.waitingCallers.splice(this.waitingCallers.indexOf(next), 1);
      this.begin(next);
      turn.start();
    }
  }

  /** The waiting address that may run one more hash and has gone longest without a turn. */
  private nextInTurn(): Caller | undefined {
    let next: Caller | undefined;
    for (const caller of this.waitingCallers) {
      if (caller.running >= this.limits.perAddress.running) continue;
      if (!next || caller.lastTurn < next.lastTurn) next = caller;
    }
    return next;
  }

  private begin(caller: Caller): void {
    caller.running += 1;
    caller.lastTurn = ++this.turns;
    this.running += 1;
  }

  private callerOf(network: string): Caller {
    let caller = this.callers.get(network);
    if (!caller) {
      caller = { network, running: 0, line: [], lastTurn: 0 };
      this.callers.set(network, caller);
    }
    return caller;
  }

  /** Keeps the map as small as the gate: an address with nothing running or waiting is dropped. */
  private forgetIfIdle(caller: Caller): void {
    if (caller.running === 0 && caller.line.length === 0) this.callers.delete(caller.network);
  }
}

export function createPasswordWork(limits: PasswordWorkLimits, cost: ScryptCost, scrypt: Scrypt): PasswordWork {
  const gate = new FairGate(limits);
  return {
    hash: (secret, address) => gate.run(address, () => scrypt.hash(secret, cost)),
    verify: (secret, stored, address) => gate.run(address, () => scrypt.verify(secret, stored)),
  };
}
