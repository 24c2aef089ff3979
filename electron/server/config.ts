// Server configuration: everything comes from CLI flags or environment, with demo-friendly defaults.
import path from 'node:path';

export type SeedMode = 'none' | 'demo' | 'load';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  seed: SeedMode;
  /** Extra generated cases for `--seed load`. */
  loadCases: number;
  /** Changes older than the newest `feedRetention` ones may be compacted; older cursors get 410. */
  feedRetention: number;
  fourEyesThresholdUsd: string;
  /** Demo conversion rates: how many units of each fiat currency buy one USD. */
  usdRates: Record<string, string>;
  sessionTtlMs: number;
  loginTokenTtlMs: number;
  metamapWebhookSecret: string | null;
  /**
   * The secrets the exchange signs its events with (POST /v1/platform/events); several during a rotation.
   * Empty: the route answers 503 platform_events_not_configured.
   */
  platformEventsSecrets: readonly string[];
  /** How long a new dispute has before its SLA is due, in hours; four-eyes cases get the longer window. */
  disputeSlaHours: number;
  fourEyesDisputeSlaHours: number;
  /** How often /v1/events writes a heartbeat comment, so proxies and clients see a live stream. */
  eventsHeartbeatMs: number;
  /** Per-address limit on the auth routes, per minute. Generous: a busy office shares one address. */
  authRateLimitPerMinute: number;
  /** Who files suspicious activity reports: the exchange as its financial intelligence unit knows it. */
  reportingEntity: ReportingEntity;
  /**
   * The audit signing key's file (ed25519, PKCS#8 PEM, mode 0600): outside the database by design. Null:
   * `audit-signing.key` in the data folder, created on first start.
   */
  auditKeyFile: string | null;
  /** Names this audit log in its signed checkpoints (C2SP "origin"): one per deployment. */
  auditOrigin: string;
  /** Wall clock, injectable so tests can pin time. */
  now: () => Date;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export interface ReportingEntity {
  /** The reporting entity's registration id with the FIU (goAML `rentity_id`). */
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export const DEMO_REPORTING_ENTITY: ReportingEntity = {
  id: 'DD-DEMO-0001',
  name: 'Dispute Desk demo exchange',
  country: 'VE',
};

export const DEFAULT_USD_RATES: Record<string, string> = {
  USD: '1',
  VES: '36.50',
  COP: '3950',
  ARS: '880',
  MXN: '17.10',
  BRL: '5.05',
  PEN: '3.75',
};

/** `PLATFORM_EVENTS_SECRET="new old"` (or comma-separated): every secret is accepted while a rotation lasts. */
export function parseSecretList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter((secret) => secret !== '');
}

export function defaultConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataDir: path.resolve('.data/server'),
    seed: 'none',
    loadCases: 0,
    feedRetention: 1_000_000,
    fourEyesThresholdUsd: '10000',
    usdRates: DEFAULT_USD_RATES,
    sessionTtlMs: 8 * 60 * 60 * 1000,
    loginTokenTtlMs: 5 * 60 * 1000,
    metamapWebhookSecret: process.env.METAMAP_WEBHOOK_SECRET ?? null,
    platformEventsSecrets: parseSecretList(process.env.PLATFORM_EVENTS_SECRET),
    disputeSlaHours: 24,
    fourEyesDisputeSlaHours: 72,
    eventsHeartbeatMs: 15_000,
    authRateLimitPerMinute: 300,
    reportingEntity: DEMO_REPORTING_ENTITY,
    auditKeyFile: process.env.DISPUTE_DESK_AUDIT_KEY_FILE ?? null,
    auditOrigin: 'dispute-desk/audit',
    now: () => new Date(),
    logLevel: 'info',
    ...overrides,
  };
}
