// The invitation code of an account just created or reset, shown this once: the server keeps only its
// hash and the desk does not keep it at all. The supervisor copies it and hands it over out of band.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvitedAccount } from '../../../../shared/api/types';
import { Button } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatDateTime } from '../queue/format';

export function InvitationNotice({ invited, onDone }: { invited: InvitedAccount; onDone(): void }) {
  const { t, i18n } = useTranslation('people');
  const [copied, setCopied] = useState(false);
  const name = invited.account.displayName;
  const date = formatDateTime(formattingLocale(i18n.language), invited.invitation.expiresAt);

  async function copy() {
    await navigator.clipboard.writeText(invited.invitation.token);
    setCopied(true);
  }

  return (
    <section className="people__invitation" role="region" aria-label={t('invitation.label', { name })}>
      <p>{t('invitation.intro', { name, date })}</p>
      <p className="people__invitation-label" id="people-invitation-code">
        {t('invitation.code')}
      </p>
      <code className="people__invitation-code" aria-labelledby="people-invitation-code" data-testid="invitation-code">
        {invited.invitation.token}
      </code>
      <div className="people__invitation-buttons">
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? t('invitation.copied') : t('invitation.copy')}
        </Button>
        <Button variant="quiet" onClick={onDone}>
          {t('invitation.done')}
        </Button>
      </div>
    </section>
  );
}
