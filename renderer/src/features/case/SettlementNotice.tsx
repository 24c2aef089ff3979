// "Settled on the exchange": why a resolved case has no verdict. The seller released (or the trade was
// cancelled) on the exchange before the dispute opened; the event arrived later and moved the escrow, and
// a proposal that was waiting for a supervisor no longer applies.
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../shared/api/types';
import { useCaseFormatters } from './format';
import { exchangeSettlement } from './settlement';

export function SettlementNotice({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const settlement = exchangeSettlement(detail);
  if (!settlement) return null;
  const setAside = detail.verdict && detail.verdict.state !== 'executed' ? detail.verdict : null;
  return (
    <section
      className="case-alert case-alert--info case-settled"
      role="note"
      aria-labelledby="case-settled-title"
      data-testid="settled-on-exchange"
    >
      <p>
        <strong id="case-settled-title">{t('settled.title')}</strong>{' '}
        {t(settlement.cause === 'trade.released' ? 'settled.released' : 'settled.cancelled', {
          time: format.dateTime(settlement.at),
          opened: format.dateTime(detail.trade.disputedAt),
        })}
      </p>
      {setAside && (
        <p className="case-muted">
          {t(`settled.proposalSetAside.${setAside.outcome}`, { name: setAside.proposedBy.displayName })}
        </p>
      )}
    </section>
  );
}
