// zod schemas of the values that cross the renderer ↔ desk boundary. Case data keeps the platform API's
// shapes (shared/api/types.ts): the desk caches what the server sent and the renderer reads it as is.
import { z } from 'zod';
import { withoutBidiControls } from '../api/text';
import { checkServerUrl } from './server-url';
import {
  CASE_STATUSES,
  KYT_DECISIONS,
  KYT_LEVELS,
  REASON_CODES,
  VERDICT_OUTCOMES,
  type CaseStatus,
} from '../domain/dispute';
import type { CaseDetail, CaseSummary, KytAlert, KytAlertDetail } from '../api/types';

export const deskError = z.object({ code: z.string(), message: z.string() });
export type DeskError = z.infer<typeof deskError>;

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskError };

/** The server's case ids are letters, digits, '-' and '_' (DSP-100011): nothing that reads as a path. */
export const caseId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a case id');
/** Typed text: the platform's rule (shared/api/text.ts), so that the desk refuses it before it is queued. */
const text = (max: number) => withoutBidiControls(z.string().trim().min(1).max(max));

export const QUEUE_VIEWS = ['all', 'mine', 'unassigned', 'flagged', 'awaiting_approval'] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

export const QUEUE_SORT_COLUMNS = ['slaDueAt', 'openedAt', 'id', 'amount', 'fiatAmount', 'status', 'assignee'] as const;
export type QueueSortColumn = (typeof QUEUE_SORT_COLUMNS)[number];

