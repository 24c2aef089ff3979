import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert, Button } from '../../components';
import { useDeskCommand } from '../../desk';
import { CredentialFields } from './CredentialFields';
import { signInErrorText } from './signInError';

export function PasswordStep({ onNext }: { onNext(step: SignInStep): void }) {
  const { t } = useTranslation('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useDeskCommand('session.signIn', { onSuccess: onNext });

  function submit(event: FormEvent) {
    event.preventDefault();
    void signIn.run({ username: username.trim(), password });
  }

  return (
    <form className="signin__form" onSubmit={submit} noValidate>
      <CredentialFields
        identifier={{ label: t('username'), name: 'username', autoComplete: 'username', value: username, onChange: setUsername }}
        password={{ label: t('password'), name: 'password', autoComplete: 'current-password', value: password, onChange: setPassword }}
      />
      {signIn.error && <Alert tone="error">{signInErrorText(signIn.error, t)}</Alert>}
      <Button type="submit" variant="primary" busy={signIn.pending} disabled={!username.trim() || !password}>
        {t('signIn')}
      </Button>
    </form>
  );
}
