// The delivery worker: sends the queued outbound events to the exchange, one at a time, in queue order
// (per trade strictly: a later event of a trade waits for the earlier one), signed as Standard Webhooks
// do with a fresh `webhook-timestamp` on every attempt and the same `webhook-id`.
//
// Delivery is at least once. A 2xx answer marks the row delivered; anything else, a timeout or a refused
// connection is a failed attempt, tried again after a growing pause (backoff.ts) until the worker gives up
// (`failed`, in the delivery log). A row being sent when the server died is sent again after a restart
// (its claim lapses), so the exchange may see an event twice: it dedupes by `webhook-id`.
//
// The worker never runs inside a request: it wakes after a transaction that queued rows has ended (or on
// its poll, for rows another process queued), and everything it awaits is the network.
import { EventEmitter } from 'node:events';
import type { OutboundDeliveryTuning, OutboundTarget } from '../config';
import type { ServerContext } from '../context';
import {
  claimDelivery,
  earliestPendingAt,
  markAttemptFailed,
  markDelivered,
  nextDueDelivery,
  releaseDelivery,
  type DueDelivery,
} from '../sql/outbound';
import { signedHeaders } from '../webhooks/standard-webhooks';
import { retryDelayMs } from './backoff';
import { OUTBOUND_QUEUED } from './enqueue';

/** Beyond the request's own timeout, how long a claim on a row lasts before another sender may take it. */
const CLAIM_MARGIN_MS = 30_000;

export interface AttemptOutcome {
  id: string;
  /** This attempt's number, from 1. */
  attempt: number;
  status: number | null;
  delivered: boolean;
  error: string | null;
  /** When it is tried again; null once delivered or given up. */
  retryAt: string | null;
  /** The signed headers this attempt carried. */
  headers: Record<string, string>;
}

export interface DeliveryWorker {
  /** Looks for due rows now (they are also found on the poll). */
  wake(): void;
  /** Resolves once nothing is due now and no attempt is in flight (what tests wait on). */
  idle(): Promise<void>;
  /** Stops: an attempt in flight is abandoned and its row left due at once, to be sent again. */
  stop(): Promise<void>;
  /** `attempt` with an AttemptOutcome after each attempt is recorded: what tests wait on. */
  events: EventEmitter;
}

export interface DeliveryWorkerOptions {
  tuning: OutboundDeliveryTuning;
  /** The jitter's source, 0 ≤ x < 1. */
  random?: () => number;
  log: { warn(message: string): void };
}

type Attempt = { status: number; error: string | null } | { status: null; error: string };

