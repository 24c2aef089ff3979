// The top of the workspace: what is at stake (trade and escrow), who the two parties are, and where the
// case stands. Once decided, the escrow's new state ("Released" / "Refunded") is the headline.
import { useTranslation } from 'react-i18next';
import type { CaseDetail, Me, Party } from '../../../../shared/api/types';
import type { EarlierDispute } from '../../../../shared/desk-api/schemas';
import { usePaymentMethodName } from '../../i18n/paymentMethods';
import { EarlierDisputes } from './EarlierDisputes';
import { useCaseFormatters } from './format';
import { exchangeSettlement } from './settlement';

interface CaseHeaderProps {
  detail: CaseDetail;
  user: Me | null;
  earlierDisputes: EarlierDispute[];
}

export function CaseHeader({ detail, user, earlierDisputes }: CaseHeaderProps) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const paymentMethodName = usePaymentMethodName();
  const { trade, escrow } = detail;
  const assigneeName =
    detail.assignee === null
      ? null
      : detail.assignee.id === user?.id
        ? `${detail.assignee.displayName} (${t('header.you')})`
        : detail.assignee.displayName;

  return (
    <header className="case-header">
      <div className="case-header__title">
        <h1>{detail.id}</h1>
        <span className={`case-status case-status--${detail.status}`}>{t(`status.${detail.status}`)}</span>
        <span className={`case-escrow-state case-escrow-state--${escrow.state}`} data-testid="escrow-state">
          {t(`escrowState.${escrow.state}`)}
        </span>
        {detail.flags.fourEyes && <span className="case-badge">{t('header.fourEyes', { usd: detail.fourEyes.usdEquivalent })}</span>}
      </div>

      <dl className="case-header__facts">
        <div>
          <dt>{t('header.trade')}</dt>
          <dd>
            <strong>{format.crypto(trade.amount, trade.asset)}</strong> · {format.fiat(trade.fiatAmount, trade.fiatCurrency)}
            <div className="case-muted">
              {t('header.paymentMethod', { method: paymentMethodName(trade.paymentMethod) })} · {t('header.price', { price: `${format.decimal(trade.price)} ${trade.fiatCurrency}/${trade.asset}` })}
            </div>
          </dd>
        </div>
        <div>
          <dt>{t('header.escrow')}</dt>
          <dd>
            {format.crypto(escrow.amount, escrow.asset)} · {t(`escrowState.${escrow.state}`)}
            <div className="case-muted">{escrow.id}</div>
          </dd>
        </div>
        <div>
          <dt>{t('header.opened')}</dt>
          <dd>
            {format.dateTime(detail.openedAt)}
            <div className="case-muted">{assigneeName ? t('header.assignee', { name: assigneeName }) : t('header.unassigned')}</div>
          </dd>
        </div>
        <PartyFacts role="buyer" party={detail.buyer} />
        <PartyFacts role="seller" party={detail.seller} />
      </dl>
      <EarlierDisputes disputes={earlierDisputes} />

      {escrow.hold && (
        <p className="case-alert case-alert--warning" role="note">
          {t('header.hold', { name: escrow.hold.by.displayName, reason: escrow.hold.reason })}
        </p>
      )}
      {/* On a case the exchange settled, a proposal it set aside is told by the settlement notice. */}
      {detail.verdict && !(exchangeSettlement(detail) && detail.verdict.state !== 'executed') && <VerdictLine detail={detail} />}
      <details className="case-header__reason">
        <summary>{t('header.reason')}</summary>
        <p>{detail.reason}</p>
      </details>
    </header>
  );
}

function PartyFacts({ role, party }: { role: 'buyer' | 'seller'; party: Party }) {
  const { t } = useTranslation('case');
  return (
    <div>
      <dt>{t(`header.${role}`)}</dt>
      <dd>
        <strong>{party.displayName}</strong>{' '}
        <span className={`case-kyc case-kyc--${party.kycStatus}`}>{t(`kyc.${party.kycStatus}`)}</span>
        <div className="case-muted">
          {t('header.accountAge', { count: party.accountAgeDays })} · {t('header.trades', { count: party.tradeCount })} ·{' '}
          {t('header.disputes', { count: party.disputeCount })} · {t('header.country', { country: party.country })}
        </div>
      </dd>
    </div>
  );
}

function VerdictLine({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const verdict = detail.verdict;
  if (!verdict) return null;
  return (
    <p className="case-verdict-line">
      {t(verdict.state === 'executed' ? `header.verdict.${verdict.outcome}` : `header.verdictProposed.${verdict.outcome}`, {
        name: verdict.proposedBy.displayName,
        time: format.dateTime(verdict.proposedAt),
        reason: t(`reason.${verdict.reasonCode}`),
      })}
      {verdict.approvedBy && <> {t('header.approvedBy', { name: verdict.approvedBy.displayName })}</>}
    </p>
  );
}
