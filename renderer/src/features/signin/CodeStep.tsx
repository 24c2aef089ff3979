import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../../shared/api/types';
import { Alert, Button, TextField } from '../../components';
import { callDesk } from '../../desk';
import { needsPasswordAgain, signInErrorText } from './signInError';

interface CodeStepProps {
  onVerified(user: Me, backupCodes: string[] | null): void;
  onStartOver(): void;
}

export function CodeStep({ onVerified, onStartOver }: CodeStepProps) {
  const { t } = useTranslation('signin');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const { user, backupCodes } = await callDesk('session.verify', { code: code.replace(/\s+/g, '') });
      onVerified(user, backupCodes);
    } catch (error) {
      setFailure(signInErrorText(error, t));
      setBusy(false);
      setCode('');
      if (needsPasswordAgain(error)) onStartOver();
    }
  }

  return (
    <form className="signin__form" onSubmit={submit} noValidate>
      <TextField
        label={t('code')}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        spellCheck={false}
        maxLength={32}
        required
        autoFocus
        className="signin__code"
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      {failure && <Alert tone="error">{failure}</Alert>}
      <Button type="submit" variant="primary" busy={busy} disabled={code.replace(/\s+/g, '').length < 6}>
        {t('verify')}
      </Button>
      <Button variant="quiet" onClick={onStartOver}>
        {t('startOver')}
      </Button>
    </form>
  );
}
