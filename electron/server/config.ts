// Server configuration: everything comes from CLI flags or environment, with demo-friendly defaults.
import { isIP } from 'node:net';
import path from 'node:path';
import { defaultPasswordWorkLimits, type PasswordWorkLimits, type Scrypt } from './auth/password-work';
import { hashPassword, OWASP_SCRYPT_COST, verifySecret, type ScryptCost } from './auth/passwords';
import { secretProblem } from './webhooks/standard-webhooks';

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
  /** A session's absolute lifetime, from sign-in. */
  sessionTtlMs: number;
  /** A session unused for this long stops working (auth/sessions.ts), whatever its absolute expiry says. */
  sessionIdleTimeoutMs: number;
  loginTokenTtlMs: number;
  /**
   * The scrypt cost of new password hashes; stored hashes below it are upgraded at their next sign-in.
   * Never read from flags or the environment: only code sets it, and only test harnesses lower it (a
   * weaker hash is never written over a stronger one: auth/login.ts only upgrades).
   */
  passwordHashCost: ScryptCost;
  /** How many password hashes run and wait at once; past that a sign-in is `503 sign_in_busy`. */
  passwordWork: PasswordWorkLimits;
  /** The password hashing itself. Injectable like `now`: a test holds a hash to act while it runs. */
  scrypt: Scrypt;
  /** How long an invitation to enrol stays redeemable (72 hours). */
  invitationTtlMs: number;
  metamapWebhookSecret: string | null;
  /**
   * The secrets the exchange signs its events with (POST /v1/platform/events); several during a rotation.
   * Empty: the route answers 503 platform_events_not_configured.
   */
  platformEventsSecrets: readonly string[];
  /** How long a new dispute has before its SLA is due, in hours; four-eyes cases get the longer window. */
  disputeSlaHours: number;
  fourEyesDisputeSlaHours: number;
  /** How far a MetaMap event's own `timestamp` may lie from now before the event is refused (stale_event). */
  metamapEventWindow: MetamapEventWindow;
  /** How often /v1/events writes a heartbeat comment, so proxies and clients see a live stream. */
  eventsHeartbeatMs: number;
  /** How many /v1/events streams may be open (feed/events.ts). */
  eventStreamLimits: EventStreamLimits;
  /** How long a connection and a request may take (app.ts). */
  httpTimeouts: HttpTimeouts;
  /**
   * The reverse proxies (IPs or CIDRs) whose X-Forwarded-For is believed (Fastify `trustProxy`). Empty: the
   * socket's address is the caller's. Sign-in throttling and per-address limits count by that address, so
   * behind a TLS proxy without this every caller would share the proxy's.
   */
  trustedProxies: string[];
  /** How long old rows are kept, and how often the retention jobs run (retention/jobs.ts). */
  retention: RetentionPeriods;
  /** Per-user limits on each write route, per minute (http/write-limits.ts); tests set them small. */
  writeRateLimits: WriteRateLimits;
  /** Per-address limit on the auth routes, per minute. Generous: a busy office shares one address. */
  authRateLimitPerMinute: number;
  /**
   * Per-address limit on the routes that hash a password (POST /v1/auth/login and /v1/auth/invitation), per
   * minute: near what one address's share of the hashing gate serves. A person signs in once a day.
   */
  signInRateLimitPerMinute: number;
  /**
   * The same for an IPv6 caller's whole /48, across all its /64s (each still held to the above): one
   * subscriber or site holds that many /64s. IPv4 callers are counted per address only.
   */
  signInSiteRateLimitPerMinute: number;
  /**
   * Per-address limit on POST /v1/platform/events, per minute. An unsigned caller still makes the server
   * read and HMAC up to a megabyte; this bounds that work. Generous: an exchange sends from a few
   * addresses, and a backlog after an outage comes in bursts (a 429 is retried like any failure).
   */
  platformEventsRateLimitPerMinute: number;
  /** Who files suspicious activity reports: the exchange as its financial intelligence unit knows it. */
  reportingEntity: ReportingEntity;
  /**
   * The audit signing key's file (ed25519, PKCS#8 PEM, mode 0600): outside the database by design. Null:
   * `audit-signing.key` in the data folder, created on first start.
   */
  auditKeyFile: string | null;
  /**
   * The key TOTP seeds are sealed with (AES-256-GCM, base64 in a file of mode 0600), env
   * `DISPUTE_DESK_SECRETS_KEY_FILE`: outside the database by design. Null: `totp-seal.key` in the data folder,
   * created on first start.
   */
  secretsKeyFile: string | null;
  /** Names this audit log in its signed checkpoints (C2SP "origin"): one per deployment. */
  auditOrigin: string;
  /**
   * Where the platform's events go (env `PLATFORM_OUTBOUND_URL`, http or https). Null: outbound is off and
   * nothing is queued (the demo seed and a stand-alone desk have no exchange to tell).
   */
  outboundUrl: string | null;
  /**
   * Env `PLATFORM_OUTBOUND_SECRET`: the signing secret, or several separated by spaces or commas while the
   * exchange rotates (each delivery is signed with all of them). Required with a URL.
   */
  outboundSecret: string | null;
  outboundDelivery: OutboundDeliveryTuning;
  /** Wall clock, injectable so tests can pin time. */
  now: () => Date;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

