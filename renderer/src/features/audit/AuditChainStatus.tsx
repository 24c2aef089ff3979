// The desk's own verdict on the audit chain, for supervisors (DESIGN §6, issue #9): "Audit chain verified"
// up to entry #N with the signed checkpoint's time, or the first entry that fails and why as an alert; the
// fingerprint of the server key this desk pinned; "Check again"; and, when the server signs with another
// key, the explicit trust flow (type the start of the new fingerprint). Self-contained: it reads and acts
// through the desk alone, so any screen can place it.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AuditProblem, AuditStatus } from '../../../../shared/desk-api/schemas';
import { Alert, Button, TextField } from '../../components';
import { toDeskProblem, useDeskCommand, useDeskQuery, type DeskProblem } from '../../desk';
import { AUDIT_ERROR_CODES, errorTextKey } from '../../i18n/errorCodes';
import { useCaseFormatters } from '../case/format';
import './audit.css';

type Text = TFunction<'audit'>;

function errorText(t: Text, error: DeskProblem): string {
  const { code, message } = toDeskProblem(error);
  const key = errorTextKey(AUDIT_ERROR_CODES, code);
  return key === 'unknown' ? t('errors.unknown', { message }) : t(`errors.${key}`);
}

function problemText(t: Text, problem: AuditProblem): string {
  const values = { seq: problem.seq ?? '', checkpointSeq: problem.checkpointSeq ?? '' };
  if (problem.reason === 'truncated' && problem.checkpointSeq === undefined) return t('reason.truncated_unsigned', values);
  return t(`reason.${problem.reason}`, values);
}

export function AuditChainStatus() {
  const { t } = useTranslation('audit');
  const titleId = useId();
  const status = useDeskQuery('audit.status', undefined, { refetchOn: { 'audit.changed': { matches: () => true } } });
  const check = useDeskCommand('audit.verify', { onSuccess: () => status.refetch() });
  const current = status.state.phase === 'ready' ? status.state.value : null;
  const checking = check.pending || current?.state === 'checking';

  // A desk that never checked (a supervisor's first visit before the first sync ended) checks at once.
  const started = useRef(false);
  const runCheck = check.run;
  useEffect(() => {
    if (current?.state === 'unchecked' && !started.current) {
      started.current = true;
      void runCheck();
    }
  }, [current?.state, runCheck]);

  return (
    <section className="audit-status" aria-labelledby={titleId} aria-busy={checking || undefined}>
      <h2 id={titleId} className="audit-status__title">
        {t('title')}
      </h2>
      <p className="audit-status__intro">{t('intro')}</p>
      {status.state.phase === 'loading' && <p role="status">{t('loading')}</p>}
      {status.state.phase === 'failed' && <Alert tone="error">{t('loadFailed', { message: errorText(t, status.state.error) })}</Alert>}
      {current && <Verdict status={current} />}
      {current && <Fingerprint status={current} />}
      <div className="audit-status__actions">
        <Button variant="secondary" busy={checking} onClick={() => void check.run()}>
          {t('checkAgain')}
        </Button>
      </div>
      {check.error && <Alert tone="error">{errorText(t, check.error)}</Alert>}
      {current?.problem?.reason === 'key_changed' && current.newFingerprint && (
        <TrustNewKey newFingerprint={current.newFingerprint} onTrusted={() => status.refetch()} />
      )}
    </section>
  );
}

