// Four-eyes, the supervisor's side (DESIGN §2): a case pending approval shows the proposed verdict (who
// proposed it, the outcome, the reason in words, the agent's rationale, when, and the USD value that made it
// need a second pair of eyes) with "Approve" and "Send back". Each asks for a fresh authentication code in a
// dialog (send back also for a reason); a code that went stale before the server took it asks for a fresh
// one here and goes again under its original key ('case.approvalCode'). The proposer is told they cannot
// approve their own proposal instead of being offered the buttons.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, Me, Verdict } from '../../../../shared/api/types';
import { APPROVAL_KINDS, type OutboxEntry } from '../../../../shared/desk-api/schemas';
import { Button } from '../../components';
import { FreshCodeForm } from '../case/FreshCodeForm';
import { useCaseFormatters } from '../case/format';
import { ReasonDialog } from '../compliance/ReasonDialog';
import { useOutboxAction } from '../compliance/useOutboxAction';
import { errorText } from './errorText';
import { latestUnsettled } from './latestCommand';

interface ProposalRegionProps {
  detail: CaseDetail;
  verdict: Verdict;
  user: Me;
  outbox: OutboxEntry[];
  onCommandSent(): void;
}

export function ProposalRegion({ detail, verdict, user, outbox, onCommandSent }: ProposalRegionProps) {
  const { t } = useTranslation('approval');
  const { t: caseText } = useTranslation('case');
  const format = useCaseFormatters();
  const titleId = useId();
  const [dialog, setDialog] = useState<'approve' | 'send_back' | null>(null);
  const close = () => setDialog(null);
  const taken = () => {
    close();
    onCommandSent();
  };
  const approve = useOutboxAction('case.approve', taken);
  const sendBack = useOutboxAction('case.sendBack', taken);
  const latest = latestUnsettled(outbox, APPROVAL_KINDS);
  const inFlight = latest !== null && latest.state !== 'failed';
  const isProposer = verdict.proposedBy.id === user.id;
  const describe = (error: Parameters<typeof errorText>[1]) => errorText(t, error);
  const amount = format.crypto(detail.escrow.amount, detail.escrow.asset);

  return (
    <section className="approval-panel" aria-labelledby={titleId}>
      <h2 id={titleId} className="approval-panel__title">
        {t('proposal.title')}
      </h2>
      <dl className="approval-facts">
        <div>
          <dt>{t('proposal.proposedBy')}</dt>
          <dd>{verdict.proposedBy.displayName}</dd>
        </div>
        <div>
          <dt>{t('proposal.outcome')}</dt>
          <dd>
            <strong className={`approval-outcome approval-outcome--${verdict.outcome}`}>{t(`proposal.outcomes.${verdict.outcome}`)}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('proposal.reason')}</dt>
          <dd>{caseText(`reason.${verdict.reasonCode}`)}</dd>
        </div>
        <div>
          <dt>{t('proposal.proposedAt')}</dt>
          <dd>{format.dateTime(verdict.proposedAt)}</dd>
        </div>
        <div>
          <dt>{t('proposal.value')}</dt>
          <dd>
            {t('proposal.valueText', {
              usd: format.decimal(detail.fourEyes.usdEquivalent),
              threshold: format.decimal(detail.fourEyes.thresholdUsd),
            })}
          </dd>
        </div>
        <div className="approval-facts__wide">
          <dt>{t('proposal.rationale')}</dt>
          <dd>
            <blockquote className="approval-rationale">{verdict.rationale}</blockquote>
          </dd>
        </div>
      </dl>

      {isProposer ? (
        <p className="case-alert case-alert--info">{t('proposal.ownProposal')}</p>
      ) : (
        <div className="approval-panel__buttons">
          <Button
            variant="primary"
            disabled={inFlight}
            onClick={() => {
              approve.reset();
              setDialog('approve');
            }}
          >
            {t('proposal.approve')}
          </Button>
          <Button
            variant="secondary"
            disabled={inFlight}
            onClick={() => {
              sendBack.reset();
              setDialog('send_back');
            }}
          >
            {t('proposal.sendBack')}
          </Button>
        </div>
      )}
      <div role="status">
        {latest?.state === 'pending' && <p className="case-pending">{t('proposal.pending')}</p>}
        {latest?.state === 'failed' && latest.error && <p className="case-alert case-alert--error">{describe(latest.error)}</p>}
      </div>
      {latest?.state === 'needs_code' && (
        <FreshCodeForm
          entry={latest}
          channel="case.approvalCode"
          text={{
            title: t('proposal.freshCodeTitle'),
            label: t('proposal.freshCodeLabel'),
            send: t('proposal.freshCodeSend'),
            error: describe,
          }}
        />
      )}

      {dialog === 'approve' && (
        <ReasonDialog
          title={t('dialog.approveTitle', { caseId: detail.id })}
          summary={t(`dialog.approveSummary.${verdict.outcome}`, { amount, name: verdict.proposedBy.displayName })}
          confirmLabel={t('dialog.confirmApprove')}
          withReason={false}
          withCode
          pending={approve.pending}
          error={approve.error}
          describeError={describe}
          onConfirm={({ totp }) => void approve.send({ caseId: detail.id, totp: totp ?? '' })}
          onClose={close}
        />
      )}
      {dialog === 'send_back' && (
        <ReasonDialog
          title={t('dialog.sendBackTitle', { caseId: detail.id })}
          summary={t('dialog.sendBackSummary', { name: verdict.proposedBy.displayName })}
          confirmLabel={t('dialog.confirmSendBack')}
          withCode
          pending={sendBack.pending}
          error={sendBack.error}
          describeError={describe}
          onConfirm={({ reason, totp }) => void sendBack.send({ caseId: detail.id, reason, totp: totp ?? '' })}
          onClose={close}
        />
      )}
    </section>
  );
}