/** How long the retention jobs keep rows (retention/jobs.ts says why each period is safe). */
export interface RetentionPeriods {
  /** How often the jobs run. */
  everyMs: number;
  /** Failed sign-ins and step-up codes: longer than every lockout window. */
  loginFailuresMs: number;
  /** The whole answers kept under idempotency keys (case details): a repeat within this gets the answer. */
  idempotencyMs: number;
  /**
   * The keys themselves, with the request's fingerprint and the answer's status: a repeat within this is
   * never applied twice. As long as a desk may keep a command in its outbox (a desk closed over a holiday).
   */
  idempotencyKeysMs: number;
  /** The exchange's webhook-ids, kept to dedupe its redeliveries. */
  platformEventsMs: number;
  /** Outbound events the exchange acknowledged, kept for the delivery log. */
  deliveredOutboundMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_RETENTION: RetentionPeriods = {
  everyMs: 60_000,
  loginFailuresMs: DAY_MS,
  idempotencyMs: DAY_MS,
  idempotencyKeysMs: 30 * DAY_MS,
  platformEventsMs: 30 * DAY_MS,
  deliveredOutboundMs: 30 * DAY_MS,
};

export interface EventStreamLimits {
  /** Per session token: a further stream ends the token's oldest. */
  perToken: number;
  /** Per user, all their sessions together: a further stream ends the user's oldest. */
  perUser: number;
  /** On the whole server: a further stream is refused 429 rate_limited. */
  total: number;
}

export const DEFAULT_EVENT_STREAM_LIMITS: EventStreamLimits = { perToken: 3, perUser: 6, total: 500 };

/**
 * Timeouts of the HTTP server, so that a client that connects and says nothing, or sends its request a byte
 * at a time, does not hold a socket for ever. The event stream is exempt from the idle timeout (its
 * heartbeat shows it alive); no request timeout applies to it once its request has arrived.
 */
export interface HttpTimeouts {
  /** A socket with no traffic either way for this long is closed (Fastify `connectionTimeout`). */
  connectionMs: number;
  /** The whole request, headers and body, must have arrived within this (Fastify `requestTimeout`). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this (Fastify `keepAliveTimeout`). */
  keepAliveMs: number;
  /** How often Node looks for requests past `requestMs` (its own default is 30 s; tests shorten it). */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  // Longer than any answer takes to start (an audit verification of a long log, a dossier PDF).
  connectionMs: 120_000,
  // A megabyte body over a slow office link arrives well within this.
  requestMs: 30_000,
  keepAliveMs: 30_000,
  checkIntervalMs: 5_000,
};

/** Calls a minute one user may make to one write route. */
export interface WriteRateLimits {
  /** A verdict, an approval or a rejection: each needs a fresh code, so real work is a few a minute. */
  verdictsPerMinute: number;
  /** A message to the parties or an internal note. */
  textPerMinute: number;
  /** Every other write: claims, holds, reassignments, KYT decisions, retries. */
  otherWritesPerMinute: number;
}

export const DEFAULT_WRITE_RATE_LIMITS: WriteRateLimits = {
  verdictsPerMinute: 30,
  textPerMinute: 60,
  otherWritesPerMinute: 120,
};

/**
 * MetaMap signs only the body, so the body's `timestamp` (when the event happened) is all a replay carries.
 * MetaMap retries a failed delivery, same body, "after 1, 3, 5, 7 and 10 minutes" (its webhook FAQ): the last
 * comes 10 or 26 minutes after the first attempt, as those count from the first try or from each other. A
 * past side shorter than that would refuse MetaMap's own retries after an outage of the server, and an
 * event whose retries all fail is lost for good: 30 minutes covers either reading. A replay inside the window is harmless anyway (deduplicated, and never
 * newer than what it would undo). The future side only allows for clock skew.
 */
export interface MetamapEventWindow {
  maxAgeMs: number;
  maxAheadMs: number;
}

export const DEFAULT_METAMAP_EVENT_WINDOW: MetamapEventWindow = {
  maxAgeMs: 30 * 60 * 1000,
  maxAheadMs: 5 * 60 * 1000,
};

/** How the delivery worker paces itself (outbound/worker.ts); tests shorten these. */
export interface OutboundDeliveryTuning {
  /** How long one POST may take before it counts as a failed attempt. */
  timeoutMs: number;
  /** The wait after the first failure; it doubles after each further one, up to `maxBackoffMs`. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** After this many failed attempts the event is given up (`failed`); the default spans about 24 hours. */
  maxAttempts: number;
  /** How often an idle worker looks for rows another process queued. */
  pollMs: number;
}

export const DEFAULT_OUTBOUND_DELIVERY: OutboundDeliveryTuning = {
  timeoutMs: 10_000,
  firstBackoffMs: 1_000,
  maxBackoffMs: 60 * 60 * 1000,
  // 1 s, 2 s, 4 s … 34 min (12 pauses, about an hour), then hourly, each pause shortened by up to a
  // quarter (backoff.ts): 40 attempts span 21 to 28 hours.
  maxAttempts: 40,
  pollMs: 1_000,
};

/** Where and how outbound events are delivered, checked at start. */
export interface OutboundTarget {
  url: URL;
  /** The current secret first. */
  secrets: string[];
}

/**
 * Reads the outbound URL and secrets, or null when outbound is off. Throws with a message for the operator
 * when they are unusable, so a misconfigured server refuses to start instead of failing every delivery.
 */
export function outboundTarget(
  config: Pick<ServerConfig, 'outboundUrl' | 'outboundSecret'>,
): OutboundTarget | null {
  const raw = config.outboundUrl?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(
      "PLATFORM_OUTBOUND_URL is not a URL: give the exchange's endpoint, such as https://exchange.example/hooks/desk.",
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `PLATFORM_OUTBOUND_URL must be an http or https URL, not ${url.protocol.replace(/:$/, '')}.`,
    );
  }
  // The delivery log shows the host; credentials in the URL would be a second, unsigned secret to leak.
  if (url.username || url.password) {
    throw new Error(
      'PLATFORM_OUTBOUND_URL must not carry a user name or password: deliveries are signed instead.',
    );
  }
  const secrets = parseSecretList(config.outboundSecret ?? '', 'PLATFORM_OUTBOUND_SECRET');
  if (secrets.length === 0) {
    throw new Error(
      'PLATFORM_OUTBOUND_URL is set but PLATFORM_OUTBOUND_SECRET is not: outbound events must be signed.',
    );
  }
  return { url, secrets };
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

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

/**
 * Throws, for the operator, when one of the secrets is too weak to sign with (secretProblem): a server
 * that starts with it would take anyone's signature. Names the secret by its place, never by its text.
 */
export function checkSigningSecrets(name: string, secrets: readonly string[]): void {
  secrets.forEach((secret, index) => {
    const problem = secretProblem(secret);
    if (problem) {
      throw new Error(
        `${name}: the ${ordinal(index + 1)} secret ${problem}. Give whsec_ followed by the base64 of 24 to 64 random bytes, or a random text of at least 24 characters.`,
      );
    }
  });
}

/**
 * `PLATFORM_EVENTS_SECRET="new old"` (or comma-separated): every secret is accepted while a rotation lasts.
 * Each must be strong enough to sign with (checkSigningSecrets); `name` says which variable it came from.
 */
export function parseSecretList(value: string | undefined, name = 'PLATFORM_EVENTS_SECRET'): string[] {
  const secrets = (value ?? '').split(/[\s,]+/).filter((secret) => secret !== '');
  checkSigningSecrets(name, secrets);
  return secrets;
}

/**
 * Env `DISPUTE_DESK_TRUSTED_PROXIES`: IPs or CIDRs separated by spaces or commas. Only addresses: trusting
 * every hop (`true`) would let any caller name its own address and escape the sign-in throttle.
 */
export function trustedProxiesFromEnv(value: string | undefined): string[] {
  const entries = (value ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || rest.length > 0 || !bitsOk) {
      throw new Error(
        `DISPUTE_DESK_TRUSTED_PROXIES: ${JSON.stringify(entry)} is not an IP address or CIDR range (such as 10.0.0.5 or 10.0.0.0/8).`,
      );
    }
  }
  return entries;
}

