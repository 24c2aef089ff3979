// Query strings of the platform API v1 (DESIGN §2). Query values arrive as strings; anything that is not a
// plain whole number (a sign, a decimal point, a repeated parameter) is a 400, never a guess. Cursors are
// opaque strings here: the server that handed them out decodes them.
import { z } from 'zod';
import { CASE_STATUSES, KYT_ALERT_STATUSES, KYT_LEVELS, ROLES } from '../domain/dispute';
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

/** GET /v1/reports/{id}: the report as JSON (the default), a PDF, or goAML-style STR XML. */
export const REPORT_FORMATS = ['json', 'pdf', 'goaml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const reportQuery = z.object({
  format: omittedWhenEmpty(z.enum(REPORT_FORMATS)).transform((format) => format ?? 'json'),
});
