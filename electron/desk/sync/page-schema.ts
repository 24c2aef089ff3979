// The /v1/sync page as the desk reads it, checked at the boundary. A change's case detail is checked for
// the fields the cache files it under (the summary and the evidence list); the rest of the detail is kept
// as the server sent it, for the case view to read.
import { z } from 'zod';
import type { SyncPage } from '../../../shared/api/types';
import { CASE_STATUSES } from '../../../shared/domain/dispute';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const partyRef = z.looseObject({ id: z.string().min(1), displayName: z.string() });

export const cachedCaseFields = z.looseObject({
  id: z.string().min(1).max(64),
  status: z.enum(CASE_STATUSES),
  version: z.number().int().nonnegative(),
  openedAt: z.string(),
  slaDueAt: z.string(),
  asset: z.string(),
  amount: decimal,
  fiatCurrency: z.string(),
  fiatAmount: decimal,
  paymentMethod: z.string(),
  buyer: partyRef,
  seller: partyRef,
  assignee: z.looseObject({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  flags: z.looseObject({
    kyt: z.boolean(),
    livenessFailed: z.boolean(),
    fourEyes: z.boolean(),
    onHold: z.boolean(),
  }),
  evidence: z.array(z.looseObject({ sha256: z.string() })),
});

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

/** The page, checked; the case details in it are the objects the server sent, not copies. */
export function readSyncPage(body: unknown): SyncPage {
  const parsed = page.safeParse(body);
  if (!parsed.success) throw new MalformedPageError(z.prettifyError(parsed.error));
  const raw = body as SyncPage;
  for (const [index, entry] of raw.changes.entries()) {
    if (entry.type !== 'case') continue;
    const fields = cachedCaseFields.safeParse(entry.data);
    if (!fields.success)
      throw new MalformedPageError(`change ${index} (seq ${entry.seq}): ${z.prettifyError(fields.error)}`);
  }
  return raw;
}
