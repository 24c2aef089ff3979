// Query-string parameters shared by the paged routes. Query values arrive as strings; anything that is not a
// plain whole number (a sign, a decimal point, a repeated parameter) is a 400, never a guess.
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../../../shared/api/requests';

export const DEFAULT_PAGE_SIZE = 200;

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
