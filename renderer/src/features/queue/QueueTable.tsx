// The case queue as an ARIA table that renders only the rows in view (TanStack Virtual) of a result the
// desk pages in as the user scrolls. aria-rowcount and aria-rowindex tell assistive technology where the
// rendered rows sit in the whole queue. j/k (or the arrows) move between rows, Enter opens the case.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTable, type SortingState, type Updater } from '@tanstack/react-table';
import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formattingLocale } from '../../i18n';
import { usePaymentMethodName } from '../../i18n/paymentMethods';
import { openCase } from '../../app/router';
import { isSortColumn, queueColumns, queueFeatures, type VisibleRow } from './columns';
import { useQueueState } from './queueStore';
import type { QueueWindow } from './useQueueWindow';

const ROW_HEIGHT = 44;

/**
 * Memoised: the queue screen renders on every keystroke in the search box, and the table's rows change only
 * when the answer arrives (a new `queue` object), so typing does not wait for rows to render again.
 */
export const QueueTable = memo(function QueueTable({ queue, panelId }: { queue: QueueWindow; panelId: string }) {
  const { t, i18n } = useTranslation('queue');
  const locale = formattingLocale(i18n.language);
  const sort = useQueueState((state) => state.sort);
  const activeIndex = useQueueState((state) => state.activeIndex);
  const scrollRef = useRef<HTMLDivElement>(null);
  const total = queue.total ?? 0;

  // The React Compiler cannot memoise around the virtualizer's functions; this component is not compiled.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { showRange, rowAt, revision } = queue;

  useEffect(() => {
    if (total > 0) showRange(firstIndex, lastIndex);
  }, [showRange, firstIndex, lastIndex, total]);

  const data = useMemo<VisibleRow[]>(() => {
    const rows: VisibleRow[] = [];
    for (let index = firstIndex; index <= lastIndex && index < total; index += 1) {
      const summary = rowAt(index);
      if (summary) rows.push({ index, summary });
    }
    return rows;
    // `revision` changes when pages arrive: the loaded rows are read again then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rowAt, firstIndex, lastIndex, total, revision]);

  const paymentMethodName = usePaymentMethodName();
  const columns = useMemo(() => queueColumns(t, locale, paymentMethodName), [t, locale, paymentMethodName]);
  const sorting = useMemo<SortingState>(() => [{ id: sort.column, desc: sort.direction === 'desc' }], [sort]);
  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first && isSortColumn(first.id)) useQueueState.getState().setSort({ column: first.id, direction: first.desc ? 'desc' : 'asc' });
    },
    [sorting],
  );
  const table = useTable({
    features: queueFeatures,
    columns,
    data,
    getRowId: (row) => String(row.index),
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
  });

  // Keep the keyboard's row in view and focused, once it is rendered.
  const focusWanted = useRef(false);
  const moveTo = useCallback(
    (index: number) => {
      if (total === 0) return;
      const clamped = Math.max(0, Math.min(total - 1, index));
      useQueueState.getState().setActiveIndex(clamped);
      virtualizer.scrollToIndex(clamped, { align: 'auto' });
      const rendered = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${clamped}"][tabindex]`);
      // A row on screen takes focus now; one scrolled into view takes it once it has rendered.
      if (rendered) rendered.focus({ preventScroll: true });
      else focusWanted.current = true;
    },
    [total, virtualizer],
  );
  useEffect(() => {
    if (!focusWanted.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusWanted.current = false;
    }
  });

  const activeSummary = rowAt(activeIndex);
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const step: Record<string, number> = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
      if (event.key in step) {
        event.preventDefault();
        moveTo(activeIndex + (step[event.key] ?? 0));
      } else if (event.key === 'Home') {
        event.preventDefault();
        moveTo(0);
      } else if (event.key === 'End') {
        event.preventDefault();
        moveTo(total - 1);
      } else if (event.key === 'Enter' && activeSummary) {
        event.preventDefault();
        openCase(activeSummary.id);
      }
    },
    [activeIndex, activeSummary, moveTo, total],
  );

  // j/k also work before anything has focus (right after the queue opens): they then enter the table.
  useEffect(() => {
    const enterTable = (event: globalThis.KeyboardEvent) => {
      if (event.target !== document.body || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key !== 'j' && event.key !== 'k') return;
      event.preventDefault();
      moveTo(activeIndex);
    };
    document.addEventListener('keydown', enterTable);
    return () => document.removeEventListener('keydown', enterTable);
  }, [activeIndex, moveTo]);

  const rowsByIndex = new Map(table.getRowModel().rows.map((row) => [row.original.index, row]));
  const headers = table.getHeaderGroups()[0]?.headers ?? [];

  return (
    <div
      ref={scrollRef}
      id={panelId}
      className="qt"
      role="table"
      aria-label={t('tableLabel')}
      aria-rowcount={total + 1}
      aria-colcount={headers.length}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="qt__head">
        <div role="row" aria-rowindex={1} className="qt__row qt__row--head">
          {headers.map((header, column) => {
            const sorted = header.column.getIsSorted();
            const label = String(header.column.columnDef.header ?? '');
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-colindex={column + 1}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                className={`qt__cell qt__cell--${header.column.id}`}
              >
                {header.column.getCanSort() ? (
                  <button type="button" className="qt__sort" onClick={header.column.getToggleSortingHandler()}>
                    {label}
                    <SortArrow direction={sorted} />
                  </button>
                ) : (
                  label
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="qt__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rowsByIndex.get(item.index);
          const active = item.index === activeIndex;
          const place = { transform: `translateY(${item.start}px)`, height: item.size };
          if (!row) {
            return (
              <div key={item.key} role="row" aria-rowindex={item.index + 2} data-index={item.index} className="qt__row qt__row--loading" style={place}>
                <div role="cell" className="qt__cell qt__cell--placeholder">
                  <span className="skeleton" />
                  <span className="visually-hidden">{t('loadingRow')}</span>
                </div>
              </div>
            );
          }
          const caseId = row.original.summary.id;
          return (
            <div
              key={item.key}
              role="row"
              aria-rowindex={item.index + 2}
              aria-current={active ? 'true' : undefined}
              data-index={item.index}
              data-case-id={caseId}
              tabIndex={active ? 0 : -1}
              className={`qt__row${active ? ' qt__row--active' : ''}${row.original.summary.flags.onHold ? ' qt__row--hold' : ''}`}
              style={place}
              onClick={() => {
                useQueueState.getState().setActiveIndex(item.index);
                openCase(caseId);
              }}
              onFocus={() => {
                if (!active) useQueueState.getState().setActiveIndex(item.index);
              }}
            >
              {row.getAllCells().map((cell, column) => (
                <div key={cell.id} role="cell" aria-colindex={column + 1} className={`qt__cell qt__cell--${cell.column.id}`}>
                  <table.FlexRender cell={cell} />
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
});

function SortArrow({ direction }: { direction: false | 'asc' | 'desc' }) {
  return (
    <svg className={`qt__arrow${direction ? ' qt__arrow--on' : ''}`} viewBox="0 0 12 12" width="10" height="10" aria-hidden="true">
      {direction === 'desc' ? <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" /> : <path d="M2 8l4-4 4 4" fill="none" stroke="currentColor" strokeWidth="1.6" />}
    </svg>
  );
}
