// New backup codes for the signed-in user (issue #11), in the settings: with a fresh code of their own
// authenticator, ten new codes replace the old ones, which stop working at once. Shown once, like the
// codes of the enrolment; the desk keeps none of them.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, TextField } from '../../components';
import { useDeskCommand } from '../../desk';
import { signInErrorText } from './signInError';
import './signin.css';

export function NewBackupCodes() {
  const { t } = useTranslation('signin');
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useDeskCommand('session.backupCodes', {
    onSuccess: ({ backupCodes }) => {
      setCodes(backupCodes);
      setCode('');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    void regenerate.run({ totp: code });
  }

  return (
    <section className="new-backup" aria-labelledby="new-backup-title">
      <h3 id="new-backup-title" className="new-backup__title">
        {t('newCodes.title')}
      </h3>
      <p className="new-backup__intro">{t('newCodes.intro')}</p>
      {codes ? (
        <>
          <Alert tone="warning">{t('newCodes.shownOnce')}</Alert>
          <ol className="backup__codes" aria-label={t('backup.listLabel')}>
            {codes.map((backupCode) => (
              <li key={backupCode}>
                <code>{backupCode}</code>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <form className="new-backup__form" onSubmit={submit} noValidate>
          <TextField
            label={t('code')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
          {regenerate.error && <Alert tone="error">{signInErrorText(regenerate.error, t)}</Alert>}
          <Button type="submit" busy={regenerate.pending} disabled={code.length !== 6}>
            {t('newCodes.get')}
          </Button>
        </form>
      )}
    </section>
  );
}
