// "Have these two been here before?": the earlier disputes between the case's buyer and seller (in either
// role), newest first, each a link to its case — a pattern an agent should see before deciding.
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { EarlierDispute } from '../../../../shared/desk-api/schemas';
import { caseHref } from '../../app/router';

export function EarlierDisputes({ disputes }: { disputes: EarlierDispute[] }) {
  const { t } = useTranslation('case');
  if (disputes.length === 0) {
    return <p className="case-header__earlier case-muted">{t('header.noEarlierDisputes')}</p>;
  }
  return (
    <p className="case-header__earlier">
      {t('header.earlierDisputes')}{' '}
      {disputes.map((dispute, index) => (
        <Fragment key={dispute.id}>
          {index > 0 && ', '}
          <a href={caseHref(dispute.id)}>{dispute.id}</a>{' '}
          <span className="case-muted">{t('header.earlierDisputeStatus', { status: t(`status.${dispute.status}`) })}</span>
        </Fragment>
      ))}
    </p>
  );
}
