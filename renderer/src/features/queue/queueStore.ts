// What the queue shows: the saved view, the search, sorting and filters, and the row the keyboard is on.
// Kept in a store so that the choice survives opening a case and coming back.
import { create } from 'zustand';
import type { CaseStatus } from '../../../../shared/domain/dispute';
import type { QueueSortColumn, QueueView } from '../../../../shared/desk-api/schemas';

export interface QueueSort {
  column: QueueSortColumn;
  direction: 'asc' | 'desc';
}

export interface QueueFilters {
  status: CaseStatus | null;
  asset: string | null;
  paymentMethod: string | null;
}

interface QueueStore {
  view: QueueView;
  search: string;
  sort: QueueSort;
  filters: QueueFilters;
  activeIndex: number;
  setView(view: QueueView): void;
  setSearch(search: string): void;
  setSort(sort: QueueSort): void;
  setFilter<K extends keyof QueueFilters>(key: K, value: QueueFilters[K]): void;
  clearFilters(): void;
  setActiveIndex(index: number): void;
}

const NO_FILTERS: QueueFilters = { status: null, asset: null, paymentMethod: null };

export const useQueueState = create<QueueStore>((set) => ({
  view: 'all',
  search: '',
  sort: { column: 'slaDueAt', direction: 'asc' },
  filters: NO_FILTERS,
  activeIndex: 0,
  setView: (view) => set({ view, activeIndex: 0 }),
  setSearch: (search) => set({ search, activeIndex: 0 }),
  setSort: (sort) => set({ sort, activeIndex: 0 }),
  setFilter: (key, value) => set((state) => ({ filters: { ...state.filters, [key]: value }, activeIndex: 0 })),
  clearFilters: () => set({ filters: NO_FILTERS, activeIndex: 0 }),
  setActiveIndex: (activeIndex) => set({ activeIndex }),
}));
