// The "Verdict history" table (DESIGN §6): when, which case (a link to it), the agent, the outcome, the
// amount, the reason in words, the time to resolve and the approver. The rows come newest first from the
// server; a column header sorts what is loaded (TanStack Table's sorted row model, as the alerts table).
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
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerdictRecord } from '../../../../shared/api/types';
import { caseHref } from '../../app/router';
import { Badge } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatAssetAmount, formatDateTime, formatDuration, formatFiat } from '../queue/format';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic, alphanumeric: sortFn_alphanumeric },
});
const column = createColumnHelper<typeof features, VerdictRecord>();

function verdictColumns(t: TFunction<'supervision'>, reason: TFunction<'case'>, locale: string) {
  return column.columns([
    column.accessor((verdict) => Date.parse(verdict.decidedAt), {
      id: 'decidedAt',
      header: t('history.columns.decidedAt'),
      sortFn: 'basic',
      cell: (info) => <time dateTime={info.row.original.decidedAt}>{formatDateTime(locale, info.row.original.decidedAt)}</time>,
    }),
    column.accessor((verdict) => verdict.caseId, {
      id: 'case',
      header: t('history.columns.case'),
      sortFn: 'alphanumeric',
      cell: (info) => (
        <a className="alerts__link" href={caseHref(info.getValue())}>
          {info.getValue()}
        </a>
      ),
    }),
    column.accessor((verdict) => verdict.agent.displayName, {
      id: 'agent',
      header: t('history.columns.agent'),
      sortFn: 'alphanumeric',
      cell: (info) => info.getValue(),
    }),
    column.accessor((verdict) => verdict.outcome, {
      id: 'outcome',
      header: t('history.columns.outcome'),
      sortFn: 'alphanumeric',
      cell: (info) => (
        <Badge tone={info.getValue() === 'release' ? 'success' : 'info'}>{t(`outcome.${info.getValue()}`)}</Badge>
      ),
    }),
    column.accessor((verdict) => Number(verdict.fiatAmount), {
      id: 'amount',
      header: t('history.columns.amount'),
      sortFn: 'basic',
      cell: (info) => (
        <span className="supervision__amount">
          <span className="num">
            {formatAssetAmount(locale, info.row.original.amount, info.row.original.asset)}{' '}
            <span className="unit">{info.row.original.asset}</span>
          </span>
          <span className="muted num">{formatFiat(locale, info.row.original.fiatAmount, info.row.original.fiatCurrency)}</span>
        </span>
      ),
    }),
    column.accessor((verdict) => verdict.reasonCode, {
      id: 'reason',
      header: t('history.columns.reason'),
      sortFn: 'alphanumeric',
      cell: (info) => reason(`reason.${info.getValue()}`),
    }),
    column.accessor((verdict) => verdict.timeToResolveSeconds, {
      id: 'timeToResolve',
      header: t('history.columns.timeToResolve'),
      sortFn: 'basic',
      cell: (info) => <span className="num">{formatDuration(info.getValue() * 1000)}</span>,
    }),
    column.accessor((verdict) => verdict.approver?.displayName ?? '', {
      id: 'approver',
      header: t('history.columns.approver'),
      sortFn: 'alphanumeric',
      cell: (info) => (
        <span className="supervision__approver">
          {info.getValue() || <span className="muted">{t('history.noApprover')}</span>}
          {info.row.original.sentBackCount > 0 && (
            <Badge tone="warning">{t('history.sentBack', { count: info.row.original.sentBackCount })}</Badge>
          )}
        </span>
      ),
    }),
  ]);
}

export function VerdictTable({ verdicts }: { verdicts: VerdictRecord[] }) {
  const { t, i18n } = useTranslation('supervision');
  const { t: reason } = useTranslation('case');
  const locale = formattingLocale(i18n.language);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'decidedAt', desc: true }]);
  const columns = useMemo(() => verdictColumns(t, reason, locale), [t, reason, locale]);
  const table = useTable({
    features,
    columns,
    data: verdicts,
    getRowId: (verdict) => verdict.caseId,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });

  return (
    <table className="alerts-table" aria-label={t('history.tableLabel')}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              return (
                <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
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
          <tr key={row.id} data-case-id={row.original.caseId} data-agent={row.original.agent.username}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
