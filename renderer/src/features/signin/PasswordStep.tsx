import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignInStep } from '../../../../shared/desk-api/contract';
import { Alert, Button, TextField } from '../../components';
import { callDesk } from '../../desk';
import { signInErrorText } from './signInError';

export function PasswordStep({ onNext }: { onNext(step: SignInStep): void }) {
  const { t } = useTranslation('signin');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onNext(await callDesk('session.signIn', { username: username.trim(), password }));
    } catch (error) {
      setFailure(signInErrorText(error, t));
      setBusy(false);
    }
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
      {failure && <Alert tone="error">{failure}</Alert>}
      <Button type="submit" variant="primary" busy={busy} disabled={!username.trim() || !password}>
        {t('signIn')}
      </Button>
    </form>
  );
}
