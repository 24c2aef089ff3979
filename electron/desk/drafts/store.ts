// The drafts table (schema in ../db/migrations/): one row per user and case, the draft as JSON.
import type { DeskDb } from '../context';

export function readDraftJson(db: DeskDb, userId: string, caseId: string): string | null {
  const row = db.prepare('SELECT data FROM drafts WHERE user_id = ? AND case_id = ?').get(userId, caseId) as
    { data: string } | undefined;
  return row?.data ?? null;
}

export function writeDraftJson(db: DeskDb, userId: string, caseId: string, data: string, at: string): void {
  db.prepare(
    `INSERT INTO drafts (user_id, case_id, data, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (user_id, case_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
  ).run(userId, caseId, data, at);
}

export function deleteDraft(db: DeskDb, userId: string, caseId: string): void {
  db.prepare('DELETE FROM drafts WHERE user_id = ? AND case_id = ?').run(userId, caseId);
}
