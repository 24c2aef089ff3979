// The "KYT alerts" table (DESIGN §6): level, rule, party, amount, age, status and assignee, sortable by
// each column. A view holds at most a few thousand alerts, all loaded, so sorting happens here (TanStack
// Table's sorted row model) and the table is a plain <table>. Each row's alert id is a link: Tab reaches
// it and Enter opens the alert; a click anywhere on the row does too.
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_basic,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { KytAlert } from '../../../../shared/api/types';
import { alertHref, openAlert } from '../../app/router';
import { Badge } from '../../components';
import { formattingLocale } from '../../i18n';
import { useNow } from '../queue/useNow';
import { formatAssetAmount } from '../queue/format';
import { alertAge, LEVEL_RANK, LEVEL_TONE, STATUS_TONE } from './format';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});
const column = createColumnHelper<typeof features, KytAlert>();

function alertColumns(t: TFunction<'compliance'>, locale: string, now: number) {
  return column.columns([
    column.accessor((alert) => LEVEL_RANK[alert.level], {
      id: 'level',
      header: t('columns.level'),
      sortFn: 'basic',
      cell: (info) => (
        <span className="alerts__level">
          <a className="alerts__link" href={alertHref(info.row.original.id)}>
            {info.row.original.id}
          </a>
          <Badge tone={LEVEL_TONE[info.row.original.level]}>{t(`level.${info.row.original.level}`)}</Badge>
        </span>
      ),
    }),
    column.accessor((alert) => alert.rule, {
      id: 'rule',
      header: t('columns.rule'),
      sortFn: 'alphanumeric',
      cell: (info) => info.getValue(),
    }),
    column.accessor((alert) => alert.partyId, {
      id: 'party',
      header: t('columns.party'),
      sortFn: 'alphanumeric',
      cell: (info) => <span className="mono">{info.getValue()}</span>,
    }),
    column.accessor((alert) => Number(alert.amount), {
      id: 'amount',
      header: t('columns.amount'),
      sortFn: 'basic',
      cell: (info) => (
        <span className="num">
          {formatAssetAmount(locale, info.row.original.amount, info.row.original.asset)}{' '}
          <span className="unit">{info.row.original.asset}</span>
        </span>
      ),
    }),
    column.accessor((alert) => -Date.parse(alert.createdAt), {
      id: 'age',
      header: t('columns.age'),
      sortFn: 'basic',
      cell: (info) => <time dateTime={info.row.original.createdAt}>{alertAge(t, info.row.original.createdAt, now)}</time>,
    }),
    column.accessor((alert) => alert.status, {
      id: 'status',
      header: t('columns.status'),
      sortFn: 'alphanumeric',
      cell: (info) => <Badge tone={STATUS_TONE[info.getValue()]}>{t(`status.${info.getValue()}`)}</Badge>,
    }),
    column.accessor((alert) => alert.assignee?.displayName ?? '', {
      id: 'assignee',
      header: t('columns.assignee'),
      sortFn: 'alphanumeric',
      cell: (info) => info.getValue() || <span className="muted">{t('unassigned')}</span>,
    }),
  ]);
}

export function AlertsTable({ alerts }: { alerts: KytAlert[] }) {
  const { t, i18n } = useTranslation('compliance');
  const locale = formattingLocale(i18n.language);
  // Ages move by the minute: the columns are rebuilt once a minute, not on every tick of the clock.
  const now = Math.floor(useNow() / 60_000) * 60_000;
  const [sorting, setSorting] = useState<SortingState>([{ id: 'level', desc: false }]);
  const columns = useMemo(() => alertColumns(t, locale, now), [t, locale, now]);
  const table = useTable({
    features,
    columns,
    data: alerts,
    getRowId: (alert) => alert.id,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: false,
  });

  return (
    <table className="alerts-table" aria-label={t('tableLabel')}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <th
                  key={header.id}
                  scope="col"
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  className={`alerts-table__cell--${header.column.id}`}
                >
                  <button type="button" className="alerts-table__sort" onClick={header.column.getToggleSortingHandler()}>
                    {String(header.column.columnDef.header ?? '')}
                    <span aria-hidden="true" className="alerts-table__arrow">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr
            key={row.id}
            data-alert-id={row.original.id}
            data-level={row.original.level}
            data-status={row.original.status}
            className="alerts-table__row"
            onClick={(event) => {
              // The link in the row opens the alert itself; a click elsewhere on the row does the same.
              if (!(event.target instanceof HTMLAnchorElement)) openAlert(row.original.id);
            }}
          >
            {row.getAllCells().map((cell) => (
              <td key={cell.id} className={`alerts-table__cell--${cell.column.id}`}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
