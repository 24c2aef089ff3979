// The agent's home: saved views with their counts, search and filters, and the virtualized case queue.
// Compliance and supervisors see it too; their own screens come later.
import { useTranslation } from 'react-i18next';
import { Alert } from '../../components';
import { formattingLocale } from '../../i18n';
import { formatCount } from './format';
import { QueueFilters } from './QueueFilters';
import { QueueTable } from './QueueTable';
import { SearchBox } from './SearchBox';
import { useQueueWindow } from './useQueueWindow';
import { ViewTabs } from './ViewTabs';
import './queue.css';

const PANEL_ID = 'queue-panel';

export function QueueScreen() {
  const { t, i18n } = useTranslation('queue');
  const locale = formattingLocale(i18n.language);
  const queue = useQueueWindow();

  return (
    <section className="queue" aria-labelledby="queue-title">
      <div className="queue__top">
        <h1 id="queue-title" className="queue__title">
          {t('title')}
        </h1>
        <ViewTabs counts={queue.counts} panelId={PANEL_ID} />
      </div>
      <div className="queue__toolbar">
        <SearchBox />
        <QueueFilters />
        <div className="queue__spacer" />
        <p className="queue__count" aria-live="polite">
          {queue.total === null ? '' : t('casesInView', { count: queue.total, formatted: formatCount(locale, queue.total) })}
        </p>
      </div>
      {queue.failure && <Alert tone="error">{t('loadFailed', { message: queue.failure })}</Alert>}
      <div className="queue__table">
        <QueueTable queue={queue} panelId={PANEL_ID} />
        {queue.total === 0 && (
          <div className="queue__empty">
            <p>{t('empty')}</p>
            <p className="muted">{t('emptyHint')}</p>
          </div>
        )}
      </div>
      <p className="queue__hint" aria-hidden="true">
        {t('keyboardHint')}
      </p>
    </section>
  );
}
