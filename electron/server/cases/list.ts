// GET /v1/cases and GET /v1/cases/{id}: every role reads. The queue is paged by keyset on (slaDueAt, id)
// so a page is one index range scan however deep the client has paged; the cursor is opaque to clients.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Page, CaseSummary } from '../../../shared/api/types';
import { CASE_STATUSES } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { omittedWhenEmpty, pageLimitOf } from '../http/paging';
import { requireUser } from '../http/session';
import { parseInput } from '../http/validate';
import { listCaseSummaries } from '../sql/case-detail';
import { caseDetailOf } from './lookup';

export const DEFAULT_CASE_PAGE_SIZE = 100;

interface CursorPosition {
  slaDueAt: string;
  id: string;
}

const cursorPosition = z.strictObject({
  slaDueAt: z.string().min(1).max(64),
  id: z.string().min(1).max(128),
});

export const encodeCaseCursor = (position: CursorPosition) =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** The position a cursor points after, or null when it is not one this server gave out. */
export function decodeCaseCursor(cursor: string): CursorPosition | null {
  // Node's base64url decoder skips characters outside the alphabet, so check the alphabet first.
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return null;
  try {
    const parsed = cursorPosition.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const listQuery = z.object({
  status: omittedWhenEmpty(z.enum(CASE_STATUSES)),
  limit: pageLimitOf(DEFAULT_CASE_PAGE_SIZE),
  cursor: omittedWhenEmpty(
    z.string().transform((cursor, context) => {
      const position = decodeCaseCursor(cursor);
      if (!position) {
        context.addIssue({ code: 'custom', message: 'not a cursor this server gave out' });
        return z.NEVER;
      }
      return position;
    }),
  ),
});

export function registerCaseReadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1/cases', async (request): Promise<Page<CaseSummary>> => {
    requireUser(ctx, request);
    const query = parseInput(listQuery, request.query);
    const { limit } = query;
    // One row more than the page tells whether there is a next page without a COUNT.
    const rows = listCaseSummaries(ctx.db, { status: query.status, limit: limit + 1, after: query.cursor });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCaseCursor({ slaDueAt: last.slaDueAt, id: last.id }) : null,
    };
  });

  app.get<{ Params: { id: string } }>('/v1/cases/:id', async (request) => {
    requireUser(ctx, request);
    return caseDetailOf(ctx, request.params.id);
  });
}
