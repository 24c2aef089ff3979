// A verdict whose code went stale before the server took it waits in the outbox ('needs_code'): the agent
// gives a fresh code and it goes again under its original idempotency key ('case.verdictCode').
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';

export function FreshCodeForm({ entry }: { entry: OutboxEntry }) {
  const { t } = useTranslation('case');
  const [code, setCode] = useState('');
  const resend = useDeskCommand('case.verdictCode');

  async function send(event: FormEvent) {
    event.preventDefault();
    await resend.run({ commandId: entry.id, totp: code });
  }

  return (
    <form className="case-fresh-code" onSubmit={(event) => void send(event)}>
      <p className="case-alert case-alert--warning">
        <strong>{t('freshCode.title')}</strong> {entry.error ? errorText(t, entry.error) : null}
      </p>
      <label htmlFor="fresh-code">{t('freshCode.label')}</label>
      <input
        id="fresh-code"
        className="case-code-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
      />
      <Button variant="primary" type="submit" disabled={code.length !== 6}>
        {t('freshCode.send')}
      </Button>
      {resend.error && (
        <p className="case-alert case-alert--error" role="alert">
          {errorText(t, resend.error)}
        </p>
      )}
    </form>
  );
}
