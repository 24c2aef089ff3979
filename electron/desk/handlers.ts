// Handlers of the desk API, one per channel. Each area of the desk contributes its own map; joining them
// refuses a channel declared twice, so every channel has exactly one owner. The joined table is wrapped
// once by withInputChecks: every input is parsed against its channel's schema there, before any handler
// sees it, so a handler receives its input already checked (defaults filled in) and never parses again.
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/api/errors';
import { deskChannels, type DeskChannel, type DeskOutput } from '../../shared/desk-api/contract';

/** A channel's input as its schema leaves it: checked, trimmed, defaults filled in. */
export type ChannelInput<C extends DeskChannel> = z.output<(typeof deskChannels)[C]['input']>;

export type DeskHandler<C extends DeskChannel> = (
  input: ChannelInput<C>,
) => Promise<DeskOutput<C>> | DeskOutput<C>;
export type DeskHandlers = { [C in DeskChannel]?: DeskHandler<C> };

/** The joined table after withInputChecks: each handler takes the renderer's input as it came. */
export type CheckedDeskHandlers = {
  [C in DeskChannel]?: (input: unknown) => Promise<DeskOutput<C>>;
};

export class DuplicateChannelError extends Error {
  constructor(channel: string) {
    super(`Desk channel ${channel} has two handlers`);
  }
}

/** A failure the renderer should show as is: a stable code and a readable message. */
export class DeskFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeskFailure';
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

/**
 * Checks an input against its channel's schema: the renderer is not trusted, and a refusal comes back as
 * a readable failure rather than a thrown zod error.
 */
export function parseChannelInput<C extends DeskChannel>(channel: C, input: unknown): ChannelInput<C> {
  const schema: z.ZodType = deskChannels[channel].input;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as ChannelInput<C>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new DeskFailure('invalid_request', `${where}${issue?.message ?? 'not a valid request'}`);
}

/** Wraps every handler of the table so that it runs only on an input its channel's schema accepts. */
export function withInputChecks(handlers: DeskHandlers): CheckedDeskHandlers {
  const checked: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [channel, handler] of Object.entries(handlers) as [DeskChannel, (input: unknown) => unknown][]) {
    checked[channel] = async (input) => handler(parseChannelInput(channel, input));
  }
  return checked as CheckedDeskHandlers;
}
