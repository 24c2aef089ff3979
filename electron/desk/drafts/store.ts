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

export interface StoredDraft {
  userId: string;
  caseId: string;
  updatedAt: string;
}

/** Which drafts the store holds, without their text: what the retention job weighs. */
export function storedDrafts(db: DeskDb): StoredDraft[] {
  return db.prepare('SELECT user_id AS userId, case_id AS caseId, updated_at AS updatedAt FROM drafts').all() as StoredDraft[];
}

export function countDrafts(db: DeskDb, userId: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM drafts WHERE user_id = ?').get(userId) as { n: number }).n;
}

/** Every user's drafts; returns how many went. */
export function deleteAllDrafts(db: DeskDb): number {
  return db.prepare('DELETE FROM drafts').run().changes;
}
