// The verdict history's filters, table (with "Show more" pages and the CSV export) and the per-agent
// figures for the same dates. Everything is read live from the server through the desk.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VERDICT_OUTCOMES, type VerdictOutcome } from '../../../../shared/domain/dispute';
import { ASSETS, type Asset } from '../../../../shared/domain/money';
import type { VerdictRecord } from '../../../../shared/api/types';
import { Alert, Button } from '../../components';
import { useDeskCommand, useDeskQuery } from '../../desk';
import { formattingLocale } from '../../i18n';
import { downloadFile } from '../../components';
import { formatCount } from '../queue/format';
import { AgentFiguresTable } from './AgentFiguresTable';
import { errorText } from './errorText';
import { VerdictTable } from './VerdictTable';

interface Filters {
  agentId: string | null;
  outcome: VerdictOutcome | null;
  asset: Asset | null;
  from: string | null;
  to: string | null;
}

const NO_FILTERS: Filters = { agentId: null, outcome: null, asset: null, from: null, to: null };
const PAGE = 100;

export function VerdictsAndFigures() {
  const { t, i18n } = useTranslation('supervision');
  const locale = formattingLocale(i18n.language);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Later pages, kept with the filters they belong to: new filters start again from the first page.
  const [more, setMore] = useState<{ key: string; items: VerdictRecord[]; cursor: string | null } | null>(null);
  const backwards = filters.from !== null && filters.to !== null && filters.to < filters.from;
  const query = backwards ? { ...filters, to: null } : filters;
  const key = JSON.stringify(query);

  const firstPage = useDeskQuery('verdicts.list', { ...query, limit: PAGE });
  const figures = useDeskQuery('verdicts.agents', { from: query.from, to: query.to });
  const nextPage = useDeskCommand('verdicts.list');
  const exportCsv = useDeskCommand('verdicts.csv', { onSuccess: downloadFile });

  const extra = more?.key === key ? more : null;
  const ready = firstPage.state.phase === 'ready' ? firstPage.state.value : null;
  const rows = ready ? [...ready.items, ...(extra?.items ?? [])] : [];
  const cursor = extra ? extra.cursor : (ready?.nextCursor ?? null);
  const agents = figures.state.phase === 'ready' ? figures.state.value.agents.map((row) => row.agent) : [];

  const set = <K extends keyof Filters>(name: K, value: Filters[K]) => setFilters((current) => ({ ...current, [name]: value }));

  async function loadMore() {
    if (!cursor) return;
    const answer = await nextPage.run({ ...query, limit: PAGE, cursor });
    if (answer.ok) setMore({ key, items: [...(extra?.items ?? []), ...answer.value.items], cursor: answer.value.nextCursor });
  }

  return (
    <>
      <section className="supervision__panel" aria-labelledby="history-title">
        <h2 id="history-title" className="supervision__heading">
          {t('history.title')}
        </h2>
        <form className="alerts__toolbar" aria-label={t('history.filtersLabel')} onSubmit={(event) => event.preventDefault()}>
          <FilterSelect
            id="verdicts-agent"
            label={t('history.agent')}
            anyLabel={t('history.anyAgent')}
            value={filters.agentId}
            options={agents.map((agent) => ({ value: agent.id, label: agent.displayName }))}
            onChange={(value) => set('agentId', value)}
          />
          <FilterSelect
            id="verdicts-outcome"
            label={t('history.outcome')}
            anyLabel={t('history.anyOutcome')}
            value={filters.outcome}
            options={VERDICT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`outcome.${outcome}`) }))}
            onChange={(value) => set('outcome', value)}
          />
          <FilterSelect
            id="verdicts-asset"
            label={t('history.asset')}
            anyLabel={t('history.anyAsset')}
            value={filters.asset}
            options={ASSETS.map((asset) => ({ value: asset, label: asset }))}
            onChange={(value) => set('asset', value)}
          />
          <div className="alerts__field">
            <label htmlFor="verdicts-from">{t('history.from')}</label>
            <input
              id="verdicts-from"
              type="date"
              className="input"
              value={filters.from ?? ''}
              onChange={(event) => set('from', event.target.value || null)}
            />
          </div>
          <div className="alerts__field">
            <label htmlFor="verdicts-to">{t('history.to')}</label>
            <input
              id="verdicts-to"
              type="date"
              className="input"
              value={filters.to ?? ''}
              aria-invalid={backwards || undefined}
              aria-describedby={backwards ? 'verdicts-window-error' : undefined}
              onChange={(event) => set('to', event.target.value || null)}
            />
          </div>
          <Button variant="quiet" onClick={() => setFilters(NO_FILTERS)}>
            {t('history.clear')}
          </Button>
          <div className="alerts__spacer" />
          <Button variant="secondary" busy={exportCsv.pending} onClick={() => void exportCsv.run(query)}>
            {t('history.exportCsv')}
          </Button>
        </form>
        {backwards && (
          <div id="verdicts-window-error">
            <Alert tone="error">{t('history.windowBackwards')}</Alert>
          </div>
        )}
        {exportCsv.error && (
          <Alert tone="error">
            {t('history.exportFailed', { message: errorText(t, exportCsv.error) })}
          </Alert>
        )}
        <p className="alerts__count" aria-live="polite">
          {ready ? t('history.shown', { count: rows.length, formatted: formatCount(locale, rows.length) }) : ''}
        </p>
        <div className="alerts__panel" aria-busy={firstPage.refreshing}>
          {firstPage.state.phase === 'loading' && (
            <p className="alerts__message" role="status">
              {t('history.loading')}
            </p>
          )}
          {firstPage.state.phase === 'failed' && (
            <div className="alerts__message">
              <Alert tone="error">{t('history.loadFailed', { message: errorText(t, firstPage.state.error) })}</Alert>
            </div>
          )}
          {ready && <VerdictTable verdicts={rows} />}
        </div>
        {cursor && (
          <Button variant="secondary" busy={nextPage.pending} onClick={() => void loadMore()}>
            {t('history.more')}
          </Button>
        )}
        {nextPage.error && (
          <Alert tone="error">
            {t('history.loadFailed', { message: errorText(t, nextPage.error) })}
          </Alert>
        )}
      </section>

      <section className="supervision__panel" aria-labelledby="figures-title">
        <h2 id="figures-title" className="supervision__heading">
          {t('figures.title')}
        </h2>
        <p className="muted">{t('figures.window')}</p>
        <div className="alerts__panel" aria-busy={figures.refreshing}>
          {figures.state.phase === 'loading' && (
            <p className="alerts__message" role="status">
              {t('figures.loading')}
            </p>
          )}
          {figures.state.phase === 'failed' && (
            <div className="alerts__message">
              <Alert tone="error">{t('figures.loadFailed', { message: errorText(t, figures.state.error) })}</Alert>
            </div>
          )}
          {figures.state.phase === 'ready' && <AgentFiguresTable rows={figures.state.value.agents} />}
        </div>
      </section>
    </>
  );
}

/** One filter of the toolbar: a labelled select whose first option, "any", clears it. */
function FilterSelect<V extends string>(props: {
  id: string;
  label: string;
  anyLabel: string;
  value: V | null | undefined;
  options: readonly { value: V; label: string }[];
  onChange(value: V | null): void;
}) {
  return (
    <div className="alerts__field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        className="input select"
        value={props.value ?? ''}
        onChange={(event) => props.onChange((event.target.value || null) as V | null)}
      >
        <option value="">{props.anyLabel}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
