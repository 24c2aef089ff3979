// Sends one reviewer command through the desk's outbox and says how it ended for a dialog: the desk
// refused it (bad input, wrong role), the server refused it for good (the outbox entry failed), or it was
// taken (pending, confirmed, or waiting for a fresh code, which the screen shows outside the dialog).
import { useState } from 'react';
import type { DeskChannel, DeskOutput } from '../../../../shared/desk-api/contract';
import type { DeskError, OutboxEntry } from '../../../../shared/desk-api/schemas';
import { useDeskCommand, type DeskArgs, type DeskProblem } from '../../desk';

type OutboxChannel = {
  [C in DeskChannel]: DeskOutput<C> extends OutboxEntry ? C : never;
}[DeskChannel];

export interface OutboxAction<C extends OutboxChannel> {
  /** Resolves true when the command was taken and the dialog may close. */
  send(...input: DeskArgs<C>): Promise<boolean>;
  pending: boolean;
  error: DeskProblem | DeskError | null;
  reset(): void;
}

export function useOutboxAction<C extends OutboxChannel>(channel: C, onTaken: () => void): OutboxAction<C> {
  const command = useDeskCommand(channel);
  const [refusal, setRefusal] = useState<DeskError | null>(null);

  async function send(...input: DeskArgs<C>): Promise<boolean> {
    setRefusal(null);
    const answer = await command.run(...input);
    if (!answer.ok) return false;
    const entry = answer.value as OutboxEntry;
    if (entry.state === 'failed') {
      setRefusal(entry.error ?? { code: 'unknown', message: '' });
      return false;
    }
    onTaken();
    return true;
  }

  return {
    send,
    pending: command.pending,
    error: refusal ?? command.error,
    reset: () => {
      setRefusal(null);
      command.reset();
    },
  };
}
