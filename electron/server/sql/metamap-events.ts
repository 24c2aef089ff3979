// The MetaMap events the server has taken into account (migration 0006), so that a redelivered event is
// known as such. An event is identified by what MetaMap says about it, not by the bytes of its body: a
// retry that MetaMap serialises again (other key order, other spacing) is still the same event, and two
// different events of one verification never share a name, a step and a millisecond.
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface MetamapEventKey {
  verificationId: string;
  eventName: string;
  /** '' for an event that is not about a step. */
  stepId: string;
  /** The event's `timestamp`, normalised (ISO 8601 UTC with milliseconds). */
  occurredAt: string;
}

/** The check a seen event was applied to, or null for an event not seen before. */
export function seenEventCheck(db: Db, key: MetamapEventKey): string | null {
  const row = prepared(
    db,
    `SELECT check_id FROM metamap_events
     WHERE verification_id = @verificationId AND event_name = @eventName AND step_id = @stepId
       AND occurred_at = @occurredAt`,
  ).get(key) as { check_id: string } | undefined;
  return row?.check_id ?? null;
}

export function recordEvent(db: Db, key: MetamapEventKey, checkId: string, receivedAt: Date): void {
  prepared(
    db,
    `INSERT INTO metamap_events (verification_id, event_name, step_id, occurred_at, check_id, received_at)
     VALUES (@verificationId, @eventName, @stepId, @occurredAt, @checkId, @receivedAt)`,
  ).run({ ...key, checkId, receivedAt: receivedAt.toISOString() });
}