function Verdict({ status }: { status: AuditStatus }) {
  const { t } = useTranslation('audit');
  const format = useCaseFormatters();
  const times = (
    <>
      {status.checkpointAt && <span>{t('checkpointAt', { time: format.dateTime(status.checkpointAt) })}</span>}
      {status.checkedAt && <span>{t('checkedAt', { time: format.dateTime(status.checkedAt) })}</span>}
    </>
  );
  const lastVerified =
    status.verifiedUpTo !== null && status.verifiedUpTo > 0 ? (
      <p>{t('lastVerified', { seq: format.integer(status.verifiedUpTo) })}</p>
    ) : null;

  switch (status.state) {
    case 'verified':
      return (
        <div className="audit-status__verdict audit-status__verdict--ok" role="status">
          <CheckMark />
          <div>
            {status.verifiedUpTo === 0 ? (
              <p>{t('emptyLog')}</p>
            ) : (
              <p className="audit-status__headline">
                <strong>{t('verified')}</strong> <span>{t('upTo', { seq: format.integer(status.verifiedUpTo ?? 0) })}</span>
              </p>
            )}
            <p className="audit-status__times">{times}</p>
          </div>
        </div>
      );
    case 'failed':
      return (
        <Alert tone="error">
          <p className="audit-status__alert-title">
            <strong>{t('failedTitle')}</strong>
          </p>
          {status.problem && <p>{problemText(t, status.problem)}</p>}
          {lastVerified}
          <p>{t('failedAdvice')}</p>
          <p className="audit-status__times">{times}</p>
        </Alert>
      );
    case 'unavailable':
      return (
        <Alert tone="warning">
          <p className="audit-status__alert-title">
            <strong>{t('unavailableTitle')}</strong>
          </p>
          <p>{t('unavailable', { detail: status.problem?.detail ?? '' })}</p>
          {lastVerified}
        </Alert>
      );
    case 'checking':
      return (
        <div className="audit-status__verdict" role="status">
          <span className="spinner" aria-hidden="true" />
          <div>
            <p>{t('checking')}</p>
            {lastVerified}
          </div>
        </div>
      );
    case 'unchecked':
      return <p role="status">{t('unchecked')}</p>;
  }
}

function Fingerprint({ status }: { status: AuditStatus }) {
  const { t } = useTranslation('audit');
  return (
    <dl className="audit-status__keys">
      <div>
        <dt>{t('fingerprint')}</dt>
        <dd>{status.fingerprint ? <code className="audit-status__fingerprint">{status.fingerprint}</code> : t('noFingerprint')}</dd>
      </div>
      {status.newFingerprint && (
        <div>
          <dt>{t('newFingerprint')}</dt>
          <dd>
            <code className="audit-status__fingerprint audit-status__fingerprint--new">{status.newFingerprint}</code>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The user confirms a new key by typing the first characters of its fingerprint; the desk checks them. */
function TrustNewKey({ newFingerprint, onTrusted }: { newFingerprint: string; onTrusted(): void }) {
  const { t } = useTranslation('audit');
  const titleId = useId();
  const [typed, setTyped] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const trust = useDeskCommand('audit.trustKey', { onSuccess: onTrusted });
  const digits = typed.replace(/[\s:]/g, '');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (digits.length < 16) {
      setTooShort(true);
      return;
    }
    setTooShort(false);
    void trust.run({ fingerprint: typed });
  }

  return (
    <form className="audit-status__trust" aria-labelledby={titleId} onSubmit={submit} noValidate>
      <h3 id={titleId}>{t('trust.title')}</h3>
      <p>{t('trust.explain')}</p>
      <p>
        <code className="audit-status__fingerprint">{newFingerprint}</code>
      </p>
      <TextField
        label={t('trust.label')}
        hint={t('trust.hint')}
        value={typed}
        autoComplete="off"
        spellCheck={false}
        maxLength={80}
        aria-invalid={tooShort || trust.error !== null || undefined}
        onChange={(event) => {
          setTyped(event.target.value);
          setTooShort(false);
          trust.reset();
        }}
      />
      {tooShort && <Alert tone="error">{t('trust.tooShort')}</Alert>}
      {trust.error && <Alert tone="error">{errorText(t, trust.error)}</Alert>}
      <div className="audit-status__actions">
        <Button type="submit" variant="primary" busy={trust.pending}>
          {t('trust.confirm')}
        </Button>
      </div>
    </form>
  );
}

function CheckMark() {
  return (
    <svg className="audit-status__mark" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d="M7 12.5l3.2 3.2L17 8.8" fill="none" stroke="var(--surface)" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
