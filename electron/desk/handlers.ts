// Handlers of the desk API, one per channel. Each area of the desk contributes its own map; joining them
// refuses a channel declared twice, so every channel has exactly one owner.
import type { DeskChannel, DeskInput, DeskOutput } from '../../shared/desk-api/contract';

export type DeskHandler<C extends DeskChannel> = (input: DeskInput<C>) => Promise<DeskOutput<C>> | DeskOutput<C>;
export type DeskHandlers = { [C in DeskChannel]?: DeskHandler<C> };

export class DuplicateChannelError extends Error {
  constructor(channel: string) {
    super(`Desk channel ${channel} has two handlers`);
  }
}

export function joinHandlers(...maps: DeskHandlers[]): DeskHandlers {
  const joined: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [channel, handler] of Object.entries(map)) {
      if (channel in joined) throw new DuplicateChannelError(channel);
      joined[channel] = handler;
    }
  }
  return joined as DeskHandlers;
}

/** A failure the renderer should show as is: a stable code and a readable message. */
export class DeskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeskFailure';
  }
}
