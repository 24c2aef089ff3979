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
// Layered for IPv6 (the review's second finding: 20 /64s of one /56 filled the gate and a real user at
// another address got 503). A /64 is one address's share, but one subscriber holds a /56 or a /48 of them:
// so a /56 and a /48 as a whole may hold only a few hashes, running and waiting together, whatever the
// number of /64s they come from (callerPrefixes). IPv4 callers are counted per address only.
//
// A reserved lane, for whoever a stranger with more networks still could crowd out: at least
// `reserved.running` slots, and a short line of their own, are kept for attempts of a known pair, a
// username that completed a sign-in from this caller network within the last 30 days (lockout.ts). Their
// turns come before the shared line's, and when their own line is full they queue in the shared one like
// anyone. Everyone else, strangers and first sign-ins from a new network alike, shares the other slots.
// Which lane an attempt takes is decided by one read done for every attempt alike, before the gate; an
// unknown username can never be a known pair, so a stranger at a network the user never signed in from
// sees the same shared lane and the same refusal whatever the username.
//
// The refusal reveals nothing: it comes before the password is checked, for a known username, an unknown
// one (checked against the decoy hash, so it passes here too) and an invitation alike, with the same
// status, body and header, and it is not counted as a failed attempt by the sign-in throttle.
import { availableParallelism } from 'node:os';
import { ApiError } from '../errors';
import { callerNetwork, callerPrefixes } from '../http/caller-network';
import type { ScryptCost } from './passwords';

export interface PasswordWorkLimits {
  /** Hashes computed at once, both lanes together. */
  running: number;
  /** Hashes waiting for a turn in the shared line; one more is refused, or takes a greedier caller's place. */
  waiting: number;
  /** What one caller address (an IPv6 caller by its /64) may hold of those. */
  perAddress: { running: number; waiting: number };
  /** What one IPv6 /56 and one /48 may hold, running and waiting together, across all their /64s. */
  perPrefix: { slash56: number; slash48: number };
  /** Slots only known pairs may use, and the length of their own line (see above). */
  reserved: { running: number; waiting: number };
}

/**
 * Two per core, and a line four times as long: a turn comes within a couple of hashes' time. (libuv runs
 * four at a time unless UV_THREADPOOL_SIZE says more; those past it wait there without scrypt's memory.)
 * One address hashes one password at a time with two more waiting: a person signs in once, and an office
 * behind one address whose sign-ins collide is told to retry in two seconds. A /56 holds at most what two
 * such addresses could, a /48 what three could; one slot and a line of four are kept for known pairs.
 */
export function defaultPasswordWorkLimits(cores = availableParallelism()): PasswordWorkLimits {
  const running = 2 * cores;
  return {
    running,
    waiting: 4 * running,
    perAddress: { running: 1, waiting: 2 },
    perPrefix: { slash56: 6, slash48: 9 },
    reserved: { running: 1, waiting: 4 },
  };
}

/** The hashing itself: passwords.ts, or in tests a wrapper that holds a hash to act meanwhile. */
export interface Scrypt {
  hash(secret: string, cost: ScryptCost): Promise<string>;
  verify(secret: string, stored: string): Promise<boolean>;
}

/** Which lane of the gate an attempt takes: `reserved` only for a known pair (see above). */
export type Lane = 'shared' | 'reserved';

/**
 * Hashing of request passwords, through the admission gate, at the configured cost. `address` is the
 * caller's IP address (request.ip, which follows DISPUTE_DESK_TRUSTED_PROXIES): its share of the gate.
 */
