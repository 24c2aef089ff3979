// Every liveness check of one party, newest first: when and why it ran, its outcome and scores.
import { useTranslation } from 'react-i18next';
import type { LivenessCheck } from '../../../../shared/api/types';
import { useCaseFormatters } from './format';

export function LivenessHistory({ checks, partyName }: { checks: LivenessCheck[]; partyName: string }) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const score = (value: number | null) => (value === null ? '—' : format.percent(value));
  return (
    <details className="case-identity__history">
      <summary>
        {t('identity.history')} ({checks.length})
      </summary>
      <table className="case-table">
        <caption className="case-visually-hidden">
          {t('identity.history')} — {partyName}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('identity.when')}</th>
            <th scope="col">{t('identity.kytColumns.status')}</th>
            <th scope="col">{t('identity.livenessScore')}</th>
            <th scope="col">{t('identity.faceMatchScore')}</th>
            <th scope="col">MetaMap</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr key={check.id}>
              <td>
                {t(`identity.trigger.${check.trigger}`)}
                <div className="case-muted">
                  {check.completedAt ? t('identity.completed', { time: format.dateTime(check.completedAt) }) : t('identity.notCompleted')}
                </div>
                {check.requestedBy && (
                  <div className="case-muted">
                    {t('identity.requested', { time: format.dateTime(check.createdAt), name: check.requestedBy.displayName })}
                  </div>
                )}
              </td>
              <td>{t(`identity.check.${check.status}`)}</td>
              <td>{score(check.livenessScore)}</td>
              <td>{score(check.faceMatchScore)}</td>
              <td>{check.errorCode ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
