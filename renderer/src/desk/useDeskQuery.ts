// Reads one desk channel for a screen and reads it again when the desk says something it shows changed.
// The notices go through a ReloadScheduler, so a burst of them (a command, its outbox updates, the sync
// page after it) costs one read, and answers arriving out of order never replace a newer one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DeskChannel, DeskEvent, DeskEvents, DeskOutput } from '../../../shared/desk-api/contract';
import { askDesk, onDeskEvent, type DeskArgs, type DeskProblem } from './client';
import { ReloadScheduler } from './reloadScheduler';

export type DeskQueryState<T> = { phase: 'loading' } | { phase: 'failed'; error: DeskProblem } | { phase: 'ready'; value: T };

/**
 * For each event that may change what the query shows: whether this notice concerns it (`matches`), and,
 * asked only when the read would start, whether the value on screen by then still needs it (`stale`).
 */
export type RefetchOn<T> = {
  [E in DeskEvent]?: {
    matches(payload: DeskEvents[E]): boolean;
    stale?(payload: DeskEvents[E], current: T): boolean;
  };
};

export interface DeskQueryOptions<T> {
  refetchOn?: RefetchOn<T>;
  /** Quiet time after the last notice before the read (default 150 ms). */
  debounceMs?: number;
}

export interface DeskQuery<T> {
  state: DeskQueryState<T>;
  /** True while a read is asked for or on its way (shown as aria-busy). */
  refreshing: boolean;
  /** Something changed that the events do not tell (a command this screen sent): read again, coalesced. */
  refetch(): void;
  /** Read at once (a "Retry" button). */
  reloadNow(): void;
}

const LOADING = { phase: 'loading' } as const;
const DEFAULT_DEBOUNCE_MS = 150;

export function useDeskQuery<C extends DeskChannel>(
  channel: C,
  input: DeskArgs<C>[0],
  options: DeskQueryOptions<DeskOutput<C>> = {},
): DeskQuery<DeskOutput<C>> {
  type T = DeskOutput<C>;
  // The input as a key: a new object with the same content is the same query.
  const key = JSON.stringify([channel, input ?? null]);
  // Kept with the key it belongs to, so that another input shows "loading" rather than the old answer.
  const [loaded, setLoaded] = useState<{ key: string; state: DeskQueryState<T> } | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const scheduler = useRef<ReloadScheduler | null>(null);
  // The latest rules and value, for event handlers set up once per query.
  const latest = useRef({ refetchOn: options.refetchOn, value: null as T | null });
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;

  useEffect(() => {
    latest.current.refetchOn = options.refetchOn;
  });

  useEffect(() => {
    latest.current.value = null;
    // The input as the key holds it: the effect depends on the content, not on the object.
    const [, keyedInput] = JSON.parse(key) as [C, DeskArgs<C>[0] | null];
    const args = (keyedInput === null ? [] : [keyedInput]) as DeskArgs<C>;
    const read = async () => {
      const answer = await askDesk(channel, ...args);
      if (reads !== scheduler.current) return;
      if (answer.ok) latest.current.value = answer.value;
      setLoaded((previous) => {
        if (answer.ok) return { key, state: { phase: 'ready', value: answer.value } };
        // A failed refresh keeps what is on screen; only a first load shows the error.
        if (previous?.key === key && previous.state.phase === 'ready') return previous;
        return { key, state: { phase: 'failed', error: answer.error } };
      });
    };
    const reads = new ReloadScheduler({ load: read, debounceMs, onBusyChange: setRefreshing });
    scheduler.current = reads;

    const unsubscribes = (Object.keys(latest.current.refetchOn ?? {}) as DeskEvent[]).map((event) =>
      onDeskEvent(event, (payload) => {
        const rule = latest.current.refetchOn?.[event] as RefetchOn<T>[DeskEvent] | undefined;
        if (!rule?.matches(payload as never)) return;
        const stale = rule.stale;
        reads.request(
          stale
            ? () => {
                const current = latest.current.value;
                return current === null || stale(payload as never, current);
              }
            : null,
        );
      }),
    );
    reads.readNow();
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      reads.dispose();
      // Answers still on their way belong to a query that is gone.
      if (scheduler.current === reads) scheduler.current = null;
    };
    // The key stands for channel and input; refetchOn is read through `latest` when an event comes.
  }, [channel, key, debounceMs]);

  const refetch = useCallback(() => scheduler.current?.request(), []);
  const reloadNow = useCallback(() => scheduler.current?.readNow(), []);

  return { state: loaded?.key === key ? loaded.state : LOADING, refreshing, refetch, reloadNow };
}
