// The one place in the renderer that touches window.desk (set by Electron's preload, or by bridge/install.ts
// in a browser opened by the browser host). Everything else goes through these functions or the hooks
// beside them, so a failed call always arrives in one shape: a code from shared/api/errors.ts and a message.
import { API_ERROR_CODES, DESK_ONLY_ERROR_CODES, type ErrorCode } from '../../../shared/api/errors';
import type { DeskBridge, DeskChannel, DeskEvent, DeskEvents, DeskInput, DeskOutput } from '../../../shared/desk-api/contract';
import type { DeskError } from '../../../shared/desk-api/schemas';

declare global {
  interface Window {
    desk?: DeskBridge;
  }
}

/** The input arguments of a channel: none for channels that take no input. */
export type DeskArgs<C extends DeskChannel> = DeskInput<C> extends undefined ? [] : [DeskInput<C>];

/** A refusal or failure of a desk call, with its code narrowed to the known list ('unknown' otherwise). */
export interface DeskProblem {
  code: ErrorCode;
  message: string;
}

export type DeskAnswer<T> = { ok: true; value: T } | { ok: false; error: DeskProblem };

export class DeskCallError extends Error implements DeskProblem {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeskCallError';
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set<string>([...API_ERROR_CODES, ...DESK_ONLY_ERROR_CODES]);

/** A code as the desk sent it, as one of the known codes; one the list lacks is 'unknown' (its message stays). */
export function toErrorCode(code: string): ErrorCode {
  return KNOWN_CODES.has(code) ? (code as ErrorCode) : 'unknown';
}

/** A DeskError from the desk (a call's answer, an outbox entry) with its code narrowed. */
export function toDeskProblem(error: DeskError): DeskProblem {
  return { code: toErrorCode(error.code), message: error.message };
}

/** Any thrown value as a DeskProblem: failures that are not the desk's share the code 'unknown'. */
export function problemOf(thrown: unknown): DeskProblem {
  if (thrown instanceof DeskCallError) return { code: thrown.code, message: thrown.message };
  return { code: 'unknown', message: thrown instanceof Error ? thrown.message : String(thrown) };
}

/** False in a page opened without the app or the host's launch secret: there is no desk to talk to. */
export function hasDesk(): boolean {
  return window.desk !== undefined;
}

/** Calls the desk and answers {ok, value} or {ok: false, error}; never throws. */
export async function askDesk<C extends DeskChannel>(channel: C, ...input: DeskArgs<C>): Promise<DeskAnswer<DeskOutput<C>>> {
  const desk = window.desk;
  if (!desk) return { ok: false, error: { code: 'no_desk', message: 'window.desk is not available' } };
  try {
    const result = await desk.invoke(channel, ...input);
    return result.ok ? result : { ok: false, error: toDeskProblem(result.error) };
  } catch (thrown) {
    return { ok: false, error: problemOf(thrown) };
  }
}

/** Calls the desk and returns its value; a refusal is thrown as a DeskCallError. */
export async function callDesk<C extends DeskChannel>(channel: C, ...input: DeskArgs<C>): Promise<DeskOutput<C>> {
  const answer = await askDesk(channel, ...input);
  if (!answer.ok) throw new DeskCallError(answer.error.code, answer.error.message);
  return answer.value;
}

/** Listens to a desk event; returns the unsubscribe. Without a desk there are no events. */
export function onDeskEvent<E extends DeskEvent>(event: E, listener: (payload: DeskEvents[E]) => void): () => void {
  const desk = window.desk;
  if (!desk) return () => {};
  return desk.on(event, listener);
}
