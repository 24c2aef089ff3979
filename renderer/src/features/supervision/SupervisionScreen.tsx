// The supervisor's workspace (DESIGN §6, issue #9): the audit chain's status at the top, then either the
// verdict history with the per-agent figures (`#/supervision`), the week's quality review
// (`#/supervision/review`) or the deliveries of events to the exchange (`#/supervision/deliveries`).
import { useTranslation } from 'react-i18next';
import { supervisionDeliveriesHref, supervisionHref, supervisionReviewHref } from '../../app/router';
import { AuditChainStatus } from '../audit/AuditChainStatus';
import { DeliveryLog } from './DeliveryLog';
import { QualityReview } from './QualityReview';
import { VerdictsAndFigures } from './VerdictsAndFigures';
import '../queue/queue.css';
import '../compliance/compliance.css';
import './supervision.css';

export function SupervisionScreen({ view }: { view: 'history' | 'review' | 'deliveries' }) {
  const { t } = useTranslation('supervision');
  return (
    <section className="supervision" aria-labelledby="supervision-title">
      <div className="supervision__top">
        <h1 id="supervision-title" className="alerts__title">
          {t('title')}
        </h1>
        <nav className="supervision__sections" aria-label={t('sections.label')}>
          <a href={supervisionHref} aria-current={view === 'history' ? 'page' : undefined}>
            {t('sections.history')}
          </a>
          <a href={supervisionReviewHref} aria-current={view === 'review' ? 'page' : undefined}>
            {t('sections.review')}
          </a>
          <a href={supervisionDeliveriesHref} aria-current={view === 'deliveries' ? 'page' : undefined}>
            {t('sections.deliveries')}
          </a>
        </nav>
      </div>
      {/* "Audit chain verified" up to entry #N, or the first broken entry (DESIGN §6): the desk's own check. */}
      <AuditChainStatus />
      {view === 'history' ? <VerdictsAndFigures /> : view === 'review' ? <QualityReview /> : <DeliveryLog />}
    </section>
  );
}
