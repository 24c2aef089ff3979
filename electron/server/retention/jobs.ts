// What the server keeps, and for how long (issue #11). Each job deletes rows that no rule of the server
// reads any more, in batches (sql/retention.ts), with the clock of the server's context so that tests pin it.
//
// - Sessions: once expired or revoked they authorise nothing; the audit log keeps the sign-ins and
//   sign-outs. An idle one stays until it expires, so that its holder is told "signed out after N minutes
//   without activity" rather than a bare "expired".
// - Sign-in throttle rows: auth/lockout.ts prunes what its windows no longer read (pruneSignInThrottleRows).
//   Step-up failures (auth_failures) are read only inside their 15-minute window; kept a day, well past it,
//   so that a longer window added later still finds its rows.
// - Idempotency records: a success's whole answer (a verdict's is the full case detail, names and chat
//   included) goes after a day; the key, the request's fingerprint and the answer's status stay 30 days,
//   as long as a desk may hold a command in its outbox (closed over a weekend or a holiday), so a late
//   retry under the key is answered 409 already_applied, which the desk's outbox counts as done, and is
//   never applied twice. Stored refusals are a few words and stay whole; leases abandoned by a crash go
//   after a day.
// - Platform events (the exchange's webhook-ids): the dedupe record goes after 30 days. A redelivery after
//   that is treated as a new event, which is safe: the exchange's retries stop long before (Standard Webhooks
//   senders give up within days), and every event type is idempotent in its effect anyway (a chat line, a
//   receipt or a trade already there is `unchanged`; an escrow moves once).
// - MetaMap events: an event older than the MetaMap window is refused stale before it is looked up, so its
//   dedupe record can never match again once it is older than the window.
// - Outbound events, once delivered: kept 30 days for the delivery log; pending and given-up ones stay.
// - The change feed: compacted beyond the newest `feedRetention` rows (feed/changes.ts, compactFeed).
import type { RetentionPeriods } from '../config';
import type { ServerContext } from '../context';
import { pruneSignInThrottleRows } from '../auth/lockout';
import { compactFeed } from '../feed/changes';
import {
  deleteAbandonedIdempotencyLeases,
  deleteAuthFailures,
  deleteDeliveredOutboundEvents,
  deleteEndedSessions,
  deleteExpiredSignInTokens,
  deleteIdempotencyRecords,
  deleteMetamapEvents,
  deletePlatformEvents,
  slimIdempotencyAnswers,
  type PruneBatch,
} from '../sql/retention';

export type RetentionJob =
  | 'sessions'
  | 'loginFailures'
  | 'idempotency'
  | 'idempotencyKeys'
  | 'platformEvents'
  | 'metamapEvents'
  | 'deliveredOutbound'
  | 'feed';

/** How many rows each job removed in one run. */
export type RetentionReport = Record<RetentionJob, number>;

/** At most this many rows per job and run: a store that never pruned catches up over a few runs. */
export const PRUNE_BATCH = 5_000;

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms).toISOString();

/** The cutoff of each job that deletes by age, as of `now`. */
export function retentionCutoffs(
  ctx: ServerContext,
  now: Date,
): Record<Exclude<RetentionJob, 'feed'>, string> {
  const periods: RetentionPeriods = ctx.config.retention;
  return {
    sessions: now.toISOString(),
    loginFailures: ago(now, periods.loginFailuresMs),
    idempotency: ago(now, periods.idempotencyMs),
    idempotencyKeys: ago(now, periods.idempotencyKeysMs),
    platformEvents: ago(now, periods.platformEventsMs),
    metamapEvents: ago(now, ctx.config.metamapEventWindow.maxAgeMs),
    deliveredOutbound: ago(now, periods.deliveredOutboundMs),
  };
}

/** Runs every job once, each in a write transaction of its own. */
export function runRetention(ctx: ServerContext, limit = PRUNE_BATCH): RetentionReport {
  const now = ctx.now();
  const cutoffs = retentionCutoffs(ctx, now);
  const batch = (before: string): PruneBatch => ({ before, limit });
  const prune = (work: () => number) => ctx.write(work);
  return {
    sessions: prune(
      () =>
        deleteEndedSessions(ctx.db, batch(cutoffs.sessions)) +
        deleteExpiredSignInTokens(ctx.db, batch(cutoffs.sessions)),
    ),
    loginFailures: prune(
      () => deleteAuthFailures(ctx.db, batch(cutoffs.loginFailures)) + pruneSignInThrottleRows(ctx, now),
    ),
    idempotency: prune(
      () =>
        slimIdempotencyAnswers(ctx.db, batch(cutoffs.idempotency)) +
        deleteAbandonedIdempotencyLeases(ctx.db, batch(cutoffs.idempotency)),
    ),
    idempotencyKeys: prune(() => deleteIdempotencyRecords(ctx.db, batch(cutoffs.idempotencyKeys))),
    platformEvents: prune(() => deletePlatformEvents(ctx.db, batch(cutoffs.platformEvents))),
    metamapEvents: prune(() => deleteMetamapEvents(ctx.db, batch(cutoffs.metamapEvents))),
    deliveredOutbound: prune(() => deleteDeliveredOutboundEvents(ctx.db, batch(cutoffs.deliveredOutbound))),
    feed: compactFeed(ctx),
  };
}
