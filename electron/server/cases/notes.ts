// POST /v1/cases/{id}/notes: an internal note on a case, by any role; never shown to the parties.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { Note } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { insertNote } from '../sql/notes';
import { requireCase } from './lookup';

/** Call inside ctx.write(). */
export function addNote(ctx: ServerContext, author: AuthUser, caseId: string, body: string): Note {
  requireCase(ctx.db, caseId);
  const now = ctx.now();
  const note: Note = {
    id: `NOTE-${randomUUID()}`,
    author: { id: author.id, username: author.username, displayName: author.displayName },
    body,
    at: now.toISOString(),
  };
  insertNote(ctx.db, { id: note.id, caseId, authorId: author.id, body, at: note.at });
  changeCase(ctx, caseId, { actor: author.id, action: 'case.note_added', data: { noteId: note.id } }, now);
  return note;
}

export function registerNoteRoute(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.addNote, ({ user: author, body: input, params }) => {
    return ctx.write(() => addNote(ctx, author, params.id, input.body));
  });
}
