// Every handler checks its input against the channel's schema in the contract before acting on it: the
// renderer is not trusted, and a refusal comes back as a readable failure rather than a thrown zod error.
import type { z } from 'zod';
import { deskChannels, type DeskChannel } from '../../../shared/desk-api/contract';
import { DeskFailure } from '../handlers';

export type ChannelInput<C extends DeskChannel> = z.output<(typeof deskChannels)[C]['input']>;

export function parseChannelInput<C extends DeskChannel>(channel: C, input: unknown): ChannelInput<C> {
  const schema: z.ZodType = deskChannels[channel].input;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data as ChannelInput<C>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new DeskFailure('invalid_request', `${where}${issue?.message ?? 'not a valid request'}`);
}