/** A short, secret-free account of why a request failed: the kind of failure, never a body or a URL. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return timeoutMs < 1000
      ? `no answer within ${timeoutMs} ms`
      : `no answer within ${Math.round(timeoutMs / 1000)} s`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code.slice(0, 40) : null;
  return code ? `could not reach the exchange (${code})` : 'could not reach the exchange';
}

export function startDeliveryWorker(
  ctx: ServerContext,
  target: OutboundTarget,
  options: DeliveryWorkerOptions,
): DeliveryWorker {
  const { tuning, log } = options;
  const random = options.random ?? Math.random;
  const events = new EventEmitter();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let wakeAgain = false;
  let inFlight: AbortController | null = null;

  async function send(
    row: DueDelivery,
    signal: AbortSignal,
  ): Promise<{ attempt: Attempt; headers: Record<string, string> }> {
    const headers = { ...signedHeaders(target.secrets, row.id, row.body, ctx.now()) };
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'dispute-desk-outbound/1' },
        body: row.body,
        // A redirect is not an acknowledgement: the signed event is only ever sent to the configured URL.
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel();
      const ok = response.status >= 200 && response.status < 300;
      return {
        attempt: { status: response.status, error: ok ? null : `the exchange answered ${response.status}` },
        headers,
      };
    } catch (error) {
      if (stopped) throw error;
      return { attempt: { status: null, error: describeFailure(error, tuning.timeoutMs) }, headers };
    }
  }

  function record(row: DueDelivery, attempt: Attempt): Omit<AttemptOutcome, 'headers'> {
    const number = row.attempts + 1;
    const now = ctx.now();
    if (attempt.error === null) {
      markDelivered(ctx.db, row.id, attempt.status!, now.toISOString());
      return {
        id: row.id,
        attempt: number,
        status: attempt.status,
        delivered: true,
        error: null,
        retryAt: null,
      };
    }
    const retryAt =
      number >= tuning.maxAttempts
        ? null
        : new Date(now.getTime() + retryDelayMs(number, tuning, random)).toISOString();
    markAttemptFailed(ctx.db, row.id, { status: attempt.status, error: attempt.error, retryAt });
    if (!retryAt) log.warn(`outbound event ${row.id} given up after ${number} attempts: ${attempt.error}`);
    return {
      id: row.id,
      attempt: number,
      status: attempt.status,
      delivered: false,
      error: attempt.error,
      retryAt,
    };
  }

  async function deliver(row: DueDelivery): Promise<void> {
    const controller = new AbortController();
    inFlight = controller;
    try {
      const { attempt, headers } = await send(
        row,
        AbortSignal.any([controller.signal, AbortSignal.timeout(tuning.timeoutMs)]),
      );
      const outcome: AttemptOutcome = { ...record(row, attempt), headers };
      events.emit('attempt', outcome);
    } catch (error) {
      if (!stopped) throw error;
      // Closing mid-attempt: whatever the exchange got, the row is sent again by the next server.
      releaseDelivery(ctx.db, row.id, ctx.now().toISOString());
    } finally {
      inFlight = null;
    }
  }

  async function drain(): Promise<void> {
    while (!stopped) {
      // An event tells the exchange what the store holds (an escrow moved): it leaves only once that is on
      // disk, as an answer does (db/group-commit.ts).
      await ctx.commits.settled();
      const now = ctx.now();
      const row = nextDueDelivery(ctx.db, now.toISOString());
      if (!row) return;
      const claimUntil = new Date(now.getTime() + tuning.timeoutMs + CLAIM_MARGIN_MS).toISOString();
      // Another server on this database took it first: look again.
      if (!claimDelivery(ctx.db, row, claimUntil)) continue;
      await deliver(row);
    }
  }

  /** Sleeps until the earliest pending row is due, but no longer than the poll (other processes queue too). */
  function scheduleNext(): void {
    if (stopped) return;
    const earliest = earliestPendingAt(ctx.db);
    const untilDue = earliest ? Date.parse(earliest) - ctx.now().getTime() : tuning.pollMs;
    timer = setTimeout(wake, Math.max(0, Math.min(untilDue, tuning.pollMs)));
    timer.unref();
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      wakeAgain = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    running = drain()
      .catch((error: unknown) =>
        log.warn(
          `outbound delivery stopped for a moment: ${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => {
        running = null;
        if (wakeAgain) {
          wakeAgain = false;
          wake();
        } else {
          scheduleNext();
        }
      });
  }

  // Queued rows are committed (or rolled back) by the time setImmediate runs: writes are synchronous.
  const onQueued = () => setImmediate(wake);
  ctx.changes.on(OUTBOUND_QUEUED, onQueued);
  // Rows left pending by the previous run are due already: resume them now.
  setImmediate(wake);

  return {
    wake,
    events,
    async idle() {
      while (!stopped) {
        if (running) await running;
        else if (nextDueDelivery(ctx.db, ctx.now().toISOString())) wake();
        else return;
      }
    },
    async stop() {
      stopped = true;
      ctx.changes.off(OUTBOUND_QUEUED, onQueued);
      if (timer) clearTimeout(timer);
      inFlight?.abort();
      await running;
    },
  };
}
