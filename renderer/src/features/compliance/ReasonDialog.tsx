// The dialog behind every reviewer action that needs words: dismiss, escalate and report an alert (a
// report also asks for the narrative), place a hold, lift one (with a fresh authentication code); and the
// supervisor's approve (a code only), send back (reason and code) and reassign (an agent, given as a field
// of the screen's own, and a reason). A native modal <dialog> keeps focus inside, closes on Escape and gives
// focus back to the button that opened it.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { DeskError } from '../../../../shared/desk-api/schemas';
import type { DeskProblem } from '../../desk';
import { errorText } from './errorText';

export interface ReasonInput {
  reason: string;
  narrative?: string;
  totp?: string;
}

interface ReasonDialogProps {
  title: string;
  summary: string;
  confirmLabel: string;
  /** Asks for the report's narrative as well. */
  withNarrative?: boolean;
  /** Asks for a fresh authentication code as well. */
  withCode?: boolean;
  /** Asks for a reason (the default); an approval asks for its code only. */
  withReason?: boolean;
  /** Fields of the screen's own, shown before the reason (the reassignment's agent). */
  children?: ReactNode;
  /** What the screen's own fields still lack, said when the user confirms; null when they are complete. */
  missing?: string | null;
  /** Words a refusal in the screen's own terms; the compliance wording otherwise. */
  describeError?(error: DeskProblem | DeskError): string;
  pending: boolean;
  /** The desk's refusal, or the outbox's when the server refused the command for good. */
  error: DeskProblem | DeskError | null;
  onConfirm(input: ReasonInput): void;
  onClose(): void;
}

const SIX_DIGITS = /^\d{6}$/;

export function ReasonDialog(props: ReasonDialogProps) {
  const { title, summary, confirmLabel, withNarrative = false, withCode = false, withReason = true } = props;
  const { t } = useTranslation('compliance');
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const [narrative, setNarrative] = useState('');
  const [code, setCode] = useState('');
  // "Fill in every field" speaks of the fields as they were when the user confirmed: once they change, it
  // goes (the fields' values are kept with it and compared).
  const [refusal, setRefusal] = useState<{ message: string; fields: string } | null>(null);
  const fields = JSON.stringify([reason, narrative, code, props.missing ?? null]);
  const incomplete = refusal?.fields === fields ? refusal.message : null;
  const setIncomplete = (message: string | null) => setRefusal(message === null ? null : { message, fields });

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  function confirm(event: FormEvent) {
    event.preventDefault();
    if (props.pending) return;
    if (props.missing) {
      setIncomplete(props.missing);
      return;
    }
    if ((withReason && reason.trim() === '') || (withNarrative && narrative.trim() === '')) {
      setIncomplete(t('dialog.required'));
      return;
    }
    if (withCode && !SIX_DIGITS.test(code)) {
      setIncomplete(t('dialog.codeRequired'));
      return;
    }
    setIncomplete(null);
    props.onConfirm({
      reason: withReason ? reason.trim() : '',
      ...(withNarrative ? { narrative: narrative.trim() } : {}),
      ...(withCode ? { totp: code } : {}),
    });
  }

  const describe = props.describeError ?? ((refusal: DeskProblem | DeskError) => errorText(t, refusal));
  const error = incomplete ?? (props.error ? describe(props.error) : null);

  return (
    <dialog
      ref={dialog}
      className="case-dialog compliance-dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-summary`}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <form onSubmit={confirm} className="case-dialog__form" noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        <p id={`${id}-summary`} className="case-dialog__summary">
          {summary}
        </p>

        {props.children}

        {withReason && (
          <>
            <label htmlFor={`${id}-reason`}>{t('dialog.reason')}</label>
            <textarea
              id={`${id}-reason`}
              autoFocus={!props.children}
              required
              rows={3}
              maxLength={2000}
              aria-describedby={`${id}-reason-hint`}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
            <span id={`${id}-reason-hint`} className="case-muted">
              {t('dialog.reasonHint')}
            </span>
          </>
        )}

        {withNarrative && (
          <>
            <label htmlFor={`${id}-narrative`}>{t('dialog.narrative')}</label>
            <textarea
              id={`${id}-narrative`}
              required
              rows={6}
              maxLength={20_000}
              aria-describedby={`${id}-narrative-hint`}
              value={narrative}
              onChange={(event) => setNarrative(event.target.value)}
            />
            <span id={`${id}-narrative-hint`} className="case-muted">
              {t('dialog.narrativeHint')}
            </span>
          </>
        )}

        {withCode && (
          <>
            <label htmlFor={`${id}-code`}>{t('dialog.code')}</label>
            <input
              id={`${id}-code`}
              autoFocus={!withReason}
              className="case-code-input"
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              aria-describedby={`${id}-code-hint`}
              value={code}
              onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
            />
            <span id={`${id}-code-hint`} className="case-muted">
              {t('dialog.codeHint')}
            </span>
          </>
        )}

        {error && (
          <p className="case-alert case-alert--error" role="alert">
            {error}
          </p>
        )}
        <div className="case-dialog__buttons">
          <Button variant="quiet" onClick={props.onClose}>
            {t('dialog.cancel')}
          </Button>
          <Button variant="primary" type="submit" busy={props.pending}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
