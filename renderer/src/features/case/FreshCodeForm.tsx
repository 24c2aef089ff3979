// A command whose code went stale before the server took it waits in the outbox ('needs_code'): the user
// gives a fresh code and it goes again under its original idempotency key. Serves verdicts
// ('case.verdictCode'), hold lifts ('case.liftHoldCode') and a supervisor's approvals and send-backs
// ('case.approvalCode'); each screen brings its own words.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Button } from '../../components';
import type { DeskError, OutboxEntry } from '../../../../shared/desk-api/schemas';
import { useDeskCommand, type DeskProblem } from '../../desk';

export interface FreshCodeText {
  title: string;
  label: string;
  send: string;
  error(error: DeskProblem | DeskError): string;
}

export function FreshCodeForm({
  entry,
  channel,
  text,
}: {
  entry: OutboxEntry;
  channel: 'case.verdictCode' | 'case.liftHoldCode' | 'case.approvalCode';
  text: FreshCodeText;
}) {
  const [code, setCode] = useState('');
  const resend = useDeskCommand(channel);
  const inputId = `fresh-code-${entry.id}`;

  function send(event: FormEvent) {
    event.preventDefault();
    void resend.run({ commandId: entry.id, totp: code });
  }

  return (
    <form className="case-fresh-code" onSubmit={send}>
      <p className="case-alert case-alert--warning">
        <strong>{text.title}</strong> {entry.error ? text.error(entry.error) : null}
      </p>
      <label htmlFor={inputId}>{text.label}</label>
      <input
        id={inputId}
        className="case-code-input"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        value={code}
        onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
      />
      <Button variant="primary" type="submit" disabled={code.length !== 6}>
        {text.send}
      </Button>
      {resend.error && (
        <p className="case-alert case-alert--error" role="alert">
          {text.error(resend.error)}
        </p>
      )}
    </form>
  );
}
