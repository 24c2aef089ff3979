// The "KYT alerts" table (DESIGN §6): level, rule, party, amount, age, status and assignee, sortable by
// each column. A view holds at most a few thousand alerts, all loaded, so sorting happens here (a
// SortableTable, a plain <table>). Each row's alert id is a link: Tab reaches it and Enter opens the
// alert; a click anywhere on the row does too. With no alerts in the view, a line says so.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { KytAlert } from '../../../../shared/api/types';
import { alertHref, openAlert } from '../../app/router';
import { Badge, SortableTable, sortableColumnHelper } from '../../components';
import { formattingLocale } from '../../i18n';
import { useNow } from '../queue/useNow';
import { formatAssetAmount } from '../queue/format';
import { alertAge, LEVEL_RANK, LEVEL_TONE, STATUS_TONE } from './format';

const column = sortableColumnHelper<KytAlert>();

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
  const columns = useMemo(() => alertColumns(t, locale, now), [t, locale, now]);

  return (
    <SortableTable
      label={t('tableLabel')}
      columns={columns}
      rows={alerts}
      rowId={(alert) => alert.id}
      initialSort={{ id: 'level', desc: false }}
      sortDescFirst={false}
      columnClasses
      rowProps={(alert) => ({
        'data-alert-id': alert.id,
        'data-level': alert.level,
        'data-status': alert.status,
        className: 'alerts-table__row',
        onClick: (event) => {
          // The link in the row opens the alert itself; a click elsewhere on the row does the same.
          if (!(event.target instanceof HTMLAnchorElement)) openAlert(alert.id);
        },
      })}
      empty={t('empty')}
    />
  );
}
