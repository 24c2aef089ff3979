// A verdict whose code went stale before the server took it waits in the outbox ('needs_code'): the agent
// gives a fresh code and it goes again under its original idempotency key ('case.verdictCode').
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { desk } from './deskClient';
import { errorText } from './errorText';

export function FreshCodeForm({ entry }: { entry: OutboxEntry }) {
  const { t } = useTranslation('case');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const result = await desk().invoke('case.verdictCode', { commandId: entry.id, totp: code });
    if (!result.ok) setError(errorText(t, result.error));
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
      {error && (
        <p className="case-alert case-alert--error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