export interface PasswordWork {
  hash(secret: string, address: string, lane?: Lane): Promise<string>;
  verify(secret: string, stored: string, address: string, lane?: Lane): Promise<boolean>;
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

/** One address's share in a lane: its hashes running, and its turns waiting, oldest first. */
interface Caller {
  network: string;
  /** Its IPv6 /56 and /48 (none for IPv4), each capped in what it holds. */
  prefixes: string[];
  running: number;
  line: Turn[];
  /** When it last started a hash, in the gate's count of turns: 0 for never. */
  lastTurn: number;
}

/** What both lanes draw on: the gate's running hashes and its count of turns. */
interface Pool {
  running: number;
  turns: number;
}

interface LaneLimits {
  waiting: number;
  perAddress: { running: number; waiting: number };
  /** Caps of a caller's prefixes, in callerPrefixes' order (/56, /48). */
  perPrefix: number[];
}

/** One lane's line, shared fairly between caller addresses (see above); `slotFree` says if it may start one. */
class LaneLine {
  running = 0;
  private waiting = 0;
  private readonly callers = new Map<string, Caller>();
  /** The addresses with a turn waiting. */
  private readonly waitingCallers: Caller[] = [];
  /** Hashes running or waiting per IPv6 prefix. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly pool: Pool,
    private readonly limits: LaneLimits,
    private readonly slotFree: () => boolean,
  ) {}

  async admit(address: string): Promise<Caller> {
    const caller = this.callerOf(address);
    try {
      await this.wait(caller);
    } catch (error) {
      this.forgetIfIdle(caller);
      throw error;
    }
    return caller;
  }

  finish(caller: Caller): void {
    caller.running -= 1;
    this.running -= 1;
    this.pool.running -= 1;
    this.hold(caller, -1);
    this.forgetIfIdle(caller);
  }

  private wait(caller: Caller): Promise<void> {
    if (this.prefixFull(caller)) throw new SignInBusy();
    // Whoever waits is at its address's running limit or found no slot free to this lane (startTurns starts
    // the others as slots free up), so a caller who finds both goes first without jumping anyone's turn.
    if (this.slotFree() && caller.running < this.limits.perAddress.running) {
      this.hold(caller, 1);
      this.begin(caller);
      return Promise.resolve();
    }
    if (caller.line.length >= this.limits.perAddress.waiting) throw new SignInBusy();
    if (this.waiting >= this.limits.waiting && !this.makeRoomFor(caller)) throw new SignInBusy();
    this.hold(caller, 1);
    return new Promise((start, refuse) => {
      if (caller.line.length === 0) this.waitingCallers.push(caller);
      caller.line.push({ start, refuse });
      this.waiting += 1;
    });
  }

  private prefixFull(caller: Caller): boolean {
    return caller.prefixes.some((prefix, i) => (this.held.get(prefix) ?? 0) >= this.limits.perPrefix[i]!);
  }

  private hold(caller: Caller, change: 1 | -1): void {
    for (const prefix of caller.prefixes) {
      const count = (this.held.get(prefix) ?? 0) + change;
      if (count === 0) this.held.delete(prefix);
      else this.held.set(prefix, count);
    }
  }

  /** Refuses the newest waiter of the longest line if it is longer than `caller`'s would be. */
  private makeRoomFor(caller: Caller): boolean {
    if (this.waitingCallers.length === 0) return false;
    const longest = this.waitingCallers.reduce((a, b) => (b.line.length > a.line.length ? b : a));
    if (longest.line.length <= caller.line.length + 1) return false;
    longest.line.pop()!.refuse(new SignInBusy());
    this.waiting -= 1;
    this.hold(longest, -1);
    if (longest.line.length === 0) this.waitingCallers.splice(this.waitingCallers.indexOf(longest), 1);
    return true;
  }

  /** Gives the slots free to this lane out, one turn at a time (see above). */
  startTurns(): void {
    while (this.slotFree()) {
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
    caller.lastTurn = ++this.pool.turns;
    this.running += 1;
    this.pool.running += 1;
  }

  private callerOf(address: string): Caller {
    const network = callerNetwork(address);
    let caller = this.callers.get(network);
    if (!caller) {
      caller = { network, prefixes: callerPrefixes(address), running: 0, line: [], lastTurn: 0 };
      this.callers.set(network, caller);
    }
    return caller;
  }

  /** Keeps the map as small as the gate: an address with nothing running or waiting is dropped. */
  private forgetIfIdle(caller: Caller): void {
    if (caller.running === 0 && caller.line.length === 0) this.callers.delete(caller.network);
  }
}

/** A counting semaphore with two bounded lines, each shared fairly between caller addresses (see above). */
export class FairGate {
  private readonly pool: Pool = { running: 0, turns: 0 };
  private readonly shared: LaneLine;
  private readonly reserved: LaneLine;

  constructor(limits: PasswordWorkLimits) {
    const perPrefix = [limits.perPrefix.slash56, limits.perPrefix.slash48];
    const sharedSlots = limits.running - limits.reserved.running;
    this.shared = new LaneLine(
      this.pool,
      { waiting: limits.waiting, perAddress: limits.perAddress, perPrefix },
      () => this.pool.running < limits.running && this.shared.running < sharedSlots,
    );
    this.reserved = new LaneLine(
      this.pool,
      { waiting: limits.reserved.waiting, perAddress: limits.perAddress, perPrefix },
      () => this.pool.running < limits.running,
    );
  }

  async run<T>(address: string, task: () => Promise<T>, lane: Lane = 'shared'): Promise<T> {
    const [line, caller] = await this.admit(address, lane);
    try {
      return await task();
    } finally {
      line.finish(caller);
      // The reserved line first: its slots are what it is kept for, and its line is short.
      this.reserved.startTurns();
      this.shared.startTurns();
    }
  }

  /** A known pair's attempt whose own line is full queues in the shared one, like anyone's. */
  private async admit(address: string, lane: Lane): Promise<[LaneLine, Caller]> {
    if (lane === 'reserved') {
      try {
        return [this.reserved, await this.reserved.admit(address)];
      } catch (error) {
        if (!(error instanceof SignInBusy)) throw error;
      }
    }
    return [this.shared, await this.shared.admit(address)];
  }
}

export function createPasswordWork(limits: PasswordWorkLimits, cost: ScryptCost, scrypt: Scrypt): PasswordWork {
  const gate = new FairGate(limits);
  return {
    hash: (secret, address, lane) => gate.run(address, () => scrypt.hash(secret, cost), lane),
    verify: (secret, stored, address, lane) => gate.run(address, () => scrypt.verify(secret, stored), lane),
  };
}