/** Env `DISPUTE_DESK_SESSION_IDLE_MINUTES`: a whole number of minutes from 1 to a day; 30 when unset. */
export function idleMinutesFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 30;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
    throw new Error('DISPUTE_DESK_SESSION_IDLE_MINUTES must be a whole number of minutes from 1 to 1440.');
  }
  return minutes;
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
    sessionIdleTimeoutMs: idleMinutesFromEnv(process.env.DISPUTE_DESK_SESSION_IDLE_MINUTES) * 60 * 1000,
    trustedProxies: trustedProxiesFromEnv(process.env.DISPUTE_DESK_TRUSTED_PROXIES),
    loginTokenTtlMs: 5 * 60 * 1000,
    passwordHashCost: OWASP_SCRYPT_COST,
    passwordWork: defaultPasswordWorkLimits(),
    scrypt: { hash: hashPassword, verify: verifySecret },
    invitationTtlMs: 72 * 60 * 60 * 1000,
    metamapWebhookSecret: process.env.METAMAP_WEBHOOK_SECRET ?? null,
    platformEventsSecrets: parseSecretList(process.env.PLATFORM_EVENTS_SECRET),
    disputeSlaHours: 24,
    fourEyesDisputeSlaHours: 72,
    metamapEventWindow: DEFAULT_METAMAP_EVENT_WINDOW,
    eventsHeartbeatMs: 15_000,
    retention: DEFAULT_RETENTION,
    writeRateLimits: DEFAULT_WRITE_RATE_LIMITS,
    eventStreamLimits: DEFAULT_EVENT_STREAM_LIMITS,
    httpTimeouts: DEFAULT_HTTP_TIMEOUTS,
    authRateLimitPerMinute: 300,
    signInRateLimitPerMinute: 30,
    signInSiteRateLimitPerMinute: 120,
    platformEventsRateLimitPerMinute: 6_000,
    reportingEntity: DEMO_REPORTING_ENTITY,
    auditKeyFile: process.env.DISPUTE_DESK_AUDIT_KEY_FILE ?? null,
    secretsKeyFile: process.env.DISPUTE_DESK_SECRETS_KEY_FILE ?? null,
    auditOrigin: 'dispute-desk/audit',
    outboundUrl: process.env.PLATFORM_OUTBOUND_URL ?? null,
    outboundSecret: process.env.PLATFORM_OUTBOUND_SECRET ?? null,
    outboundDelivery: DEFAULT_OUTBOUND_DELIVERY,
    now: () => new Date(),
    logLevel: 'info',
    ...overrides,
  };
}
