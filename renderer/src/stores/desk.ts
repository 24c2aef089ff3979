// The one way the renderer reaches the desk: window.desk, with a failed call turned into a DeskCallError
// that keeps the desk's stable error code for the screens to map to words.
import type { DeskBridge, DeskChannel, DeskEvent, DeskEvents, DeskInput, DeskOutput } from '../../../shared/desk-api/contract';

export class DeskCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeskCallError';
  }
}

export function deskOrNull(): DeskBridge | null {
  return window.desk ?? null;
}

function requireDesk(): DeskBridge {
  const desk = window.desk;
  if (!desk) throw new DeskCallError('no_desk', 'window.desk is not available');
  return desk;
}

export async function callDesk<C extends DeskChannel>(
  channel: C,
  ...input: DeskInput<C> extends undefined ? [] : [DeskInput<C>]
): Promise<DeskOutput<C>> {
  const result = await requireDesk().invoke(channel, ...input);
  if (!result.ok) throw new DeskCallError(result.error.code, result.error.message);
  return result.value;
}

export function onDeskEvent<E extends DeskEvent>(event: E, listener: (payload: DeskEvents[E]) => void): () => void {
  const desk = window.desk;
  if (!desk) return () => {};
  return desk.on(event, listener);
}

/** The code of any thrown value, for mapping to a message: unknown failures share one code. */
export function errorCode(error: unknown): string {
  return error instanceof DeskCallError ? error.code : 'unknown';
}
