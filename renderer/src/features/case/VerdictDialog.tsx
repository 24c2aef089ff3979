// The verdict dialog: says plainly what will move and to whom, then asks for the reason, the rationale
// and a fresh authentication code. A native modal <dialog> keeps focus inside and closes on Escape; the
// reason and rationale are the desk-kept verdict draft, the code is never stored anywhere.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { CaseDetail } from '../../../../shared/api/types';
import { REASON_CODES, type ReasonCode, type VerdictOutcome } from '../../../../shared/domain/dispute';
import type { Draft } from '../../../../shared/desk-api/schemas';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';
import { useCaseFormatters } from './format';

type VerdictDraft = NonNullable<Draft['verdict']>;

interface VerdictDialogProps {
  detail: CaseDetail;
  outcome: VerdictOutcome;
  draft: VerdictDraft;
  onDraft(draft: VerdictDraft): void;
  /** The desk took the verdict into its outbox. */
  onSent(): void;
  onClose(): void;
}

const SIX_DIGITS = /^\d{6}$/;

export function VerdictDialog({ detail, outcome, draft, onDraft, onSent, onClose }: VerdictDialogProps) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const dialog = useRef<HTMLDialogElement>(null);
  const [code, setCode] = useState('');
  const verdict = useDeskCommand('case.verdict', { onSuccess: onSent });
  const [incomplete, setIncomplete] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const release = outcome === 'release';
  const recipient = release ? detail.buyer : detail.seller;
  const amount = format.crypto(detail.escrow.amount, detail.escrow.asset);
  const complete = draft.reasonCode !== null && draft.rationale.trim() !== '' && SIX_DIGITS.test(code);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (verdict.pending) return;
    if (!complete || draft.reasonCode === null) {
      verdict.reset();
      setIncomplete(true);
      return;
    }
    setIncomplete(false);
    await verdict.run({
      caseId: detail.id,
      outcome,
      reasonCode: draft.reasonCode,
      rationale: draft.rationale.trim(),
      totp: code,
    });
  }

  const error = incomplete ? t('dialog.required') : verdict.error ? errorText(t, verdict.error) : null;

  return (
    <dialog
      ref={dialog}
      className="case-dialog"
      aria-modal="true"
      aria-labelledby="verdict-title"
      aria-describedby="verdict-summary"
      onCancel={(event) => {
        // Escape: close through React state so the dialog unmounts with everything else.
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={(event) => void confirm(event)} className="case-dialog__form">
        <h2 id="verdict-title">{release ? t('dialog.releaseTitle') : t('dialog.refundTitle')}</h2>
        <p id="verdict-summary" className="case-dialog__summary">
          {release
            ? t('dialog.releaseSummary', { amount, name: recipient.displayName })
            : t('dialog.refundSummary', { amount, name: recipient.displayName })}
        </p>
        {detail.fourEyes.required && <p className="case-alert case-alert--info">{t('dialog.fourEyes')}</p>}

        <label htmlFor="verdict-reason">{t('dialog.reason')}</label>
        <select
          id="verdict-reason"
          autoFocus
          required
          value={draft.reasonCode ?? ''}
          onChange={(event) => onDraft({ ...draft, reasonCode: (event.target.value || null) as ReasonCode | null })}
        >
          <option value="">{t('dialog.chooseReason')}</option>
          {REASON_CODES.map((reason) => (
            <option key={reason} value={reason}>
              {t(`reason.${reason}`)}
            </option>
          ))}
        </select>

        <label htmlFor="verdict-rationale">{t('dialog.rationale')}</label>
        <textarea
          id="verdict-rationale"
          required
          rows={4}
          maxLength={4000}
          aria-describedby="verdict-rationale-hint"
          value={draft.rationale}
          onChange={(event) => onDraft({ ...draft, rationale: event.target.value })}
        />
        <span id="verdict-rationale-hint" className="case-muted">
          {t('dialog.rationaleHint')}
        </span>

        <label htmlFor="verdict-code">{t('dialog.code')}</label>
        <input
          id="verdict-code"
          className="case-code-input"
          required
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          pattern="\d{6}"
          aria-describedby="verdict-code-hint"
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
        />
        <span id="verdict-code-hint" className="case-muted">
          {t('dialog.codeHint')}
        </span>

        {error && (
          <p className="case-alert case-alert--error" role="alert">
            {error}
          </p>
        )}
        <div className="case-dialog__buttons">
          <Button variant="quiet" onClick={onClose}>
            {t('dialog.cancel')}
          </Button>
          <Button variant="primary" className={`case-verdict-button--${release ? 'release' : 'refund'}`} type="submit" busy={verdict.pending}>
            {release ? t('dialog.confirmRelease') : t('dialog.confirmRefund')}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
