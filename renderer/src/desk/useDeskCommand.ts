// Sends one kind of desk command from a screen (Actual's `useMutation` is the model): whether it is on its
// way, how the last attempt was refused (a code from shared/api/errors.ts and the desk's message), and what
// to do when the desk took it.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeskChannel, DeskOutput } from '../../../shared/desk-api/contract';
import { askDesk, type DeskAnswer, type DeskArgs, type DeskProblem } from './client';

export interface DeskCommandOptions<C extends DeskChannel> {
  onSuccess?(value: DeskOutput<C>): void;
}

export interface DeskCommand<C extends DeskChannel> {
  /** Sends the command; answers as the desk did (the hook keeps the outcome as well). */
  run(...input: DeskArgs<C>): Promise<DeskAnswer<DeskOutput<C>>>;
  pending: boolean;
  error: DeskProblem | null;
  /** Forgets the last refusal (a new attempt, a dialog opened again). */
  reset(): void;
}

export function useDeskCommand<C extends DeskChannel>(channel: C, options: DeskCommandOptions<C> = {}): DeskCommand<C> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<DeskProblem | null>(null);
  const latestOptions = useRef(options);
  useEffect(() => {
    latestOptions.current = options;
  });

  const run = useCallback(
    async (...input: DeskArgs<C>) => {
      setPending(true);
      setError(null);
      const answer = await askDesk(channel, ...input);
      setPending(false);
      if (answer.ok) latestOptions.current.onSuccess?.(answer.value);
      else setError(answer.error);
      return answer;
    },
    [channel],
  );
  const reset = useCallback(() => setError(null), []);

  return { run, pending, error, reset };
}
