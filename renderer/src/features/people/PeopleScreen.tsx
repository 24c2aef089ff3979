// The People screen (issue #11, supervisors): every account with its role and state, and the acts on them —
// add a person (who gets an invitation), disable, enable, reset two-step sign-in (a new invitation). Each
// act asks for the supervisor's fresh authentication code in the same dialog as four-eyes approvals. An
// invitation code is shown once, right after it was made, and never kept by the desk.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, InvitedAccount } from '../../../../shared/api/types';
import { Alert, Button } from '../../components';
import { useDeskCommand, useDeskQuery } from '../../desk';
import { useSession } from '../../stores/session';
import { ReasonDialog } from '../compliance/ReasonDialog';
import { CreateAccountFields, type AccountDraft } from './CreateAccountFields';
import { errorText } from './errorText';
import { InvitationNotice } from './InvitationNotice';
import { PeopleTable } from './PeopleTable';
import '../case/case.css';
import '../queue/queue.css';
import '../compliance/compliance.css';
import '../supervision/supervision.css';
import './people.css';

export type AccountAct = 'disable' | 'enable' | 'resetTotp';
type Open = { kind: 'create' } | { kind: AccountAct; account: Account } | null;

const CHANNELS = { disable: 'accounts.disable', enable: 'accounts.enable', resetTotp: 'accounts.resetTotp' } as const;
const EMPTY_DRAFT: AccountDraft = { username: '', displayName: '', role: 'agent' };

export function PeopleScreen() {
  const { t } = useTranslation('people');
  const me = useSession((state) => state.user);
  const accounts = useDeskQuery('accounts.list', undefined);
  const [open, setOpen] = useState<Open>(null);
  const [draft, setDraft] = useState<AccountDraft>(EMPTY_DRAFT);
  const [invited, setInvited] = useState<InvitedAccount | null>(null);

  const done = (answer: InvitedAccount | Account) => {
    setOpen(null);
    if ('invitation' in answer) setInvited(answer);
    accounts.refetch();
  };
  const create = useDeskCommand('accounts.create', { onSuccess: done });
  const disable = useDeskCommand(CHANNELS.disable, { onSuccess: done });
  const enable = useDeskCommand(CHANNELS.enable, { onSuccess: done });
  const resetTotp = useDeskCommand(CHANNELS.resetTotp, { onSuccess: done });
  const commands = { disable, enable, resetTotp };
  const describe = (error: Parameters<typeof errorText>[1]) => errorText(t, error);

  function start(next: Open) {
    for (const command of [create, disable, enable, resetTotp]) command.reset();
    if (next?.kind === 'create') setDraft(EMPTY_DRAFT);
    setOpen(next);
  }

  return (
    <section className="supervision people" aria-labelledby="people-title">
      <div className="supervision__top">
        <h1 id="people-title" className="alerts__title">
          {t('title')}
        </h1>
        <div className="shell__spacer" />
        <Button variant="primary" onClick={() => start({ kind: 'create' })}>
          {t('add')}
        </Button>
      </div>
      <p className="people__intro">{t('intro')}</p>

      {invited && <InvitationNotice invited={invited} onDone={() => setInvited(null)} />}

      {accounts.state.phase === 'failed' && <Alert tone="error">{describe(accounts.state.error)}</Alert>}
      {accounts.state.phase === 'ready' && (
        <PeopleTable accounts={accounts.state.value} myId={me?.id ?? null} onAct={(kind, account) => start({ kind, account })} />
      )}

      {open?.kind === 'create' && (
        <ReasonDialog
          title={t('create.title')}
          summary={t('create.summary')}
          confirmLabel={t('create.confirm')}
          withReason={false}
          withCode
          missing={draft.username.trim() && draft.displayName.trim() ? null : t('create.missing')}
          pending={create.pending}
          error={create.error}
          describeError={describe}
          onConfirm={({ totp }) =>
            void create.run({ username: draft.username.trim(), displayName: draft.displayName.trim(), role: draft.role, totp: totp ?? '' })
          }
          onClose={() => setOpen(null)}
        >
          <CreateAccountFields draft={draft} onChange={setDraft} />
        </ReasonDialog>
      )}
      {open && open.kind !== 'create' && (
        <ReasonDialog
          title={t(`${open.kind}.title`, { name: open.account.displayName })}
          summary={t(`${open.kind}.summary`, { name: open.account.displayName })}
          confirmLabel={t(`${open.kind}.confirm`)}
          withReason={false}
          withCode
          pending={commands[open.kind].pending}
          error={commands[open.kind].error}
          describeError={describe}
          onConfirm={({ totp }) => void commands[open.kind].run({ userId: open.account.id, totp: totp ?? '' })}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
