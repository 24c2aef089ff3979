// The alert's party: who they are, their trades (newest first, the ones the alert is about marked
// "Flagged") and the counterparties they trade with, for the reviewer to see the pattern the rule saw.
import { useTranslation } from 'react-i18next';
import type { KytAlertDetail } from '../../../../shared/api/types';
import { caseHref } from '../../app/router';
import { Badge } from '../../components';
import { useCaseFormatters } from '../case/format';

export function PartyHistory({ alert }: { alert: KytAlertDetail }) {
  const { t } = useTranslation('compliance');
  const format = useCaseFormatters();
  const { party } = alert;

  return (
    <section className="compliance-panel party-history" aria-labelledby="party-title">
      <h2 id="party-title" className="compliance-panel__title">
        {t('detail.partyTitle')}: {party.displayName} <span className="mono case-muted">{party.id}</span>
      </h2>
      <p className="case-muted">
        {t('detail.partyFacts', {
          country: party.country,
          days: format.integer(party.accountAgeDays),
          trades: format.integer(party.tradeCount),
          disputes: format.integer(party.disputeCount),
        })}
      </p>
      <h3>{t('detail.tradesTitle')}</h3>
      <p className="case-muted">{t('detail.flaggedHint')}</p>
      {alert.trades.length === 0 ? (
        <p className="case-muted">{t('detail.noTrades')}</p>
      ) : (
        <div className="party-history__scroll">
          <table className="compliance-table" aria-label={t('detail.tradesLabel', { name: party.displayName })}>
            <thead>
              <tr>
                <th scope="col">{t('detail.tradeColumns.trade')}</th>
                <th scope="col">{t('detail.tradeColumns.side')}</th>
                <th scope="col">{t('detail.tradeColumns.counterparty')}</th>
                <th scope="col">{t('detail.tradeColumns.amount')}</th>
                <th scope="col">{t('detail.tradeColumns.fiat')}</th>
                <th scope="col">{t('detail.tradeColumns.usd')}</th>
                <th scope="col">{t('detail.tradeColumns.when')}</th>
                <th scope="col">{t('detail.tradeColumns.case')}</th>
              </tr>
            </thead>
            <tbody>
              {alert.trades.map((trade) => (
                <tr key={trade.id} className={trade.flagged ? 'compliance-table__flagged' : undefined}>
                  <td>
                    <span className="mono">{trade.id}</span> {trade.flagged && <Badge tone="warning">{t('detail.flagged')}</Badge>}
                  </td>
                  <td>{t(`detail.side.${trade.side}`)}</td>
                  <td>{trade.counterparty.displayName}</td>
                  <td className="num">{format.crypto(trade.amount, trade.asset)}</td>
                  <td className="num">{format.fiat(trade.fiatAmount, trade.fiatCurrency)}</td>
                  <td className="num">{format.fiat(trade.usdEquivalent, 'USD')}</td>
                  <td>
                    <time dateTime={trade.createdAt}>{format.dateTime(trade.createdAt)}</time>
                  </td>
                  <td>{trade.caseId ? <a href={caseHref(trade.caseId)}>{trade.caseId}</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('detail.counterpartiesTitle')}</h3>
      {alert.counterparties.length > 0 && (
        <table className="compliance-table" aria-label={t('detail.counterpartiesLabel', { name: party.displayName })}>
          <thead>
            <tr>
              <th scope="col">{t('detail.counterpartyColumns.name')}</th>
              <th scope="col">{t('detail.counterpartyColumns.trades')}</th>
              <th scope="col">{t('detail.counterpartyColumns.volume')}</th>
              <th scope="col">{t('detail.counterpartyColumns.last')}</th>
            </tr>
          </thead>
          <tbody>
            {alert.counterparties.map((counterparty) => (
              <tr key={counterparty.id}>
                <td>
                  {counterparty.displayName} <span className="mono case-muted">{counterparty.id}</span>
                </td>
                <td className="num">{format.integer(counterparty.tradeCount)}</td>
                <td className="num">{format.fiat(counterparty.usdVolume, 'USD')}</td>
                <td>
                  <time dateTime={counterparty.lastTradeAt}>{format.dateTime(counterparty.lastTradeAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
