// The new person's username, display name and role: the screen's own fields in the create dialog, above
// the supervisor's authentication code.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/domain/dispute';

export interface AccountDraft {
  username: string;
  displayName: string;
  role: Role;
}

export function CreateAccountFields({ draft, onChange }: { draft: AccountDraft; onChange(draft: AccountDraft): void }) {
  const { t } = useTranslation('people');
  const { t: common } = useTranslation('common');
  const id = useId();
  return (
    <>
      <label htmlFor={`${id}-username`}>{t('create.username')}</label>
      <input
        id={`${id}-username`}
        autoFocus
        required
        autoCapitalize="none"
        autoComplete="off"
        spellCheck={false}
        maxLength={32}
        aria-describedby={`${id}-username-hint`}
        value={draft.username}
        onChange={(event) => onChange({ ...draft, username: event.target.value.toLowerCase() })}
      />
      <span id={`${id}-username-hint`} className="case-muted">
        {t('create.usernameHint')}
      </span>
      <label htmlFor={`${id}-name`}>{t('create.displayName')}</label>
      <input
        id={`${id}-name`}
        required
        autoComplete="off"
        maxLength={100}
        value={draft.displayName}
        onChange={(event) => onChange({ ...draft, displayName: event.target.value })}
      />
      <label htmlFor={`${id}-role`}>{t('create.role')}</label>
      <select
        id={`${id}-role`}
        className="select"
        value={draft.role}
        onChange={(event) => onChange({ ...draft, role: event.target.value as Role })}
      >
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {common(`role.${role}`)}
          </option>
        ))}
      </select>
    </>
  );
}
