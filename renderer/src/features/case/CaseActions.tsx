// "Claim case", "Release to buyer", "Refund to seller", and what became of the last command: on its way,
// refused (another agent decided first, a hold), waiting for a fresh code, or sent to a supervisor.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import { useShortcut } from '../../app/shortcuts';
import type { CaseDetail, Me } from '../../../../shared/api/types';
import type { VerdictOutcome } from '../../../../shared/domain/dispute';
import type { Draft, OutboxEntry } from '../../../../shared/desk-api/schemas';
import { caseActionRules, latestOpenOrFailed, type ActionBlock } from './caseActionRules';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';
import { FreshCodeForm } from './FreshCodeForm';
import { exchangeSettlement } from './settlement';
import { VerdictDialog } from './VerdictDialog';

interface CaseActionsProps {
  detail: CaseDetail;
  user: Me | null;
  outbox: OutboxEntry[];
  verdictDraft: Draft['verdict'];
  onVerdictDraft(draft: Draft['verdict']): void;
  onCommandSent(): void;
}

export function CaseActions({ detail, user, outbox, verdictDraft, onVerdictDraft, onCommandSent }: CaseActionsProps) {
  const { t } = useTranslation('case');
  const [dialogOutcome, setDialogOutcome] = useState<VerdictOutcome | null>(null);
  const claim = useDeskCommand('case.claim', { onSuccess: onCommandSent });
  const rules = caseActionRules(detail, user, outbox);
  const lastCommand = latestOpenOrFailed(outbox);
  // c, r and f (app/shortcuts.ts) do what the buttons do, only when the buttons are enabled: r and f only
  // open the dialog, which still needs the authentication code.
  useShortcut('claim', rules.canClaim && !claim.pending ? () => void claim.run({ caseId: detail.id }) : null);
  useShortcut('release', rules.canDecide ? () => openDialog('release') : null);
  useShortcut('refund', rules.canDecide ? () => openDialog('refund') : null);

  function openDialog(outcome: VerdictOutcome) {
    claim.reset();
    onVerdictDraft({ outcome, reasonCode: verdictDraft?.reasonCode ?? null, rationale: verdictDraft?.rationale ?? '' });
    setDialogOutcome(outcome);
  }

  // Settled on the exchange: nothing is left to claim or decide, and the settlement notice says why.
  if (rules.decideBlock === 'settled_on_exchange' && !lastCommand) return null;

  return (
    <section className="case-actions" aria-label={t('actions.label')}>
      <div className="case-actions__buttons">
        <Button variant="secondary" disabled={!rules.canClaim} aria-keyshortcuts="c" onClick={() => void claim.run({ caseId: detail.id })}>
          {t('actions.claim')}
        </Button>
        <Button variant="primary" className="case-verdict-button--release" disabled={!rules.canDecide} aria-keyshortcuts="r" onClick={() => openDialog('release')}>
          {t('actions.release')}
        </Button>
        <Button variant="primary" className="case-verdict-button--refund" disabled={!rules.canDecide} aria-keyshortcuts="f" onClick={() => openDialog('refund')}>
          {t('actions.refund')}
        </Button>
      </div>
      <div className="case-actions__status" role="status">
        {lastCommand ? (
          <CommandState entry={lastCommand} detail={detail} />
        ) : (
          <BlockReason block={rules.decideBlock} detail={detail} isHolder={rules.isHolder} />
        )}
      </div>
      {claim.error && (
        <p className="case-alert case-alert--error" role="alert">
          {errorText(t, claim.error)}
        </p>
      )}
      {dialogOutcome && (
        <VerdictDialog
          detail={detail}
          outcome={dialogOutcome}
          draft={verdictDraft ?? { outcome: dialogOutcome, reasonCode: null, rationale: '' }}
          onDraft={onVerdictDraft}
          onClose={() => setDialogOutcome(null)}
          onSent={() => {
            setDialogOutcome(null);
            // The outbox holds the verdict now: the draft has served its purpose.
            onVerdictDraft(null);
            onCommandSent();
          }}
        />
      )}
    </section>
  );
}

function CommandState({ entry, detail }: { entry: OutboxEntry; detail: CaseDetail }) {
  const { t } = useTranslation('case');
  if (entry.state === 'pending') {
    return <p className="case-pending">{entry.kind === 'verdict' ? t('actions.verdictPending') : t('actions.commandPending')}</p>;
  }
  if (entry.state === 'needs_code') {
    const text = {
      title: t('freshCode.title'),
      label: t('freshCode.label'),
      send: t('freshCode.send'),
      error: (error: Parameters<typeof errorText>[1]) => errorText(t, error),
    };
    return <FreshCodeForm entry={entry} channel="case.verdictCode" text={text} />;
  }
  // "Another agent decided first" would be wrong when the exchange's own settlement came first.
  if (entry.error?.code === 'case_already_resolved' && exchangeSettlement(detail)) {
    return <p className="case-alert case-alert--info">{t('settled.verdictRefused')}</p>;
  }
  return <p className="case-alert case-alert--error">{entry.error ? errorText(t, entry.error) : null}</p>;
}

function BlockReason({ block, detail, isHolder }: { block: ActionBlock; detail: CaseDetail; isHolder: boolean }) {
  const { t } = useTranslation('case');
  switch (block) {
    case 'settled_on_exchange':
      return null;
    case 'not_agent':
      return <p className="case-muted">{t('actions.onlyAgents')}</p>;
    case 'decided':
      return <p className="case-muted">{t('actions.decided')}</p>;
    case 'awaiting_approval':
      return <p className="case-alert case-alert--info">{t('actions.awaitingApproval')}</p>;
    case 'held_by_other':
      return <p className="case-muted">{t('actions.heldByOther', { name: detail.assignee?.displayName ?? '' })}</p>;
    case 'claim_first':
      return <p className="case-muted">{t('actions.claimFirst')}</p>;
    case 'on_hold':
      return <p className="case-alert case-alert--warning">{t('actions.onHold')}</p>;
    case 'in_flight':
      return <p className="case-pending">{t('actions.verdictPending')}</p>;
    case null:
      return isHolder ? <p className="case-muted">{t('actions.claimed')}</p> : null;
  }
}
