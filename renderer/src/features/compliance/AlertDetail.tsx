// One KYT alert for the compliance reviewer: what fired and why (the rule, its version and limits), the
// decision buttons ("Assign to me", "Dismiss", "Escalate", "Report"), the hold on the case's escrow, the
// filed report's downloads, the party's trades (the flagged ones marked) and counterparties, and the linked
// case's chat, evidence and identity, read-only. Read live from the server through the desk ('kyt.alert'),
// and again whenever one of the reviewer's commands on the alert or its case is answered.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KytAlertView } from '../../../../shared/desk-api/schemas';
import { alertsHref, caseHref } from '../../app/router';
import { Badge, Button } from '../../components';
import { useDeskQuery, type RefetchOn } from '../../desk';
import { ChatRegion } from '../case/ChatRegion';
import { EvidenceRegion } from '../case/EvidenceRegion';
import { useCaseFormatters } from '../case/format';
import { IdentityRegion } from '../case/IdentityRegion';
import '../case/case.css';
import { AlertActions } from './AlertActions';
import { errorText } from './errorText';
import { LEVEL_TONE, STATUS_TONE } from './format';
import { HoldPanel } from './HoldPanel';
import { PartyHistory } from './PartyHistory';
import { ReportDownloads } from './ReportDownloads';
import { WhyItFired } from './WhyItFired';
import './compliance.css';

function refetchOn(alertId: string): RefetchOn<KytAlertView> {
  return {
    'alerts.changed': { matches: ({ alertIds }) => alertIds.includes(alertId) },
    'outbox.changed': {
      matches: (entry) => entry.alertId === alertId || (entry.caseId !== null && entry.kind.endsWith('hold')),
      stale: (entry, current) => entry.alertId === alertId || entry.caseId === current.alert.caseId,
    },
    'cases.changed': {
      matches: () => true,
      stale: ({ caseIds }, current) => current.alert.caseId !== null && caseIds.includes(current.alert.caseId),
    },
  };
}

export function AlertDetail({ alertId }: { alertId: string }) {
  const { t } = useTranslation('compliance');
  const format = useCaseFormatters();
  const query = useDeskQuery('kyt.alert', { alertId }, { refetchOn: refetchOn(alertId) });
  const { state } = query;

  if (state.phase === 'loading') {
    return (
      <div className="case-workspace alert-detail alert-detail--message" role="status">
        {t('detail.loading', { alertId })}
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div className="case-workspace alert-detail alert-detail--message">
        <p role="alert">{t('detail.loadFailed', { alertId, message: errorText(t, state.error) })}</p>
        <Button variant="primary" onClick={query.reloadNow}>
          {t('retry')}
        </Button>
        <a href={alertsHref}>{t('detail.back')}</a>
      </div>
    );
  }

  const { alert, outbox } = state.value;
  const alertOutbox = outbox.filter((entry) => entry.alertId === alert.id);
  const caseOutbox = outbox.filter((entry) => entry.caseId !== null);

  return (
    <article className="case-workspace alert-detail" aria-label={t('detail.label', { alertId: alert.id })} aria-busy={query.refreshing}>
      <a className="alert-detail__back" href={alertsHref}>
        ← {t('detail.back')}
      </a>
      <header className="alert-detail__header">
        <h1 className="alert-detail__title">
          <span className="mono">{alert.id}</span> {alert.rule}
        </h1>
        <div className="alert-detail__badges">
          <Badge tone={LEVEL_TONE[alert.level]}>{t(`level.${alert.level}`)}</Badge>
          <Badge tone={STATUS_TONE[alert.status]}>{t(`status.${alert.status}`)}</Badge>
          <span className="case-muted">{t('detail.ruleVersion', { ruleId: alert.ruleId, version: alert.ruleVersion })}</span>
          <span className="case-muted">{t('detail.score', { score: format.integer(alert.score) })}</span>
          <span className="case-muted">{t(`detail.exposure.${alert.exposure}`)}</span>
        </div>
        <p className="alert-detail__facts">
          <strong>{format.crypto(alert.amount, alert.asset)}</strong> · {alert.category} ·{' '}
          {t('detail.raised', { time: format.dateTime(alert.createdAt) })} ·{' '}
          {t('detail.window', { from: format.dateTime(alert.windowStart), to: format.dateTime(alert.windowEnd) })}
        </p>
        <p className="case-muted">
          {alert.assignee ? t('detail.assignee', { name: alert.assignee.displayName }) : t('detail.unassigned')}
        </p>
        {alert.reviewer && alert.reviewedAt && (
          <p className="case-muted">
            {t('detail.decidedBy', {
              status: t(`status.${alert.status}`),
              name: alert.reviewer.displayName,
              time: format.dateTime(alert.reviewedAt),
              reason: alert.decisionReason ?? '',
            })}
          </p>
        )}
      </header>
      <AlertActions alert={alert} outbox={alertOutbox} onCommandSent={query.refetch} />
      {alert.reportId && <ReportDownloads reportId={alert.reportId} />}
      <div className="alert-detail__columns">
        <WhyItFired alert={alert} />
        {alert.case ? (
          <HoldPanel detail={alert.case} outbox={caseOutbox} onCommandSent={query.refetch} />
        ) : (
          <section className="compliance-panel" aria-label={t('hold.title')}>
            <p className="case-muted">{t('detail.noCase')}</p>
          </section>
        )}
      </div>
      <PartyHistory alert={alert} />
      {alert.case && <LinkedCase alert={alert} />}
    </article>
  );
}

/** The alert's dispute, read-only: its chat, evidence and identity as the case workspace shows them. */
function LinkedCase({ alert }: { alert: KytAlertView['alert'] }) {
  const { t } = useTranslation('compliance');
  const [shownEvidence, setShownEvidence] = useState<string | null>(null);
  const detail = alert.case;
  if (!detail) return null;
  return (
    <section className="alert-detail__case" aria-labelledby="linked-case-title">
      <div className="alert-detail__case-head">
        <h2 id="linked-case-title" className="compliance-panel__title">
          {t('detail.caseTitle', { caseId: detail.id })}
        </h2>
        <a href={caseHref(detail.id)}>{t('detail.openCase')}</a>
      </div>
      <div className="case-workspace__columns">
        <ChatRegion detail={detail} canWrite={false} messageDraft="" onMessageDraft={() => undefined} onShowEvidence={setShownEvidence} />
        <EvidenceRegion detail={detail} sharedEvidence={{}} selected={shownEvidence} onSelect={setShownEvidence} />
      </div>
      <IdentityRegion detail={detail} canRequestLiveness={false} />
    </section>
  );
}
