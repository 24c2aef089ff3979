// "Why it fired": the alert's own words, and the rule as it stood in the version that raised it (what it
// measures, its levels and limits), so the reviewer judges the alert against the limits that applied.
import { useTranslation } from 'react-i18next';
import type { KytAlertDetail } from '../../../../shared/api/types';
import { useCaseFormatters } from '../case/format';

export function WhyItFired({ alert }: { alert: KytAlertDetail }) {
  const { t } = useTranslation('compliance');
  const format = useCaseFormatters();
  const rule = alert.ruleConfig;
  const number = (value: number) => format.decimal(String(value));

  return (
    <section className="compliance-panel why-fired" aria-labelledby="why-title">
      <h2 id="why-title" className="compliance-panel__title">
        {t('detail.whyTitle')}
      </h2>
      <p className="why-fired__details">{alert.details}</p>
      {rule ? (
        <>
          <p>{rule.description}</p>
          <dl className="why-fired__facts">
            <dt>{t('detail.measures')}</dt>
            <dd>{rule.measures}</dd>
            <dt>{t('detail.bands')}</dt>
            <dd>
              <ul>
                {rule.bands.map((band) => (
                  <li key={band.level} aria-current={band.level === alert.level ? 'true' : undefined}>
                    {band.upper === null
                      ? t('detail.band', { level: t(`level.${band.level}`), lower: number(band.lower) })
                      : t('detail.bandTo', { level: t(`level.${band.level}`), lower: number(band.lower), upper: number(band.upper) })}
                  </li>
                ))}
              </ul>
            </dd>
            {Object.keys(rule.params).length > 0 && (
              <>
                <dt>{t('detail.params')}</dt>
                <dd>
                  <ul>
                    {Object.entries(rule.params).map(([name, value]) => (
                      <li key={name}>
                        <span className="mono">{name}</span>: {number(value)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        </>
      ) : (
        <p className="case-muted">{t('detail.manualRule')}</p>
      )}
    </section>
  );
}
