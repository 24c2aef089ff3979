// The /v1/sync page as the desk reads it, checked at the boundary. The envelope (changes, cursor, hasMore,
// each change's seq, type and id) is checked with zod. A change's case detail is checked for the fields the
// cache files it under (the summary and the evidence list) by a plain function rather than a schema: a
// first sync checks a hundred thousand details, and a schema's parse copies every object it walks while
// this only reads the fields. The rest of the detail is kept as the server sent it, for the case view to read.
import { z } from 'zod';
import type { CaseDetail, SyncPage } from '../../../shared/api/types';
import { CASE_STATUSES } from '../../../shared/domain/dispute';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const STATUSES: ReadonlySet<unknown> = new Set(CASE_STATUSES);
const MAX_ID_LENGTH = 64;

/** A check answers null when the value at `path` fits, or what is wrong with it ("buyer.id: expected …"). */
type Check = (value: unknown, path: string) => string | null;

const leaf =
  (expected: string, fits: (value: unknown) => boolean): Check =>
  (value, path) =>
    fits(value) ? null : `${path}: expected ${expected}`;

const text = leaf('a string', (value) => typeof value === 'string');
const nonEmptyText = leaf('a non-empty string', (value) => typeof value === 'string' && value.length > 0);
const flag = leaf('true or false', (value) => typeof value === 'boolean');
const decimal = leaf('a decimal string', (value) => typeof value === 'string' && DECIMAL.test(value));

function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${path || 'the case'}: expected an object`;
    for (const [field, check] of entries) {
      const problem = check((value as Record<string, unknown>)[field], path ? `${path}.${field}` : field);
      if (problem !== null) return problem;
    }
    return null;
  };
}

const nullable =
  (check: Check): Check =>
  (value, path) =>
    value === null ? null : check(value, path);

const arrayOf =
  (check: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return `${path}: expected an array`;
    for (const [index, item] of value.entries()) {
      const problem = check(item, `${path}.${index}`);
      if (problem !== null) return problem;
    }
    return null;
  };

const party = object({ id: nonEmptyText, displayName: text });

const cachedCase = object({
  id: leaf(
    `a string of 1 to ${MAX_ID_LENGTH} characters`,
    (value) => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH,
  ),
  status: leaf(`one of ${CASE_STATUSES.join(', ')}`, (value) => STATUSES.has(value)),
  version: leaf(
    'a whole number, 0 or more',
    (value) => Number.isSafeInteger(value) && (value as number) >= 0,
  ),
  openedAt: text,
  slaDueAt: text,
  asset: text,
  amount: decimal,
  fiatCurrency: text,
  fiatAmount: decimal,
  paymentMethod: text,
  buyer: party,
  seller: party,
  assignee: nullable(object({ id: text, username: text, displayName: text })),
  flags: object({ kyt: flag, livenessFailed: flag, fourEyes: flag, onHold: flag }),
  evidence: arrayOf(object({ sha256: text })),
});

/**
 * Why `value` cannot be cached as a case detail ("buyer.id: expected a non-empty string"), or null when it
 * has every field the cache files a case under.
 */
export const cachedCaseProblem = (value: unknown): string | null => cachedCase(value, '');

export const isCachedCase = (value: unknown): value is CaseDetail => cachedCaseProblem(value) === null;

const change = z.looseObject({
  seq: z.number().int().positive(),
  // Types other than 'case' may come from a newer server: they are skipped, and the cursor still moves on.
  type: z.string(),
  id: z.string(),
  data: z.unknown(),
});

const page = z.looseObject({
  changes: z.array(change),
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});

export class MalformedPageError extends Error {
  readonly code = 'malformed_sync_page';
  constructor(detail: string) {
    super(`The server sent a sync page the desk cannot read: ${detail}`);
    this.name = 'MalformedPageError';
  }
}

/**
 * A page asked for after `after` must end past it while there is more, and never before it: a server whose
 * feed does not move on would otherwise be asked for the same page for ever.
 */
export function checkAdvances(page: Pick<SyncPage, 'cursor' | 'hasMore'>, after: number): void {
  if (page.cursor < after || (page.hasMore && page.cursor === after))
    throw new MalformedPageError(`its cursor ${page.cursor} does not move on from ${after}`);
}

/** The page, checked; the case details in it are the objects the server sent, not copies. */
export function readSyncPage(body: unknown): SyncPage {
  const parsed = page.safeParse(body);
  if (!parsed.success) throw new MalformedPageError(z.prettifyError(parsed.error));
  const raw = body as SyncPage;
  for (const [index, entry] of raw.changes.entries()) {
    if (entry.type !== 'case') continue;
    const problem = cachedCaseProblem(entry.data);
    if (problem !== null) throw new MalformedPageError(`change ${index} (seq ${entry.seq}): ${problem}`);
  }
  return raw;
}
