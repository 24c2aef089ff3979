// One clock for every SLA countdown on screen: a single interval, however many rows are visible.
import { useEffect } from 'react';
import { create } from 'zustand';

const useClock = create<{ now: number }>(() => ({ now: Date.now() }));
let subscribers = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** Keeps the shared clock ticking while at least one component needs it. */
function useTicking() {
  useEffect(() => {
    subscribers += 1;
    if (timer === null) timer = setInterval(() => useClock.setState({ now: Date.now() }), 1000);
    return () => {
      subscribers -= 1;
      if (subscribers === 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
}

export function useNow(): number {
  useTicking();
  return useClock((state) => state.now);
}
