// A plain <table> whose column headers sort the rows it holds (TanStack Table's sorted row model): for
// lists that are loaded whole, a few thousand rows at most. A header is a button that names its column and
// the column's th carries aria-sort; one column sorts at a time and a sorted column never goes back to
// unsorted. With no rows, the table gives way to a line that says so. Its look is the .alerts-table rules
// of features/compliance/compliance.css, which every screen with such a table loads.
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { useState, type ComponentProps, type ReactNode } from 'react';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});

type SortableFeatures = typeof features;
type SortableColumns<TRow extends RowData> = Array<ColumnDef<SortableFeatures, TRow, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each column has its own value type, as TanStack's own helper returns

/** The column helper for a SortableTable's rows: `sortFn: 'basic'` for numbers, `'alphanumeric'` for words. */
export const sortableColumnHelper = <TRow extends RowData>() => createColumnHelper<SortableFeatures, TRow>();

/** What a row element carries besides its cells: data attributes for tests and styles, a class, a click. */
export type SortableRowProps = ComponentProps<'tr'> & { [attribute: `data-${string}`]: string };

export interface SortableTableProps<TRow extends RowData> {
  /** The table's accessible name. */
  label: string;
  /** Classes beside alerts-table. */
  className?: string;
  columns: SortableColumns<TRow>;
  rows: TRow[];
  rowId(row: TRow): string;
  /** The column the rows are sorted by before anyone picks one. */
  initialSort: { id: string; desc: boolean };
  /** Whether a column's first click sorts it descending; left out, TanStack's choice per column's values. */
  sortDescFirst?: boolean;
  rowProps?(row: TRow): SortableRowProps;
  /** Gives each th and td the class alerts-table__cell--<column id>, for per-column widths. */
  columnClasses?: boolean;
  /** Shown instead of the table when there are no rows; left out, an empty table stands. */
  empty?: ReactNode;
}

export function SortableTable<TRow extends RowData>({ empty, ...table }: SortableTableProps<TRow>) {
  if (empty !== undefined && table.rows.length === 0) return <p className="alerts__message">{empty}</p>;
  // A separate component, so that the table (and the sort someone picked) starts afresh each time rows
  // come back after an empty view.
  return <SortedTable {...table} />;
}

function SortedTable<TRow extends RowData>({
  label,
  className,
  columns,
  rows,
  rowId,
  initialSort,
  sortDescFirst,
  rowProps,
  columnClasses = false,
}: Omit<SortableTableProps<TRow>, 'empty'>) {
  const [sorting, setSorting] = useState<SortingState>([initialSort]);
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: rowId,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: false,
    enableSortingRemoval: false,
    ...(sortDescFirst === undefined ? {} : { sortDescFirst }),
  });
  const cellClass = (columnId: string) => (columnClasses ? `alerts-table__cell--${columnId}` : undefined);

  return (
    <table className={className ? `alerts-table ${className}` : 'alerts-table'} aria-label={label}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const name = String(header.column.columnDef.header ?? '');
              return (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  className={cellClass(header.column.id)}
                >
                  {header.column.getCanSort() ? (
                    <button type="button" className="alerts-table__sort" onClick={header.column.getToggleSortingHandler()}>
                      {name}
                      <span aria-hidden="true" className="alerts-table__arrow">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  ) : (
                    name
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} {...rowProps?.(row.original)}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={cellClass(cell.column.id)}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
