// The case's KYT alerts (transaction monitoring, modelled on Chainalysis): how serious, which rule, what
// exposure, and where compliance's review stands.
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../shared/api/types';

export function KytAlerts({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('case');
  const partyName = (partyId: string) =>
    partyId === detail.buyer.id ? detail.buyer.displayName : partyId === detail.seller.id ? detail.seller.displayName : partyId;
  return (
    <div className="case-kyt">
      <h3>{t('identity.kytTitle')}</h3>
      {detail.kytAlerts.length === 0 ? (
        <p className="case-muted">{t('identity.kytEmpty')}</p>
      ) : (
        <table className="case-table">
          <caption className="case-visually-hidden">{t('identity.kytTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('identity.kytColumns.level')}</th>
              <th scope="col">{t('identity.kytColumns.rule')}</th>
              <th scope="col">{t('identity.kytColumns.category')}</th>
              <th scope="col">{t('identity.kytColumns.exposure')}</th>
              <th scope="col">{t('identity.kytColumns.score')}</th>
              <th scope="col">{t('identity.kytColumns.status')}</th>
              <th scope="col">{t('identity.kytColumns.party')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.kytAlerts.map((alert) => (
              <tr key={alert.id}>
                <td>
                  <span className={`case-level case-level--${alert.level.toLowerCase()}`}>{t(`identity.level.${alert.level}`)}</span>
                </td>
                <td>
                  {alert.rule}
                  <div className="case-muted">{alert.details}</div>
                </td>
                <td>{alert.category}</td>
                <td>{t(`identity.exposure.${alert.exposure}`)}</td>
                <td>{alert.score}</td>
                <td>{t(`identity.kytStatus.${alert.status}`)}</td>
                <td>{partyName(alert.partyId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
