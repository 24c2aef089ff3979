// "Reassign" for a supervisor on a case not decided yet: a dialog with the combobox "Agent" (the agents read
// live through 'users.agents', each with the cases they hold unresolved, so the case can go to whoever has
// room) and a reason. The reassignment is an outbox command ('case.reassign').
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../shared/api/types';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { Button } from '../../components';
import { useDeskQuery } from '../../desk';
import { ReasonDialog } from '../compliance/ReasonDialog';
import { useOutboxAction } from '../compliance/useOutboxAction';
import { errorText } from './errorText';
import { latestUnsettled } from './latestCommand';

const REASSIGN: readonly OutboxEntry['kind'][] = ['reassign'];

export function ReassignControl({ detail, outbox, onCommandSent }: { detail: CaseDetail; outbox: OutboxEntry[]; onCommandSent(): void }) {
  const { t } = useTranslation('approval');
  const [open, setOpen] = useState(false);
  const reassign = useOutboxAction('case.reassign', () => {
    setOpen(false);
    onCommandSent();
  });
  const latest = latestUnsettled(outbox, REASSIGN);
  const describe = (error: Parameters<typeof errorText>[1]) => errorText(t, error);

  return (
    <section className="approval-reassign" aria-label={t('reassign.label')}>
      <p className="case-muted">
        {detail.assignee ? t('reassign.heldBy', { name: detail.assignee.displayName }) : t('reassign.unassigned')}
      </p>
      <Button
        variant="secondary"
        disabled={latest?.state === 'pending'}
        onClick={() => {
          reassign.reset();
          setOpen(true);
        }}
      >
        {t('reassign.button')}
      </Button>
      <div role="status">
        {latest?.state === 'pending' && <p className="case-pending">{t('reassign.pending')}</p>}
        {latest?.state === 'failed' && latest.error && <p className="case-alert case-alert--error">{describe(latest.error)}</p>}
      </div>
      {open && (
        <ReassignDialog
          detail={detail}
          pending={reassign.pending}
          error={reassign.error}
          describe={describe}
          onConfirm={(assigneeId, reason) => void reassign.send({ caseId: detail.id, assigneeId, reason })}
          onClose={() => setOpen(false)}
        />
      )}
    </section>
  );
}

interface ReassignDialogProps {
  detail: CaseDetail;
  pending: boolean;
  error: Parameters<typeof ReasonDialog>[0]['error'];
  describe: (error: Parameters<typeof errorText>[1]) => string;
  onConfirm(assigneeId: string, reason: string): void;
  onClose(): void;
}

function ReassignDialog({ detail, pending, error, describe, onConfirm, onClose }: ReassignDialogProps) {
  const { t } = useTranslation('approval');
  const agents = useDeskQuery('users.agents', undefined);
  const [assigneeId, setAssigneeId] = useState('');
  const selectId = useId();
  const holder = detail.assignee;

  return (
    <ReasonDialog
      title={t('dialog.reassignTitle', { caseId: detail.id })}
      summary={holder ? t('dialog.reassignSummary', { name: holder.displayName }) : t('dialog.reassignSummaryUnassigned')}
      confirmLabel={t('dialog.confirmReassign')}
      pending={pending}
      error={error}
      describeError={describe}
      missing={assigneeId === '' ? t('dialog.agentRequired') : null}
      onConfirm={({ reason }) => onConfirm(assigneeId, reason)}
      onClose={onClose}
    >
      <label htmlFor={selectId}>{t('dialog.agent')}</label>
      <select
        id={selectId}
        autoFocus
        required
        value={assigneeId}
        disabled={agents.state.phase !== 'ready'}
        aria-describedby={agents.state.phase === 'ready' ? undefined : `${selectId}-state`}
        onChange={(event) => setAssigneeId(event.target.value)}
      >
        <option value="">{t('dialog.chooseAgent')}</option>
        {agents.state.phase === 'ready' &&
          agents.state.value.map((agent) =>
            agent.id === holder?.id ? (
              <option key={agent.id} value={agent.id} disabled>
                {t('dialog.holder', { name: agent.displayName })}
              </option>
            ) : (
              <option key={agent.id} value={agent.id}>
                {t('dialog.agentOption', { name: agent.displayName, count: agent.openCases })}
              </option>
            ),
          )}
      </select>
      {agents.state.phase === 'loading' && (
        <span id={`${selectId}-state`} className="case-muted">
          {t('dialog.agentsLoading')}
        </span>
      )}
      {agents.state.phase === 'failed' && (
        <span id={`${selectId}-state`} className="case-alert case-alert--error">
          {t('dialog.agentsFailed', { message: describe(agents.state.error) })}
        </span>
      )}
    </ReasonDialog>
  );
}
