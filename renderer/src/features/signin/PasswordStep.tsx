import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert, Button, TextField } from '../../components';
import { useDeskCommand } from '../../desk';
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
      <TextField
        label={t('username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        autoFocus
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        label={t('password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {signIn.error && <Alert tone="error">{signInErrorText(signIn.error, t)}</Alert>}
      <Button type="submit" variant="primary" busy={signIn.pending} disabled={!username.trim() || !password}>
        {t('signIn')}
      </Button>
    </form>
  );
}
