import type { z } from 'zod';
import { invalidRequest } from '../errors';

/**
 * Parses a request body or query against its schema; a mismatch is a 400 that names the first problem. No
 * body at all reads as `{}`; a JSON `null` is a body, and is judged like any other.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input === undefined ? {} : input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw invalidRequest(`${where}${issue?.message ?? 'The request is not valid.'}`);
}
