// "Assign to me", "Dismiss", "Escalate" and "Report" on one alert. Each decision asks for a reason (a
// report also for the narrative) and goes through the desk's outbox under an idempotency key; the line
// under the buttons says what became of the reviewer's last command on the alert.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KytAlert } from '../../../../shared/api/types';
import type { KytDecision } from '../../../../shared/domain/dispute';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { Button } from '../../components';
import { useSession } from '../../stores/session';
import { errorText } from './errorText';
import { ReasonDialog } from './ReasonDialog';
import { useOutboxAction } from './useOutboxAction';

const DECIDED: ReadonlySet<KytAlert['status']> = new Set(['dismissed', 'escalated', 'reported']);

const DIALOG_TEXT = {
  dismiss: { title: 'dialog.dismissTitle', summary: 'dialog.dismissSummary', confirm: 'dialog.confirmDismiss' },
  escalate: { title: 'dialog.escalateTitle', summary: 'dialog.escalateSummary', confirm: 'dialog.confirmEscalate' },
  report: { title: 'dialog.reportTitle', summary: 'dialog.reportSummary', confirm: 'dialog.confirmReport' },
} as const;

export function AlertActions({ alert, outbox, onCommandSent }: { alert: KytAlert; outbox: OutboxEntry[]; onCommandSent(): void }) {
  const { t } = useTranslation('compliance');
  const user = useSession((session) => session.user);
  const [decision, setDecision] = useState<KytDecision | null>(null);
  const close = () => setDecision(null);
  const assign = useOutboxAction('kyt.assign', onCommandSent);
  const decide = useOutboxAction('kyt.decide', () => {
    close();
    onCommandSent();
  });
  const latest = [...outbox].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const inFlight = latest?.state === 'pending';
  const decided = DECIDED.has(alert.status);
  const mine = user !== null && alert.assignee?.id === user.id;

  function open(next: KytDecision) {
    decide.reset();
    setDecision(next);
  }

  return (
    <section className="case-actions alert-actions" aria-label={t('actions.label')}>
      <div className="case-actions__buttons">
        <Button variant="secondary" disabled={decided || mine || inFlight} busy={assign.pending} onClick={() => void assign.send({ alertId: alert.id })}>
          {t('actions.assign')}
        </Button>
        <Button variant="secondary" disabled={decided || inFlight} onClick={() => open('dismiss')}>
          {t('actions.dismiss')}
        </Button>
        <Button variant="secondary" disabled={decided || inFlight} onClick={() => open('escalate')}>
          {t('actions.escalate')}
        </Button>
        <Button variant="primary" disabled={decided || inFlight} onClick={() => open('report')}>
          {t('actions.report')}
        </Button>
      </div>
      <div className="case-actions__status" role="status">
        {decided ? (
          <p className="case-muted">{t('actions.decided')}</p>
        ) : inFlight ? (
          <p className="case-pending">{t('actions.pending')}</p>
        ) : latest?.state === 'failed' && latest.error ? (
          <p className="case-alert case-alert--error">{errorText(t, latest.error)}</p>
        ) : null}
      </div>
      {assign.error && (
        <p className="case-alert case-alert--error" role="alert">
          {errorText(t, assign.error)}
        </p>
      )}
      {decision && (
        <ReasonDialog
          title={t(DIALOG_TEXT[decision].title, { alertId: alert.id })}
          summary={t(DIALOG_TEXT[decision].summary)}
          confirmLabel={t(DIALOG_TEXT[decision].confirm)}
          withNarrative={decision === 'report'}
          pending={decide.pending}
          error={decide.error}
          onConfirm={({ reason, narrative }) =>
            void decide.send({ alertId: alert.id, decision, reason, ...(decision === 'report' ? { narrative } : {}) })
          }
          onClose={close}
        />
      )}
    </section>
  );
}
