// What the host needs of the desk service (electron/desk/service.ts), and nothing more: tests can hand the
// host a small fake, and the host stays independent of how the desk is put together.
import type { DeskChannel, DeskEvent, DeskEvents } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';

export interface EvidenceFile {
  bytes: Buffer;
  mime: string;
}

export interface DeskPort {
  /** Validates `rawInput` against the channel's schema and answers; never throws for a bad input. */
  handle(channel: DeskChannel, rawInput: unknown): Promise<DeskResult<unknown>>;
  on<E extends DeskEvent>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
  evidenceFile(sha256: string): Promise<EvidenceFile | null>;
}
