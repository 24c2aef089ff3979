// The desk's sync state (DESIGN §5): idle, syncing with progress, offline or failed, and when it last synced.
import { create } from 'zustand';
import type { SyncStatus } from '../../../shared/desk-api/schemas';
import { callDesk, onDeskEvent } from '../desk';

interface SyncStore {
  status: SyncStatus | null;
  /** Starts following the desk's sync events; returns the unsubscribe. */
  follow(): () => void;
  syncNow(): Promise<void>;
}

export const useSync = create<SyncStore>((set) => ({
  status: null,
  follow() {
    const unsubscribe = onDeskEvent('sync.status', (status) => set({ status }));
    callDesk('sync.status').then(
      (status) => set({ status }),
      () => undefined,
    );
    return unsubscribe;
  },
  async syncNow() {
    const status = await callDesk('sync.now');
    set({ status });
  },
}));
