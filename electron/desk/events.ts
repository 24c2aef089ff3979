// The desk's event bus: the renderer's bridges subscribe here. A listener that throws is logged and the
// others still hear the event: a broken window must not stop the sync that emitted it.
import type { DeskEvent, DeskEvents } from '../../shared/desk-api/contract';
import type { DeskLogger } from './context';

type Listener<E extends DeskEvent> = (payload: DeskEvents[E]) => void;

export interface DeskEventBus {
  emit<E extends DeskEvent>(event: E, payload: DeskEvents[E]): void;
  on<E extends DeskEvent>(event: E, listener: Listener<E>): () => void;
  clear(): void;
}

export function createEventBus(log: DeskLogger): DeskEventBus {
  const listeners = new Map<DeskEvent, Set<Listener<DeskEvent>>>();
  return {
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          (listener as Listener<typeof event>)(payload);
        } catch (error) {
          log.error('A listener of a desk event failed', {
            event,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as Listener<DeskEvent>);
      return () => set.delete(listener as Listener<DeskEvent>);
    },
    clear: () => listeners.clear(),
  };
}
