// The "People" table: name, username, role, state (active, invited until when, not enrolled, disabled) and
// the acts on each account. A column header sorts (a SortableTable, as the verdict history). A supervisor's
// own row has no disable or reset: the server refuses both for oneself.
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../../shared/api/types';
import { Badge, Button, SortableTable, sortableColumnHelper } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatDateTime } from '../queue/format';
import type { AccountAct } from './PeopleScreen';

const column = sortableColumnHelper<Account>();

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
  const columns = useMemo(() => peopleColumns({ t, role, locale, myId, onAct }), [t, role, locale, myId, onAct]);

  return (
    <SortableTable
      label={t('tableLabel')}
      className="people__table"
      columns={columns}
      rows={accounts}
      rowId={(account) => account.id}
      initialSort={{ id: 'name', desc: false }}
      rowProps={(account) => ({ 'data-username': account.username })}
    />
  );
}
