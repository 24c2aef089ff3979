// The "People" table: name, username, role, state (active, invited until when, not enrolled, disabled) and
// the acts on each account. A column header sorts (TanStack Table's sorted row model, as the verdict
// history). A supervisor's own row has no disable or reset: the server refuses both for oneself.
import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/api/types';
import { Badge, Button } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatDateTime } from '../queue/format';
import type { AccountAct } from './PeopleScreen';

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric },
});
const column = createColumnHelper<typeof features, Account>();

type State = 'active' | 'invited' | 'notEnrolled' | 'disabled';
const stateOf = (account: Account): State =>
  account.disabledAt ? 'disabled' : account.enrolled ? 'active' : account.invitationExpiresAt ? 'invited' : 'notEnrolled';
const TONES = { active: 'success', invited: 'info', notEnrolled: 'warning', disabled: 'neutral' } as const;

interface Labels {
  t: TFunction<'people'>;
  role: TFunction<'common'>;
  locale: string;
  myId: string | null;
  onAct(kind: AccountAct, account: Account): void;
}

function ActCell({ account, labels }: { account: Account; labels: Labels }) {
  const { t, myId, onAct } = labels;
  if (account.id === myId) return <span className="muted">{t('you')}</span>;
  const name = account.displayName;
  return (
    <span className="people__acts">
      {account.disabledAt ? (
        <Button variant="secondary" aria-label={t('actions.enable', { name })} onClick={() => onAct('enable', account)}>
          {t('actions.enableShort')}
        </Button>
      ) : (
        <Button variant="secondary" aria-label={t('actions.disable', { name })} onClick={() => onAct('disable', account)}>
          {t('actions.disableShort')}
        </Button>
      )}
      <Button variant="quiet" aria-label={t('actions.resetTotp', { name })} onClick={() => onAct('resetTotp', account)}>
        {t('actions.resetTotpShort')}
      </Button>
    </span>
  );
}

function peopleColumns(labels: Labels) {
  const { t, role, locale } = labels;
  return column.columns([
    column.accessor((account) => account.displayName, {
      id: 'name',
      header: t('columns.name'),
      sortFn: 'alphanumeric',
      cell: (info) => <strong>{info.getValue()}</strong>,
    }),
    column.accessor((account) => account.username, {
      id: 'username',
      header: t('columns.username'),
      sortFn: 'alphanumeric',
      cell: (info) => <code>{info.getValue()}</code>,
    }),
    column.accessor((account) => account.role, {
      id: 'role',
      header: t('columns.role'),
      sortFn: 'alphanumeric',
      cell: (info) => role(`role.${info.getValue()}`),
    }),
    column.accessor((account) => stateOf(account), {
      id: 'status',
      header: t('columns.status'),
      sortFn: 'alphanumeric',
      cell: (info) => {
        const state = info.getValue();
        const expires = info.row.original.invitationExpiresAt;
        const date = expires ? formatDateTime(locale, expires) : '';
        return <Badge tone={TONES[state]}>{t(`status.${state}`, { date })}</Badge>;
      },
    }),
    column.display({
      id: 'actions',
      header: t('columns.actions'),
      cell: (info) => <ActCell account={info.row.original} labels={labels} />,
    }),
  ]);
}

export function PeopleTable({
  accounts,
  myId,
  onAct,
}: {
  accounts: Account[];
  myId: string | null;
  onAct(kind: AccountAct, account: Account): void;
}) {
  const { t, i18n } = useTranslation('people');
  const { t: role } = useTranslation('common');
  const locale = formattingLocale(i18n.language);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const columns = useMemo(() => peopleColumns({ t, role, locale, myId, onAct }), [t, role, locale, myId, onAct]);
  const table = useTable({
    features,
    columns,
    data: accounts,
    getRowId: (account) => account.id,
    state: { sorting },
    onSortingChange: setSorting,
    enableMultiSort: false,
    enableSortingRemoval: false,
  });

  return (
    <table className="alerts-table people__table" aria-label={t('tableLabel')}>
      <thead>
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id}>
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const label = String(header.column.columnDef.header ?? '');
              return (
                <th key={header.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                  {header.column.getCanSort() ? (
                    <button type="button" className="alerts-table__sort" onClick={header.column.getToggleSortingHandler()}>
                      {label}
                      <span aria-hidden="true" className="alerts-table__arrow">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                      </span>
                    </button>
                  ) : (
                    label
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody>
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} data-username={row.original.username}>
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
