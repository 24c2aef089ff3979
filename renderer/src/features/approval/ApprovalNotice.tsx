// What a supervisor decided on a proposed verdict, for whoever opens the case (above all its agent): "Approved
// by Sofia on …" once carried out, or "Sent back by Sofia: <reason>" when the proposal went back to the
// agent, who can then decide again. From the case detail's verdict; nothing while a proposal waits.
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../shared/api/types';
import { useCaseFormatters } from '../case/format';
import { exchangeSettlement } from '../case/settlement';

export function ApprovalNotice({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('approval');
  const format = useCaseFormatters();
  const verdict = detail.verdict;
  // A proposal the exchange's own settlement set aside was not sent back: the case is over (SettlementNotice).
  if (verdict?.state === 'rejected' && verdict.rejectedBy && !exchangeSettlement(detail)) {
    return (
      <div className="case-alert case-alert--warning approval-notice" role="note">
        <p>
          <strong>{t('notice.sentBack', { name: verdict.rejectedBy.displayName, reason: verdict.rejectReason ?? '' })}</strong>
        </p>
        <p className="case-muted">
          {t('notice.sentBackWhen', {
            time: verdict.rejectedAt ? format.dateTime(verdict.rejectedAt) : '',
            agent: detail.assignee?.displayName ?? verdict.proposedBy.displayName,
          })}
        </p>
      </div>
    );
  }
  if (verdict?.state === 'executed' && verdict.approvedBy) {
    return (
      <p className="case-alert case-alert--info approval-notice" role="note">
        {t('notice.approved', {
          name: verdict.approvedBy.displayName,
          time: verdict.approvedAt ? format.dateTime(verdict.approvedAt) : '',
        })}
      </p>
    );
  }
  return null;
}
