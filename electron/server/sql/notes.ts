// Internal notes on a case, never shown to the parties.
import type { Db } from '../db/open';
import { prepared } from './statements';

export function insertNote(db: Db, note: { id: string; caseId: string; authorId: string; body: string; at: string }): void {
  prepared(db, 'INSERT INTO notes (id, case_id, author_id, body, at) VALUES (@id, @caseId, @authorId, @body, @at)').run(note);
}
