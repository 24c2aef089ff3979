// The queue's columns. Sorting happens in the desk (over every case, not the loaded page), so a column's
// id is the desk's sort column where it can be sorted.
import type { TFunction } from 'i18next';
import { createColumnHelper, rowSortingFeature, tableFeatures } from '@tanstack/react-table';
import type { CaseSummary } from '../../../../shared/api/types';
import { QUEUE_SORT_COLUMNS, type QueueSortColumn } from '../../../../shared/desk-api/schemas';
import { caseHref } from '../../app/router';
import type { PaymentMethodName } from '../../i18n/paymentMethods';
import { FlagIcons, SlaCountdown, StatusBadge } from './QueueCells';
import { formatAssetAmount, formatDateTime, formatFiat } from './format';

/** A loaded row and where it sits in the whole (sparse) result, for aria-rowindex and the keyboard. */
export interface VisibleRow {
  index: number;
  summary: CaseSummary;
}

export const queueFeatures = tableFeatures({ rowSortingFeature });
const column = createColumnHelper<typeof queueFeatures, VisibleRow>();

export const isSortColumn = (id: string): id is QueueSortColumn => (QUEUE_SORT_COLUMNS as readonly string[]).includes(id);

export function queueColumns(t: TFunction<'queue'>, locale: string, paymentMethodName: PaymentMethodName) {
  return column.columns([
    column.accessor((row) => row.summary.id, {
      id: 'id',
      header: t('columns.case'),
      cell: (info) => (
        <a className="qt__case-link" href={caseHref(info.getValue())} tabIndex={-1} title={info.getValue()}>
          {info.getValue()}
        </a>
      ),
    }),
    column.accessor((row) => row.summary.amount, {
      id: 'amount',
      header: t('columns.trade'),
      cell: (info) => (
        <span className="num">
          {formatAssetAmount(locale, info.getValue(), info.row.original.summary.asset)} <span className="unit">{info.row.original.summary.asset}</span>
        </span>
      ),
    }),
    column.accessor((row) => row.summary.fiatAmount, {
      id: 'fiatAmount',
      header: t('columns.fiat'),
      cell: (info) => <span className="num">{formatFiat(locale, info.getValue(), info.row.original.summary.fiatCurrency)}</span>,
    }),
    column.accessor((row) => row.summary.paymentMethod, {
      id: 'paymentMethod',
      header: t('columns.paymentMethod'),
      cell: (info) => paymentMethodName(info.getValue()),
      enableSorting: false,
    }),
    column.accessor((row) => row.summary.openedAt, {
      id: 'openedAt',
      header: t('columns.opened'),
      cell: (info) => <time dateTime={info.getValue()}>{formatDateTime(locale, info.getValue())}</time>,
    }),
    column.accessor((row) => row.summary.slaDueAt, {
      id: 'slaDueAt',
      header: t('columns.sla'),
      cell: (info) => <SlaCountdown dueAt={info.getValue()} resolved={info.row.original.summary.status === 'resolved'} />,
    }),
    column.accessor((row) => row.summary.status, {
      id: 'status',
      header: t('columns.status'),
      cell: (info) => <StatusBadge status={info.getValue()} />,
    }),
    column.accessor((row) => row.summary.assignee?.displayName ?? null, {
      id: 'assignee',
      header: t('columns.assignee'),
      cell: (info) => info.getValue() ?? <span className="muted">{t('unassigned')}</span>,
    }),
    column.display({
      id: 'flags',
      header: t('columns.flags'),
      enableSorting: false,
      cell: (info) => <FlagIcons flags={info.row.original.summary.flags} />,
    }),
  ]);
}
