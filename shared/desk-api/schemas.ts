// zod schemas of the values that cross the renderer ↔ desk boundary. Case data keeps the platform API's
// shapes (shared/api/types.ts): the desk caches what the server sent and the renderer reads it as is.
import { z } from 'zod';
import { CASE_STATUSES, REASON_CODES, VERDICT_OUTCOMES, type CaseStatus } from '../domain/dispute';
import type { CaseDetail, CaseSummary } from '../api/types';

export const deskError = z.object({ code: z.string(), message: z.string() });
export type DeskError = z.infer<typeof deskError>;

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskError };

/** The server's case ids are letters, digits, '-' and '_' (DSP-100011): nothing that reads as a path. */
export const caseId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a case id');
const text = (max: number) => z.string().trim().min(1).max(max);

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

export const OUTBOX_KINDS = ['claim', 'message', 'note', 'liveness_request', 'verdict'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * A command on its way to the server. `pending` until the server answers; `needs_code` when a verdict's
 * code went stale before the server took it (the agent gives a fresh one and it goes again under the same
 * key); `failed` for a final refusal such as "another agent decided first", never retried.
 */
export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  caseId: string;
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

export const settings = z.strictObject({
  language: z.enum(['system', 'en', 'es']),
  theme: z.enum(['system', 'light', 'dark']),
  /** null: the bundled local server. */
  serverUrl: z.string().url().max(2000).nullable(),
});
export type Settings = z.infer<typeof settings>;
