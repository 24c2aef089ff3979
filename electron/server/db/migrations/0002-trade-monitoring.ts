// Transaction monitoring (KYT) needs every trade the platform records, not only the disputed ones, and the
// instruments each trade used: the escrow's deposit address, the buyer's payout address, the seller's
// receiving account and the receipts. Alerts become the rules engine's output: the rule and its version,
// the trades and window they are about, and a dedupe key so that running the engine again adds nothing.
// Suspicious activity reports keep what the reviewer filed, frozen.
//
// `trades.disputed_at` and `kyt_alerts.case_id` lose their NOT NULL, which SQLite can only do by
// rebuilding the table (its "generalized ALTER TABLE procedure"; the runner turns foreign keys off around
// the transaction and checks them before it commits).
import type { Migration } from '../../../../shared/db/migrations';

export const tradeMonitoring: Migration = {
  version: 2,
  name: 'trade-monitoring',
  up: `
    CREATE TABLE trades_new (
      id TEXT PRIMARY KEY,
      buyer_id TEXT NOT NULL REFERENCES parties(id),
      seller_id TEXT NOT NULL REFERENCES parties(id),
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      fiat_currency TEXT NOT NULL,
      fiat_amount_minor INTEGER NOT NULL CHECK (fiat_amount_minor > 0),
      price TEXT NOT NULL,
      payment_method TEXT NOT NULL,
      created_at TEXT NOT NULL,
      paid_at TEXT,
      disputed_at TEXT,
      deposit_address TEXT,
      payout_address TEXT,
      payout_account TEXT
    ) STRICT;
    INSERT INTO trades_new (id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor, price,
                            payment_method, created_at, paid_at, disputed_at)
      SELECT id, buyer_id, seller_id, asset, amount_minor, fiat_currency, fiat_amount_minor, price,
             payment_method, created_at, paid_at, disputed_at FROM trades;
    DROP TABLE trades;
    ALTER TABLE trades_new RENAME TO trades;
    CREATE INDEX trades_by_buyer ON trades(buyer_id, created_at);
    CREATE INDEX trades_by_seller ON trades(seller_id, created_at);
    CREATE INDEX trades_by_time ON trades(created_at, id);

    -- The receipts the buyer gave for a trade, by content: one file given for two trades is one sha256.
    CREATE TABLE trade_receipts (
      trade_id TEXT NOT NULL REFERENCES trades(id),
      sha256 TEXT NOT NULL,
      PRIMARY KEY (trade_id, sha256)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX trade_receipts_by_sha ON trade_receipts(sha256);

    -- The risk list (sanctions lists, known mixers, darknet markets, reported scams) and the on-chain
    -- transfers between addresses that indirect exposure follows.
    CREATE TABLE risk_addresses (
      address TEXT PRIMARY KEY,
      category TEXT NOT NULL CHECK (category IN ('sanctions', 'mixer', 'darknet', 'scam')),
      source TEXT NOT NULL,
      listed_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE address_hops (
      from_address TEXT NOT NULL,
      to_address TEXT NOT NULL,
      PRIMARY KEY (from_address, to_address)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE kyt_alerts_new (
      id TEXT PRIMARY KEY,
      dedupe_key TEXT NOT NULL UNIQUE,
      case_id TEXT REFERENCES cases(id),
      party_id TEXT NOT NULL REFERENCES parties(id),
      rule_id TEXT NOT NULL,
      rule_version INTEGER NOT NULL,
      rule TEXT NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('SEVERE', 'HIGH', 'MEDIUM', 'LOW')),
      score REAL NOT NULL,
      category TEXT NOT NULL,
      exposure TEXT NOT NULL CHECK (exposure IN ('DIRECT', 'INDIRECT')),
      asset TEXT NOT NULL,
      amount_minor INTEGER NOT NULL,
      details TEXT NOT NULL,
      trade_ids TEXT NOT NULL DEFAULT '[]',
      window_start TEXT NOT NULL,
      window_end TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'in_review', 'dismissed', 'escalated', 'reported')),
      assignee_id TEXT REFERENCES users(id),
      assigned_at TEXT,
      reviewer_id TEXT REFERENCES users(id),
      reviewed_at TEXT,
      decision_reason TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    -- Alerts from before the engine keep their text; they get a key of their own and the case's trade.
    INSERT INTO kyt_alerts_new (id, dedupe_key, case_id, party_id, rule_id, rule_version, rule, level, score, category,
                                exposure, asset, amount_minor, details, trade_ids, window_start, window_end, status,
                                reviewer_id, reviewed_at, decision_reason, created_at)
      SELECT k.id, 'legacy:' || k.id, k.case_id, k.party_id, 'legacy', 0, k.rule, k.level, k.score, k.category,
             k.exposure, k.asset, k.amount_minor, k.details, json_array(c.trade_id), k.created_at, k.created_at,
             k.status, k.reviewer_id, k.reviewed_at, k.decision_reason, k.created_at
        FROM kyt_alerts k LEFT JOIN cases c ON c.id = k.case_id;
    DROP TABLE kyt_alerts;
    ALTER TABLE kyt_alerts_new RENAME TO kyt_alerts;
    CREATE INDEX kyt_by_case ON kyt_alerts(case_id);
    CREATE INDEX kyt_by_status ON kyt_alerts(status, created_at);
    CREATE INDEX kyt_by_party ON kyt_alerts(party_id, created_at);
    CREATE INDEX kyt_by_assignee ON kyt_alerts(assignee_id, status);

    -- A suspicious activity report as filed: the content is frozen JSON, so the PDF and the goAML XML
    -- rendered later say exactly what the reviewer saw and wrote.
    CREATE TABLE reports (
      id TEXT PRIMARY KEY,
      alert_id TEXT NOT NULL UNIQUE REFERENCES kyt_alerts(id),
      party_id TEXT NOT NULL REFERENCES parties(id),
      created_by TEXT NOT NULL REFERENCES users(id),
      created_at TEXT NOT NULL,
      content TEXT NOT NULL
    ) STRICT;
  `,
};
