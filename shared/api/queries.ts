// Query strings of the platform API v1 (DESIGN §2). Query values arrive as strings; anything that is not a
// plain whole number (a sign, a decimal point, a repeated parameter) is a 400, never a guess. Cursors are
// opaque strings here: the server that handed them out decodes them.
import { z } from 'zod';
import { CASE_STATUSES, KYT_ALERT_STATUSES, KYT_LEVELS, ROLES, VERDICT_OUTCOMES } from '../domain/dispute';
import { DOSSIER_FORMATS } from '../domain/dossier';
import { ASSETS, type Asset } from '../domain/money';
import { MAX_PAGE_SIZE } from './requests';

export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_CASE_PAGE_SIZE = 100;

/** An empty parameter (`?status=`) means "not given": clients build these query strings from templates. */
export const omittedWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/**
 * `limit`: at least 1; above the maximum page size it is clamped, not refused (DESIGN §2), however many
 * digits it has (Number() of a huge one is Infinity, which clamps like any other).
 */
export const pageLimitOf = (defaultSize: number) =>
  omittedWhenEmpty(
    z
      .string()
      .regex(/^\d+$/, 'a whole number')
      .transform(Number)
      .refine((n) => n >= 1, 'at least 1')
      .transform((n) => Math.min(n, MAX_PAGE_SIZE)),
  ).transform((n) => n ?? defaultSize);

export const pageLimit = pageLimitOf(DEFAULT_PAGE_SIZE);

/** A sequence number to read after (`after=`): 0, empty or none means from the beginning. */
export const afterSeq = omittedWhenEmpty(
  z
    .string()
    .regex(/^\d{1,15}$/, 'a whole number')
    .transform(Number),
).transform((n) => n ?? 0);

/** GET /v1/cases */
export const caseListQuery = z.object({
  status: omittedWhenEmpty(z.enum(CASE_STATUSES)),
  limit: pageLimitOf(DEFAULT_CASE_PAGE_SIZE),
  cursor: omittedWhenEmpty(z.string()),
});

/** GET /v1/kyt/alerts */
export const kytAlertListQuery = z.object({
  status: omittedWhenEmpty(z.enum(KYT_ALERT_STATUSES)),
  level: omittedWhenEmpty(z.enum(KYT_LEVELS)),
  /** `me`: only the alerts assigned to the caller (the "Mine" view). */
  assignee: omittedWhenEmpty(z.literal('me')),
  limit: pageLimit,
  cursor: omittedWhenEmpty(z.string().max(512)),
});

/** GET /v1/users: the people of one role (`role=agent`: whom a case can be reassigned to), or everyone. */
export const userListQuery = z.object({ role: omittedWhenEmpty(z.enum(ROLES)) });

/** GET /v1/sync */
export const syncQuery = z.object({ after: afterSeq, limit: pageLimit });

/** GET /v1/audit */
export const auditQuery = z.object({ after: afterSeq, limit: pageLimit });

/** GET /v1/audit/checkpoints: the checkpoints with `seq` above `after`, ascending. */
export const checkpointsQuery = z.object({ after: afterSeq, limit: pageLimit });

/** GET /v1/reports/{id}: the report as JSON (the default), a PDF, or goAML-style STR XML. */
export const REPORT_FORMATS = ['json', 'pdf', 'goaml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const reportQuery = z.object({
  format: omittedWhenEmpty(z.enum(REPORT_FORMATS)).transform((format) => format ?? 'json'),
});

/** GET /v1/cases/{id}/dossier: the signed dossier as JSON (the default) or as a PDF that carries it. */
export const dossierQuery = z.object({
  format: omittedWhenEmpty(z.enum(DOSSIER_FORMATS)).transform((format) => format ?? 'json'),
});

/**
 * A moment given as a date (`2026-12-01`, meaning that whole UTC day) or an ISO 8601 UTC time. `from` is
 * inclusive; a date as `to` includes that day (the bound becomes the next midnight), a time as `to` is
 * exclusive.
 */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const moment = (end: boolean) =>
  omittedWhenEmpty(
    z
      .string()
      .refine((value) => DATE_ONLY.test(value) || DATE_TIME.test(value), 'a date (YYYY-MM-DD) or a UTC time (…Z)')
      .transform((value, ctx) => {
        const at = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
        // Date() rolls 2026-02-30 over to March: a calendar date must come back as itself.
        if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value.slice(0, 10)) {
          ctx.addIssue({ code: 'custom', message: 'not a real date' });
          return z.NEVER;
        }
        if (end && DATE_ONLY.test(value)) at.setUTCDate(at.getUTCDate() + 1);
        return at.toISOString();
      }),
  );

/** The window of the supervisor's verdict reads: decisions taken at or after `from` and before `to`. */
const decisionWindow = {
  from: moment(false),
  to: moment(true),
};
const windowInOrder = (query: { from?: string | undefined; to?: string | undefined }) =>
  !query.from || !query.to || query.from < query.to;
const WINDOW_ORDER = { message: 'must come after from', path: ['to'] };

/** GET /v1/verdicts (JSON pages, or every matching row as CSV with `format=csv`). */
export const VERDICT_LIST_FORMATS = ['json', 'csv'] as const;
export const verdictListQuery = z
  .object({
    agent: omittedWhenEmpty(z.string().max(64)),
    outcome: omittedWhenEmpty(z.enum(VERDICT_OUTCOMES)),
    asset: omittedWhenEmpty(z.enum(ASSETS as [Asset, ...Asset[]])),
    ...decisionWindow,
    limit: pageLimitOf(DEFAULT_CASE_PAGE_SIZE),
    cursor: omittedWhenEmpty(z.string().max(512)),
    format: omittedWhenEmpty(z.enum(VERDICT_LIST_FORMATS)).transform((format) => format ?? 'json'),
  })
  .refine(windowInOrder, WINDOW_ORDER);

/** GET /v1/verdicts/agents */
export const verdictFiguresQuery = z.object(decisionWindow).refine(windowInOrder, WINDOW_ORDER);

/** GET /v1/reviews: the ISO week (`2026-W49`); the last one that has ended when absent. */
export const reviewWeekQuery = z.object({
  week: omittedWhenEmpty(z.string().regex(/^\d{4}-W\d{2}$/, 'an ISO week such as 2026-W49')),
});

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** GET /v1/platform/deliveries: newest first, one state or all; the cursor is opaque. */
export const deliveryListQuery = z.object({
  state: omittedWhenEmpty(z.enum(DELIVERY_STATES)),
  limit: pageLimitOf(DEFAULT_CASE_PAGE_SIZE),
  cursor: omittedWhenEmpty(z.string().max(64)),
});
