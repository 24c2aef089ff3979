// "Deliveries to the exchange" (supervisors, issue #10): the events the platform sends the exchange
// (verdicts and escrow moves), newest first, with how each delivery went, counts per state, and "Send
// again" for one the platform gave up on. Read live from the server's delivery log through the desk.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Delivery } from '../../../../shared/api/types';
import { caseHref } from '../../app/router';
import { Alert, Badge, Button, type BadgeTone } from '../../components';
import { useDeskCommand, useDeskQuery } from '../../desk';
import { formattingLocale } from '../../i18n';
import { formatCount, formatDateTime } from '../queue/format';
import { errorText } from './errorText';

type DeliveryState = Delivery['state'];
const STATES: readonly DeliveryState[] = ['pending', 'delivered', 'failed'];
const PAGE = 100;
const STATE_TONE: Record<DeliveryState, BadgeTone> = {
  pending: 'warning',
  delivered: 'success',
  failed: 'danger',
};

export function DeliveryLog() {
  const { t, i18n } = useTranslation('supervision');
  const locale = formattingLocale(i18n.language);
  const [state, setState] = useState<DeliveryState | null>(null);
  // Later pages, kept with the filter they belong to.
  const [more, setMore] = useState<{
    state: DeliveryState | null;
    items: Delivery[];
    cursor: string | null;
  } | null>(null);
  const firstPage = useDeskQuery('deliveries.list', { state, limit: PAGE });
  const nextPage = useDeskCommand('deliveries.list');
  const retry = useDeskCommand('deliveries.retry', {
    onSuccess: () => {
      setMore(null);
      firstPage.reloadNow();
    },
  });

  const ready = firstPage.state.phase === 'ready' ? firstPage.state.value : null;
  const extra = more?.state === state ? more : null;
  const rows = ready ? [...ready.items, ...(extra?.items ?? [])] : [];
  const cursor = extra ? extra.cursor : (ready?.nextCursor ?? null);

  async function loadMore() {
    if (!cursor) return;
    const answer = await nextPage.run({ state, limit: PAGE, cursor });
    if (answer.ok)
      setMore({
        state,
        items: [...(extra?.items ?? []), ...answer.value.items],
        cursor: answer.value.nextCursor,
      });
  }

  return (
    <section className="supervision__panel" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title" className="supervision__heading">
        {t('deliveries.title')}
      </h2>
      <p className="muted deliveries__intro">{t('deliveries.intro')}</p>
      {ready && (
        <>
          <p role="status" className="deliveries__target">
            {ready.outbound.configured && ready.outbound.host
              ? t('deliveries.on', { host: ready.outbound.host })
              : t('deliveries.off')}
          </p>
          <ul className="deliveries__counts" aria-label={t('deliveries.countsLabel')}>
            {STATES.map((name) => (
              <li key={name}>
                <Badge tone={STATE_TONE[name]}>{t(`deliveries.state.${name}`)}</Badge>{' '}
                <span className="num">{formatCount(locale, ready.counts[name])}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <form
        className="alerts__toolbar"
        aria-label={t('deliveries.filtersLabel')}
        onSubmit={(event) => event.preventDefault()}
      >
        <div className="alerts__field">
          <label htmlFor="deliveries-state">{t('deliveries.stateFilter')}</label>
          <select
            id="deliveries-state"
            className="input select"
            value={state ?? ''}
            onChange={(event) => setState((event.target.value || null) as DeliveryState | null)}
          >
            <option value="">{t('deliveries.anyState')}</option>
            {STATES.map((name) => (
              <option key={name} value={name}>
                {t(`deliveries.state.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="alerts__spacer" />
        <Button variant="secondary" busy={firstPage.refreshing} onClick={() => firstPage.reloadNow()}>
          {t('deliveries.refresh')}
        </Button>
      </form>
      {retry.error && (
        <Alert tone="error">{t('deliveries.retryFailed', { message: errorText(t, retry.error) })}</Alert>
      )}
      <div className="alerts__panel" aria-busy={firstPage.refreshing}>
        {firstPage.state.phase === 'loading' && (
          <p className="alerts__message" role="status">
            {t('deliveries.loading')}
          </p>
        )}
        {firstPage.state.phase === 'failed' && (
          <div className="alerts__message">
            <Alert tone="error">
              {t('deliveries.loadFailed', { message: errorText(t, firstPage.state.error) })}
            </Alert>
          </div>
        )}
        {ready &&
          (rows.length === 0 ? (
            <p className="alerts__message">{t('deliveries.empty')}</p>
          ) : (
            <DeliveryTable
              rows={rows}
              locale={locale}
              retrying={retry.pending}
              onRetry={(id) => void retry.run({ deliveryId: id })}
            />
          ))}
      </div>
      {cursor && (
        <Button variant="secondary" busy={nextPage.pending} onClick={() => void loadMore()}>
          {t('deliveries.more')}
        </Button>
      )}
    </section>
  );
}

function DeliveryTable(props: {
  rows: Delivery[];
  locale: string;
  retrying: boolean;
  onRetry(id: string): void;
}) {
  const { t } = useTranslation('supervision');
  const time = (iso: string | null) =>
    iso ? <time dateTime={iso}>{formatDateTime(props.locale, iso)}</time> : <span className="muted">—</span>;
  return (
    <table className="alerts-table" aria-label={t('deliveries.tableLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('deliveries.columns.createdAt')}</th>
          <th scope="col">{t('deliveries.columns.type')}</th>
          <th scope="col">{t('deliveries.columns.subject')}</th>
          <th scope="col">{t('deliveries.columns.state')}</th>
          <th scope="col">{t('deliveries.columns.attempts')}</th>
          <th scope="col">{t('deliveries.columns.last')}</th>
          <th scope="col">{t('deliveries.columns.when')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('deliveries.columns.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.id} data-delivery-id={row.id} data-state={row.state}>
            <td>{time(row.createdAt)}</td>
            <td>
              <code>{row.type}</code>
            </td>
            <td>
              <span className="deliveries__subject">
                <span>{t('deliveries.trade', { tradeId: row.tradeId })}</span>
                {row.caseId && (
                  <a className="alerts__link" href={caseHref(row.caseId)}>
                    {row.caseId}
                  </a>
                )}
              </span>
            </td>
            <td>
              <Badge tone={STATE_TONE[row.state]}>{t(`deliveries.state.${row.state}`)}</Badge>
            </td>
            <td className="num">{row.attempts}</td>
            <td>
              {row.lastError ??
                (row.lastStatus !== null ? t('deliveries.answered', { status: row.lastStatus }) : '—')}
            </td>
            <td>
              {row.state === 'delivered'
                ? time(row.deliveredAt)
                : row.waitingFor
                  ? t('deliveries.waiting', { id: row.waitingFor })
                  : row.state === 'pending'
                    ? t('deliveries.nextAt', {
                        at: row.nextAttemptAt ? formatDateTime(props.locale, row.nextAttemptAt) : '—',
                      })
                    : t('deliveries.gaveUp')}
            </td>
            <td>
              {row.state === 'failed' && (
                <Button
                  variant="secondary"
                  busy={props.retrying}
                  aria-label={t('deliveries.retryLabel', { type: row.type, tradeId: row.tradeId })}
                  onClick={() => props.onRetry(row.id)}
                >
                  {t('deliveries.retry')}
                </Button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
