// GET /v1/cases and GET /v1/cases/{id}: every role reads. The queue is paged by keyset on (slaDueAt, id)
// so a page is one index range scan however deep the client has paged; the cursor is opaque to clients.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { invalidRequest } from '../errors';
import { defineRoute } from '../http/route';
import { listCaseSummaries } from '../sql/case-detail';
import { caseDetailOf } from './lookup';

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

/** The position of a `cursor` query parameter; one this server did not give out is a 400. */
function cursorAfter(cursor: string | undefined): CursorPosition | undefined {
  if (cursor === undefined) return undefined;
  const position = decodeCaseCursor(cursor);
  if (!position) throw invalidRequest('cursor: not a cursor this server gave out');
  return position;
}

export function registerCaseReadRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.listCases, ({ query }) => {
    const { limit } = query;
    const after = cursorAfter(query.cursor);
    // One row more than the page tells whether there is a next page without a COUNT.
    const rows = listCaseSummaries(ctx.db, { status: query.status, limit: limit + 1, after });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > limit && last ? encodeCaseCursor({ slaDueAt: last.slaDueAt, id: last.id }) : null,
    };
  });

  defineRoute(app, ctx, ROUTES.getCase, ({ params }) => {
    return caseDetailOf(ctx, params.id);
  });
}
