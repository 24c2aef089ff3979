// The case workspace: everything an agent needs to decide one dispute on one screen. The shell renders it
// for `#/cases/<id>`; it loads the case from the desk and follows sync and the outbox on its own (aria-busy
// while a read of a change is due or on its way).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { Button } from '../../components';
import { openCaseInNewWindow } from '../../desk/shell';
import { CaseActions } from './CaseActions';
import { CaseHeader } from './CaseHeader';
import { ChatRegion } from './ChatRegion';
import { DossierDownloads } from './DossierDownloads';
import { EvidenceRegion } from './EvidenceRegion';
import { IdentityRegion } from './IdentityRegion';
import { NotesPanel } from './NotesPanel';
import { SettlementNotice } from './SettlementNotice';
import { exchangeSettlement } from './settlement';
import { errorText } from './errorText';
import { useCaseDraft } from './useCaseDraft';
import { useCaseView } from './useCaseView';
import { useSession } from '../../stores/session';
import { HoldPanel } from '../compliance/HoldPanel';
import { ApprovalNotice } from '../approval/ApprovalNotice';
import { SupervisorPanel } from '../approval/SupervisorPanel';
import './case.css';

const OTHER_ROLES_KINDS: ReadonlySet<OutboxEntry['kind']> = new Set(['hold', 'lift_hold', 'approve', 'send_back', 'reassign']);

export function CaseWorkspace({ caseId, onClose }: { caseId: string; onClose?: () => void }) {
  const { t } = useTranslation('case');
  const { state, refreshing, refetch, reloadNow } = useCaseView(caseId);
  const user = useSession((session) => session.user);
  const drafts = useCaseDraft(caseId);
  const [shownEvidence, setShownEvidence] = useState<string | null>(null);

  if (state.phase === 'loading') {
    return (
      <div className="case-workspace case-workspace--message" role="status">
        {t('loading', { caseId })}
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div className="case-workspace case-workspace--message">
        <p role="alert">{t('loadFailed', { caseId, message: errorText(t, state.error) })}</p>
        <Button variant="primary" onClick={reloadNow}>
          {t('retry')}
        </Button>
      </div>
    );
  }

  const { case: detail, outbox, sharedEvidence, earlierDisputes } = state.value;
  const isHolder = user !== null && user.role === 'agent' && detail.assignee?.id === user.id && detail.status !== 'resolved';
  // Holds are compliance's commands (HoldPanel), approvals, send-backs and reassignments the supervisor's
  // (SupervisorPanel); the actions bar speaks of the agent's.
  const agentOutbox = outbox.filter((entry) => !OTHER_ROLES_KINDS.has(entry.kind));

  return (
    <article className="case-workspace" aria-label={t('workspaceLabel', { caseId })} aria-busy={refreshing}>
      <div className="case-workspace__toolbar">
        {onClose && (
          <Button variant="quiet" onClick={onClose}>
            ← {t('close')}
          </Button>
        )}
        <Button variant="quiet" className="case-workspace__new-window" onClick={() => openCaseInNewWindow(caseId)}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path
              d="M9 2.5h4.5V7M13.5 2.5 7.5 8.5M12 9.5v3a1 1 0 0 1-1 1H3.5a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          {t('openInNewWindow')}
        </Button>
      </div>
      <CaseHeader detail={detail} user={user} earlierDisputes={earlierDisputes} />
      <SettlementNotice detail={detail} />
      <ApprovalNotice detail={detail} />
      {user?.role === 'supervisor' && <SupervisorPanel detail={detail} user={user} outbox={outbox} onCommandSent={refetch} />}
      <CaseActions
        detail={detail}
        user={user}
        outbox={agentOutbox}
        verdictDraft={drafts.draft.verdict}
        onVerdictDraft={(verdict) => drafts.update({ verdict })}
        onCommandSent={refetch}
      />
      {user?.role === 'compliance' && <HoldPanel detail={detail} outbox={outbox} onCommandSent={refetch} />}
      {/* A dossier seals a verdict: a case the exchange settled has none to seal. */}
      {detail.status === 'resolved' && !exchangeSettlement(detail) && (user?.role === 'supervisor' || user?.role === 'compliance') && (
        <DossierDownloads caseId={detail.id} />
      )}
      <div className="case-workspace__columns">
        <ChatRegion
          detail={detail}
          canWrite={isHolder}
          messageDraft={drafts.draft.message}
          onMessageDraft={(message) => drafts.update({ message })}
          onShowEvidence={setShownEvidence}
        />
        <EvidenceRegion detail={detail} sharedEvidence={sharedEvidence} selected={shownEvidence} onSelect={setShownEvidence} />
      </div>
      <div className="case-workspace__columns">
        <IdentityRegion detail={detail} canRequestLiveness={isHolder} />
        <NotesPanel detail={detail} noteDraft={drafts.draft.note} onNoteDraft={(note) => drafts.update({ note })} />
      </div>
      <p className="case-draft-state case-muted" aria-live="polite">
        {drafts.saveState === 'saving' ? t('draft.saving') : drafts.saveState === 'saved' ? t('draft.saved') : ''}
      </p>
    </article>
  );
}
