// Filters by status, asset and payment method, one choice each ("Any" for none).
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, PAYMENT_METHODS, type CaseStatus } from '../../../../shared/domain/dispute';
import { ASSETS } from '../../../../shared/domain/money';
import { usePaymentMethodName } from '../../i18n/paymentMethods';
import { useQueueState, type QueueFilters as Filters } from './queueStore';

export function QueueFilters() {
  const { t } = useTranslation('queue');
  const paymentMethodName = usePaymentMethodName();
  const filters = useQueueState((state) => state.filters);
  const setFilter = useQueueState((state) => state.setFilter);
  const anySet = Object.values(filters).some((value) => value !== null);

  const select = <K extends keyof Filters>(key: K, label: string, options: readonly { value: string; label: string }[]) => (
    <label className="filter">
      <span className="filter__label">{label}</span>
      <select
        className="input select filter__select"
        value={filters[key] ?? ''}
        onChange={(event) => setFilter(key, (event.target.value || null) as Filters[K])}
      >
        <option value="">{t('filters.any')}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <div className="filters" role="group" aria-label={t('filters.label')}>
      {select(
        'status',
        t('filters.status'),
        CASE_STATUSES.map((status: CaseStatus) => ({ value: status, label: t(`status.${status}`) })),
      )}
      {select('asset', t('filters.asset'), ASSETS.map((asset) => ({ value: asset, label: asset })))}
      {select('paymentMethod', t('filters.paymentMethod'), PAYMENT_METHODS.map((method) => ({ value: method, label: paymentMethodName(method) })))}
      {anySet && (
        <button type="button" className="btn btn--quiet filters__clear" onClick={() => useQueueState.getState().clearFilters()}>
          {t('filters.clear')}
        </button>
      )}
    </div>
  );
}