export const queueQuery = z.strictObject({
  view: z.enum(QUEUE_VIEWS).default('all'),
  search: z.string().max(200).default(''),
  sort: z
    .strictObject({ column: z.enum(QUEUE_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
    .default({ column: 'slaDueAt', direction: 'asc' }),
  filters: z
    .strictObject({
      status: z.array(z.enum(CASE_STATUSES)).max(4).optional(),
      asset: z.array(z.string().max(10)).max(10).optional(),
      paymentMethod: z.array(z.string().max(40)).max(10).optional(),
    })
    .default({}),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type QueueQuery = z.input<typeof queueQuery>;

export interface QueuePage {
  rows: CaseSummary[];
  total: number;
  counts: Record<QueueView, number>;
}

export const OUTBOX_KINDS = [
  'claim',
  'message',
  'note',
  'liveness_request',
  'verdict',
  'hold',
  'lift_hold',
  'alert_assign',
  'alert_decision',
  'approve',
  'send_back',
  'reassign',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/** The commands that carry a step-up code and ask for a fresh one when theirs went stale. */
export const STEP_UP_KINDS = ['verdict', 'lift_hold', 'approve', 'send_back'] as const satisfies readonly OutboxKind[];

/** A supervisor's decision on a proposed verdict (four-eyes): carried out, or sent back to its agent. */
export const APPROVAL_KINDS = ['approve', 'send_back'] as const satisfies readonly OutboxKind[];

/**
 * A command on its way to the server. `pending` until the server answers; `needs_code` when a verdict's
 * (or a hold lift's, an approval's or a send-back's) code went stale before the server took it (the user gives a fresh one and it goes
 * again under the same key); `failed` for a final refusal such as "another agent decided first", never
 * retried. A command acts on a case (claims, verdicts, holds) or on a KYT alert (assign, decide): exactly
 * one of `caseId` and `alertId` is set.
 */
export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  caseId: string | null;
  alertId: string | null;
  state: 'pending' | 'confirmed' | 'needs_code' | 'failed';
  createdAt: string;
  attempts: number;
  error: DeskError | null;
}

export interface CaseView {
  case: CaseDetail;
  outbox: OutboxEntry[];
  /** For each evidence sha256 of this case, the other cached cases holding the same file. */
  sharedEvidence: Record<string, string[]>;
  /** Other cached cases between the same two parties (in either role) opened before this one, newest first, at most 10. */
  earlierDisputes: EarlierDispute[];
}

export interface EarlierDispute {
  id: string;
  openedAt: string;
  status: CaseStatus;
}

export const verdictInput = z.strictObject({
  caseId,
  outcome: z.enum(VERDICT_OUTCOMES),
  reasonCode: z.enum(REASON_CODES),
  rationale: text(4000),
  totp: z.string().regex(/^\d{6}$/),
});

export const draft = z.strictObject({
  message: z.string().max(4000).default(''),
  note: z.string().max(4000).default(''),
  verdict: z
    .strictObject({
      outcome: z.enum(VERDICT_OUTCOMES).nullable(),
      reasonCode: z.enum(REASON_CODES).nullable(),
      rationale: z.string().max(4000),
    })
    .nullable()
    .default(null),
});
export type Draft = z.infer<typeof draft>;

export interface SyncStatus {
  state: 'idle' | 'syncing' | 'offline' | 'error' | 'signed_out';
  /** During a long sync: changes applied so far in this run, and an estimate of the total if known. */
  progress: { applied: number; cursor: number } | null;
  lastSyncedAt: string | null;
  cachedCases: number;
  error: DeskError | null;
  /** While offline or failing: when the desk tries again on its own (ISO time); null otherwise. */
  nextAttemptAt?: string | null;
}

/** Alert ids are the server's: letters, digits, '-' and '_', like case ids. */
export const alertId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an alert id');
export const reportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a report id');

/** The saved views of the "KYT alerts" table (DESIGN §6), each one query of GET /v1/kyt/alerts. */
export const KYT_VIEWS = ['open', 'mine', 'escalated', 'reported'] as const;
export type KytView = (typeof KYT_VIEWS)[number];

export const kytAlertsQuery = z.strictObject({
  view: z.enum(KYT_VIEWS).default('open'),
  level: z.enum(KYT_LEVELS).nullable().default(null),
});
export type KytAlertsQuery = z.input<typeof kytAlertsQuery>;

/** Every alert of a view, newest first, up to a cap; `truncated` when the server had more. */
export interface KytAlertsPage {
  items: KytAlert[];
  truncated: boolean;
}

/** An alert as the reviewer's workspace shows it: the server's detail and the reviewer's commands on it. */
export interface KytAlertView {
  alert: KytAlertDetail;
  /** The reviewer's commands on the alert and on its case (a hold), oldest first. */
  outbox: OutboxEntry[];
}

export const kytDecisionInput = z
  .strictObject({
    alertId,
    decision: z.enum(KYT_DECISIONS),
    reason: text(2000),
    narrative: text(20_000).optional(),
  })
  .refine((input) => input.decision !== 'report' || input.narrative !== undefined, {
    message: 'A report needs the narrative for the authorities.',
    path: ['narrative'],
  })
  .refine((input) => input.decision === 'report' || input.narrative === undefined, {
    message: 'Only a report takes a narrative.',
    path: ['narrative'],
  });

export const REPORT_DOWNLOAD_FORMATS = ['pdf', 'json'] as const;

/** A downloaded document: base64, since the browser host's bridge carries JSON only. */
export interface ReportFile {
  fileName: string;
  mime: string;
  base64: string;
}

/** A platform server address the desk accepts, in its normalised form (./server-url.ts). */
export const serverUrl = z.string().transform((value, ctx) => {
  const checked = checkServerUrl(value);
  if (checked.ok) return checked.url;
  ctx.addIssue({ code: 'custom', message: checked.reason });
  return z.NEVER;
});

/**
 * How many days a resolved case stays in the desk's cache after its verdict: a whole number from 1 to a year
 * and a half (longer than any dispute stays relevant, short enough that a typo is caught).
 */
export const RETENTION_DAYS = { min: 1, max: 540, default: 30 } as const;
export const retentionDays = z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max);

export const settings = z.strictObject({
  language: z.enum(['system', 'en', 'es']),
  theme: z.enum(['system', 'light', 'dark']),
  /**
   * The retention period the desk applies (README "The desk's data on this computer"). Read back as the
   * desk's default (30 days, or the browser host's --retention-days) until the user sets one.
   */
  retentionDays,
  /**
   * null: the bundled local server. Only an address checkServerUrl accepts (https, or http to this
   * computer): a value stored otherwise reads back as null. Changed only through 'server.change', which the
   * user confirms outside the renderer (README "The desk's server").
   */
  serverUrl: serverUrl.nullable(),
  /**
   * Whether a server has been chosen on this computer (the first-run choice, or a confirmed change). False
   * on a fresh install: the renderer then shows the first-run choice. Set with the server, never on its own.
   */
  serverChosen: z.boolean(),
});
/** What 'settings.set' takes: everything but the server, which the renderer cannot set on its own. */
export const settingsChange = settings.omit({ serverUrl: true, serverChosen: true }).partial();

/** 'server.check': any text, so that the desk answers a refused address with its own code and reason. */
export const serverCheckInput = z.strictObject({ serverUrl: z.string().max(4000) });
/** A server that answered GET /v1/health as a Dispute Desk platform server does. */
export interface ServerCheck {
  serverUrl: string;
  version: string;
}

/**
 * The server the desk talks to now, for the first-run choice and the sign-in screen. `kind` bundled: the
 * server shipped with the app, with the demo data (its accounts are shown at sign-in); `chosen` false: a
 * fresh install where nobody has chosen yet; `pendingServerUrl`: a server saved for the next start that
 * differs from this one; `changeFromPage` false where the page may not change the server (the browser host
 * once a server is chosen: README "The desk's server").
 */
export interface ServerInfo {
  kind: 'bundled' | 'remote';
  serverUrl: string;
  host: string;
  chosen: boolean;
  pendingServerUrl: string | null;
  changeFromPage: boolean;
}

export const serverChangeInput = z.strictObject({ serverUrl: serverUrl.nullable() });
/** `saved`: the user confirmed, the desk uses the server from its next start; `cancelled`: nothing changed. */
export interface ServerChange {
  status: 'saved' | 'cancelled';
  serverUrl: string | null;
}
export type Settings = z.infer<typeof settings>;

/**
 * Why the desk's own check of the audit chain failed (issue #9), each about one entry or checkpoint `seq`:
 * - `entry_changed`: an entry this desk had already verified came back with another hash;
 * - `chain_broken`: the entry does not hash to its hash, or does not follow the one before it;
 * - `checkpoint_mismatch`: the chain the server sends no longer reaches the hash it signed in checkpoint
 *   `checkpointSeq` (a row edited and the chain recomputed after it); `seq` is the first entry no checkpoint
 *   vouches for any more;
 * - `truncated`: the log ends before entry `seq`, below checkpoint `checkpointSeq` that signed it;
 * - `checkpoint_rollback`: the server's newest checkpoint is older than checkpoint `checkpointSeq` this desk saw;
 * - `signature_invalid`: checkpoint `seq` is not signed by the key it names;
 * - `key_changed`: checkpoint `seq` is signed by another key than the one this desk pinned (`newFingerprint`);
 * - `unreachable`: the check could not run (the server cannot be reached or refused); `seq` is null.
 */
export const AUDIT_PROBLEM_REASONS = [
  'entry_changed',
  'chain_broken',
  'checkpoint_mismatch',
  'truncated',
  'checkpoint_rollback',
  'signature_invalid',
  'key_changed',
  'unreachable',
] as const;
export type AuditProblemReason = (typeof AUDIT_PROBLEM_REASONS)[number];

export interface AuditProblem {
  seq: number | null;
  reason: AuditProblemReason;
  /** The checkpoint the problem is measured against, where there is one. */
  checkpointSeq?: number;
  /** The server's words, for `unreachable`. */
  detail?: string;
}

/**
 * The desk's own verdict on the audit chain. `verified`: every entry up to `verifiedUpTo` recomputed here and
 * matching the server's signed checkpoint of `checkpointAt`; `failed`: `problem` says the first entry that
 * fails and why (a key change is one: `newFingerprint` is the key the server now signs with);
 * `unavailable`: this check could not run, and `verifiedUpTo` is what the last one verified.
 */
export interface AuditStatus {
  state: 'unchecked' | 'checking' | 'verified' | 'failed' | 'unavailable';
  verifiedUpTo: number | null;
  checkpointAt: string | null;
  checkedAt: string | null;
  /** SHA-256 of the pinned raw public key, hex in groups of four. */
  fingerprint: string | null;
  newFingerprint: string | null;
  problem: AuditProblem | null;
}

/** Trusting a new audit key: the first characters (at least 16 hex digits: 64 bits, too many to find a key for by trial) of its fingerprint, as typed. */
export const trustKeyInput = z.strictObject({
  fingerprint: z
    .string()
    .max(200)
    .transform((typed) => typed.replace(/[\s:]/g, '').toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{16,64}$/, 'Type at least the first 16 characters of the new fingerprint.')),
});

// The supervisor's workspace (issue #9): filters of the verdict history, read live from the server.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'A date as YYYY-MM-DD');
export const verdictFilter = z.strictObject({
  agentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a user id').nullable().default(null),
  outcome: z.enum(VERDICT_OUTCOMES).nullable().default(null),
  asset: z.enum(['BTC', 'ETH', 'USDT', 'USDC']).nullable().default(null),
  /** Decided on or after this day (UTC). */
  from: day.nullable().default(null),
  /** Decided on or before this day (UTC). */
  to: day.nullable().default(null),
});
export type VerdictFilter = z.input<typeof verdictFilter>;
export const verdictListInput = verdictFilter.extend({
  cursor: z.string().max(512).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
});
export const figuresWindow = verdictFilter.pick({ from: true, to: true });
/** The delivery log of outbound events to the exchange (supervisors): one state or all, newest first. */
export const deliveryListInput = z.strictObject({
  state: z.enum(['pending', 'delivered', 'failed']).nullable().default(null),
  cursor: z.string().max(64).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
});
export const deliveryRetryInput = z.strictObject({
  deliveryId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'Not a delivery id'),
});
export const reviewWeekInput = z.strictObject({
  week: z.string().regex(/^\d{4}-W\d{2}$/, 'An ISO week such as 2026-W49').nullable().default(null),
});
export const reviewScorecardInput = z.strictObject({
  reviewId: z.string().regex(/^REV-[A-Za-z0-9_-]{1,120}$/, 'Not a review id'),
  evidenceSufficient: z.boolean(),
  reasonCodeRight: z.boolean(),
  rationaleClear: z.boolean(),
  payoutRight: z.boolean(),
  comment: z.string().trim().max(2000).nullable().default(null),
});
