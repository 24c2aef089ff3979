// The queue's rows, fetched from the desk page by page as the user scrolls: only the pages near the visible
// window are held, so 100,000 cases cost no more than a hundred. A change of view, search, sort or filter
// starts over: the rows on screen stay until the first page of the new query replaces them, and while one
// first page is on its way only the newest query waits (NewestNext), so typing sends no queue of searches.
// 'cases.changed' re-reads the pages on screen in place, without a reload.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CaseSummary } from '../../../../shared/api/types';
import type { QueueQuery, QueueView } from '../../../../shared/desk-api/schemas';
import { callDesk, NewestNext, onDeskEvent, ReloadScheduler } from '../../desk';
import { useQueueState } from './queueStore';

export const PAGE_SIZE = 100;
/** Pages kept on either side of the visible ones; farther ones are dropped and fetched again if needed. */
const KEEP_AROUND = 3;
/** Changes arrive in bursts during a sync: the pages on screen are read again at most this often. */
const REFRESH_EVERY_MS = 250;

export interface QueueWindow {
  /** null until the first page of the current query has arrived. */
  total: number | null;
  counts: Record<QueueView, number> | null;
  rowAt(index: number): CaseSummary | undefined;
  /** Tells the window which rows are visible, so it fetches them (and drops far ones). */
  showRange(first: number, last: number): void;
  failure: string | null;
  /** Bumped whenever loaded rows change, for memoised consumers. */
  revision: number;
}

function useQueueQuery(): Omit<QueueQuery, 'offset' | 'limit'> {
  const view = useQueueState((state) => state.view);
  const search = useQueueState((state) => state.search);
  const sort = useQueueState((state) => state.sort);
  const filters = useQueueState((state) => state.filters);
  return useMemo(
    () => ({
      view,
      search,
      sort,
      filters: {
        ...(filters.status ? { status: [filters.status] } : {}),
        ...(filters.asset ? { asset: [filters.asset] } : {}),
        ...(filters.paymentMethod ? { paymentMethod: [filters.paymentMethod] } : {}),
      },
    }),
    [view, search, sort, filters],
  );
}

export function useQueueWindow(): QueueWindow {
  const query = useQueueQuery();
  const [total, setTotal] = useState<number | null>(null);
  const [counts, setCounts] = useState<Record<QueueView, number> | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const pages = useRef(new Map<number, CaseSummary[]>());
  const inFlight = useRef(new Set<number>());
  const visible = useRef({ first: 0, last: PAGE_SIZE - 1 });
  /**
   * The query pages are read for, in a new object for each query: an answer whose object is no longer the
   * current one belongs to an older query and is dropped. Kept in a ref, so that the functions below stay
   * the same across keystrokes and the table is not rendered again for one.
   */
  const current = useRef({ query });
  const [firstPages] = useState(() => new NewestNext());
  /** The rows held are the previous query's until its first page arrives: no other page is read till then. */
  const startingOver = useRef(false);

  /** `startsOver`: the first page of a new query, which replaces every page of the one before. */
  const fetchPage = useCallback((page: number, startsOver = false): Promise<void> => {
    const asked = current.current;
    inFlight.current.add(page);
    const settled = () => {
      if (asked === current.current) inFlight.current.delete(page);
    };
    return callDesk('queue.query', { ...asked.query, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
      (result) => {
        settled();
        if (asked !== current.current) return;
        if (startsOver) {
          pages.current.clear();
          startingOver.current = false;
        }
        pages.current.set(page, result.rows);
        setTotal(result.total);
        setCounts(result.counts);
        setFailure(null);
        setRevision((value) => value + 1);
      },
      (error: unknown) => {
        settled();
        if (asked !== current.current) return;
        // The previous query's rows must not pass for this one's.
        if (startsOver) {
          pages.current.clear();
          startingOver.current = false;
          setRevision((value) => value + 1);
        }
        setFailure(error instanceof Error ? error.message : String(error));
      },
    );
  }, []);

  const visiblePages = useCallback(() => {
    const first = Math.floor(visible.current.first / PAGE_SIZE);
    const last = Math.floor(Math.max(visible.current.last, visible.current.first) / PAGE_SIZE);
    const list: number[] = [];
    for (let page = first; page <= last; page += 1) list.push(page);
    return list;
  }, []);

  // A new query: read its first page, whose answer replaces every page held (and bumps the revision,
  // repainting). Until then the previous rows stay on screen, rather than a flash of empty rows per keystroke.
  useEffect(() => {
    current.current = { query };
    inFlight.current.clear();
    startingOver.current = true;
    visible.current = { first: 0, last: PAGE_SIZE - 1 };
    firstPages.run(() => fetchPage(0, true));
    return () => firstPages.dropWaiting();
  }, [query, fetchPage, firstPages]);

  // Live updates: re-read the pages on screen (and with them the total and the counts of every view).
  useEffect(() => {
    const refreshes = new ReloadScheduler({
      // A first page on its way brings the change with it.
      load: () => (startingOver.current ? Promise.resolve() : Promise.all(visiblePages().map((page) => fetchPage(page)))),
      debounceMs: REFRESH_EVERY_MS,
      maxWaitMs: REFRESH_EVERY_MS,
    });
    const unsubscribeCases = onDeskEvent('cases.changed', () => refreshes.request());
    return () => {
      unsubscribeCases();
      refreshes.dispose();
    };
  }, [fetchPage, visiblePages]);

  const showRange = useCallback(
    (first: number, last: number) => {
      visible.current = { first, last };
      if (startingOver.current) return;
      const wanted = visiblePages();
      for (const page of wanted) {
        if (!pages.current.has(page) && !inFlight.current.has(page)) void fetchPage(page);
      }
      const low = (wanted[0] ?? 0) - KEEP_AROUND;
      const high = (wanted[wanted.length - 1] ?? 0) + KEEP_AROUND;
      for (const page of pages.current.keys()) if (page < low || page > high) pages.current.delete(page);
    },
    [fetchPage, visiblePages],
  );

  const rowAt = useCallback((index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], []);

  // The same object until something it holds changes: a keystroke alone does not repaint the table.
  return useMemo(
    () => ({ total, counts, rowAt, showRange, failure, revision }),
    [total, counts, rowAt, showRange, failure, revision],
  );
}
