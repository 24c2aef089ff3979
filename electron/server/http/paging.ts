// Query-string numbers shared by the paged routes. Query values arrive as strings; anything that is not a
// plain whole number (a sign, a decimal point, a repeated parameter) is a 400, never a guess.
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../../../shared/api/requests';

export const DEFAULT_PAGE_SIZE = 200;

const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/, 'a whole number')
  .transform(Number);

/** `limit`: at least 1; above the maximum page size it is clamped, not refused (DESIGN §2). */
export const pageLimit = wholeNumber
  .refine((n) => n >= 1, 'at least 1')
  .transform((n) => Math.min(n, MAX_PAGE_SIZE))
  .optional()
  .transform((n) => n ?? DEFAULT_PAGE_SIZE);

/** A sequence number to read after (`after=`): 0 or none means from the beginning. */
export const afterSeq = wholeNumber.optional().transform((n) => n ?? 0);
