import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../../shared/api/types';
import { Alert, Button, TextField } from '../../components';
import { useDeskCommand } from '../../desk';
import { needsPasswordAgain, signInErrorText } from './signInError';

interface CodeStepProps {
  onVerified(user: Me, backupCodes: string[] | null): void;
  onStartOver(): void;
}

export function CodeStep({ onVerified, onStartOver }: CodeStepProps) {
  const { t } = useTranslation('signin');
  const [code, setCode] = useState('');
  const verify = useDeskCommand('session.verify', {
    onSuccess: ({ user, backupCodes }) => onVerified(user, backupCodes),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const answer = await verify.run({ code: code.replace(/\s+/g, '') });
    if (answer.ok) return;
    setCode('');
    if (needsPasswordAgain(answer.error)) onStartOver();
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
      {verify.error && <Alert tone="error">{signInErrorText(verify.error, t)}</Alert>}
      <Button type="submit" variant="primary" busy={verify.pending} disabled={code.replace(/\s+/g, '').length < 6}>
        {t('verify')}
      </Button>
      <Button variant="quiet" onClick={onStartOver}>
        {t('startOver')}
      </Button>
    </form>
  );
}
