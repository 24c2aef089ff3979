// What the "KYT alerts" table shows: the saved view, the level filter and the search. Kept in a store so
// that the choice survives opening an alert and coming back.
import { create } from 'zustand';
import type { KytLevel } from '../../../../shared/domain/dispute';
import type { KytView } from '../../../../shared/desk-api/schemas';

interface AlertsStore {
  view: KytView;
  level: KytLevel | null;
  search: string;
  setView(view: KytView): void;
  setLevel(level: KytLevel | null): void;
  setSearch(search: string): void;
}

export const useAlertsState = create<AlertsStore>((set) => ({
  view: 'open',
  level: null,
  search: '',
  setView: (view) => set({ view }),
  setLevel: (level) => set({ level }),
  setSearch: (search) => set({ search }),
}));
