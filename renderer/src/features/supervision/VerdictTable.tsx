// The "Verdict history" table (DESIGN §6): when, which case (a link to it), the agent, the outcome, the
// amount, the reason in words, the time to resolve and the approver. The rows come newest first from the
// server; a column header sorts what is loaded (a SortableTable, as the alerts table). With none loaded,
// a line says the history is empty.
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerdictRecord } from '../../../../shared/api/types';
import { caseHref } from '../../app/router';
import { Badge, SortableTable, sortableColumnHelper } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatAssetAmount, formatDateTime, formatDuration, formatFiat } from '../queue/format';

const column = sortableColumnHelper<VerdictRecord>();

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
  const columns = useMemo(() => verdictColumns(t, reason, locale), [t, reason, locale]);

  return (
    <SortableTable
      label={t('history.tableLabel')}
      columns={columns}
      rows={verdicts}
      rowId={(verdict) => verdict.caseId}
      initialSort={{ id: 'decidedAt', desc: true }}
      rowProps={(verdict) => ({ 'data-case-id': verdict.caseId, 'data-agent': verdict.agent.username })}
      empty={t('history.empty')}
    />
  );
}
