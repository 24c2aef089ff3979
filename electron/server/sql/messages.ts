// Messages of a case's chat: the parties', the agent's and the platform's.
import type { MessageSender } from '../../../shared/domain/dispute';
import type { Db } from '../db/open';
import { prepared } from './statements';

export interface MessageRow {
  id: string;
  caseId: string;
  sender: MessageSender;
  authorId: string | null;
  body: string;
  /** sha256s of the attached evidence. */
  evidence: readonly string[];
  at: string;
}

export function insertMessage(db: Db, message: MessageRow): void {
  prepared(
    db,
    `INSERT INTO messages (id, case_id, sender, author_id, body, evidence, at)
     VALUES (@id, @caseId, @sender, @authorId, @body, @evidence, @at)`,
  ).run({ ...message, evidence: JSON.stringify(message.evidence) });
}
