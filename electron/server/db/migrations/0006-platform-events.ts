// Trades, escrows and disputes arriving from the exchange as signed events (POST /v1/platform/events).
//
// - `platform_events`: every event answered, by its `webhook-id` (the idempotency key): the sha256 of the
//   exact bytes, and the answer given, so a redelivery gets the same answer and a reused id with other
//   bytes is refused. Written in the same transaction as the event's effects.
// - Out-of-order delivery: each trade keeps the exchange's time of each state change (`created_at` of
//   trade.opened, `paid_at`, `disputed_at`, and now `settled_at` with the event that settled it), and each
//   party the time of the newest event that described it, so an older event never undoes a newer state.
// - Chat lines and receipts given before a dispute have no case yet: they are kept per trade and copied
//   into the case when one opens.
// - The exchange acts as a service account of its own (like the KYT monitor, migration 0003): no password
//   matches it and sign-in never sees it. Its role is never checked; `agent` is the least privileged one.
import type { Migration } from '../../../../shared/db/migrations';

export const PLATFORM_USER_ID = 'USR-platform';

export const platformEvents: Migration = {
  version: 6,
  name: 'platform-events',
  up: `
    INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_confirmed, created_at, kind)
      VALUES ('${PLATFORM_USER_ID}', 'platform', 'Exchange platform', 'agent', '!service-account', NULL, 0,
              strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'service');

    CREATE TABLE platform_events (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      trade_id TEXT NOT NULL,
      body_sha256 TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      response_status INTEGER NOT NULL,
      response_body TEXT NOT NULL
    ) STRICT;
    CREATE INDEX platform_events_by_trade ON platform_events(trade_id, occurred_at);

    ALTER TABLE trades ADD COLUMN settled_at TEXT;
    ALTER TABLE trades ADD COLUMN settled_by TEXT CHECK (settled_by IN ('trade.released', 'trade.cancelled'));
    ALTER TABLE parties ADD COLUMN platform_seen_at TEXT;

    CREATE TABLE trade_messages (
      trade_id TEXT NOT NULL REFERENCES trades(id),
      message_id TEXT NOT NULL,
      sender TEXT NOT NULL CHECK (sender IN ('buyer', 'seller')),
      body TEXT NOT NULL,
      evidence TEXT NOT NULL DEFAULT '[]',
      at TEXT NOT NULL,
      PRIMARY KEY (trade_id, message_id)
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE trade_receipts ADD COLUMN uploaded_by TEXT CHECK (uploaded_by IN ('buyer', 'seller'));
    ALTER TABLE trade_receipts ADD COLUMN file_name TEXT;
    ALTER TABLE trade_receipts ADD COLUMN uploaded_at TEXT;
  `,
};
