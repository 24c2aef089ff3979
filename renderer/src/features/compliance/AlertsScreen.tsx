// The compliance reviewer's home: the saved views (Open, Mine, Escalated, Reported), a level filter and a
// search, and the "KYT alerts" table. The desk reads the view live from the server and again whenever one
// of the reviewer's commands on an alert is answered.
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { KYT_LEVELS, type KytLevel } from '../../../../shared/domain/dispute';
import { KYT_VIEWS } from '../../../../shared/desk-api/schemas';
import { Alert, Button } from '../../components';
import { useDeskQuery } from '../../desk';
import { formattingLocale } from '../../i18n';
import { AlertsTable } from './AlertsTable';
import { useAlertsState } from './alertsStore';
import { errorText } from './errorText';
import { matchesSearch } from './format';
import '../queue/queue.css';
import './compliance.css';

const PANEL_ID = 'alerts-panel';

export function AlertsScreen() {
  const { t, i18n } = useTranslation('compliance');
  const locale = formattingLocale(i18n.language);
  const { view, level, search } = useAlertsState();
  const alerts = useDeskQuery(
    'kyt.alerts',
    { view, level },
    { refetchOn: { 'alerts.changed': { matches: () => true }, 'outbox.changed': { matches: (entry) => entry.alertId !== null } } },
  );
  const rows = alerts.state.phase === 'ready' ? alerts.state.value.items.filter((alert) => matchesSearch(alert, search)) : [];

  return (
    <section className="alerts" aria-labelledby="alerts-title" aria-busy={alerts.refreshing}>
      <div className="alerts__top">
        <h1 id="alerts-title" className="alerts__title">
          {t('title')}
        </h1>
        <ViewTabs />
      </div>
      <div className="alerts__toolbar">
        <div className="alerts__field">
          <label htmlFor="alerts-search">{t('filters.search')}</label>
          <input
            id="alerts-search"
            type="search"
            className="input"
            placeholder={t('filters.searchHint')}
            value={search}
            onChange={(event) => useAlertsState.getState().setSearch(event.target.value)}
          />
        </div>
        <div className="alerts__field">
          <label htmlFor="alerts-level">{t('filters.level')}</label>
          <select
            id="alerts-level"
            className="input select"
            value={level ?? ''}
            onChange={(event) => useAlertsState.getState().setLevel((event.target.value || null) as KytLevel | null)}
          >
            <option value="">{t('filters.anyLevel')}</option>
            {KYT_LEVELS.map((name) => (
              <option key={name} value={name}>
                {t(`level.${name}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="alerts__spacer" />
        <p className="alerts__count" aria-live="polite">
          {alerts.state.phase === 'ready'
            ? t('alertsInView', { count: rows.length, formatted: new Intl.NumberFormat(locale).format(rows.length) })
            : ''}
        </p>
      </div>
      {alerts.state.phase === 'ready' && alerts.state.value.truncated && <Alert tone="info">{t('truncated')}</Alert>}
      <div id={PANEL_ID} role="tabpanel" aria-labelledby={`alerts-tab-${view}`} className="alerts__panel">
        {alerts.state.phase === 'loading' && (
          <p className="alerts__message" role="status">
            {t('loading')}
          </p>
        )}
        {alerts.state.phase === 'failed' && (
          <div className="alerts__message">
            <Alert tone="error">{t('loadFailed', { message: errorText(t, alerts.state.error) })}</Alert>
            <Button onClick={alerts.reloadNow}>{t('retry')}</Button>
          </div>
        )}
        {alerts.state.phase === 'ready' && <AlertsTable alerts={rows} />}
      </div>
    </section>
  );
}

/** The saved views as a tablist: arrows move between tabs, and the tab under focus is the one shown. */
function ViewTabs() {
  const { t } = useTranslation('compliance');
  const view = useAlertsState((state) => state.view);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(event: KeyboardEvent) {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (KYT_VIEWS.indexOf(view) + step + KYT_VIEWS.length) % KYT_VIEWS.length;
    useAlertsState.getState().setView(KYT_VIEWS[next] ?? 'open');
    tabs.current[next]?.focus();
  }

  return (
    <div className="views" role="tablist" aria-label={t('views.label')} onKeyDown={onKeyDown}>
      {KYT_VIEWS.map((name, index) => (
        <button
          key={name}
          id={`alerts-tab-${name}`}
          ref={(element) => {
            tabs.current[index] = element;
          }}
          type="button"
          role="tab"
          aria-selected={name === view}
          aria-controls={PANEL_ID}
          tabIndex={name === view ? 0 : -1}
          className="views__tab"
          onClick={() => useAlertsState.getState().setView(name)}
        >
          {t(`views.${name}`)}
        </button>
      ))}
    </div>
  );
}
