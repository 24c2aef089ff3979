// The saved views as tabs over the queue table, each with its count as a plain number.
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { QUEUE_VIEWS, type QueueView } from '../../../../shared/desk-api/schemas';
import { formattingLocale } from '../../i18n';
import { formatCount } from './format';
import { useQueueState } from './queueStore';

export function ViewTabs({ counts, panelId }: { counts: Record<QueueView, number> | null; panelId: string }) {
  const { t, i18n } = useTranslation('queue');
  const locale = formattingLocale(i18n.language);
  const view = useQueueState((state) => state.view);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  // The tablist pattern: arrows move between tabs, and the tab under focus is the one shown.
  function onKeyDown(event: KeyboardEvent) {
    const current = QUEUE_VIEWS.indexOf(view);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (current + step + QUEUE_VIEWS.length) % QUEUE_VIEWS.length;
    useQueueState.getState().setView(QUEUE_VIEWS[next] ?? 'all');
    tabs.current[next]?.focus();
  }

  return (
    <div className="views" role="tablist" aria-label={t('views.label')} onKeyDown={onKeyDown}>
      {QUEUE_VIEWS.map((name, index) => {
        const selected = name === view;
        const countId = `view-count-${name}`;
        return (
          <button
            key={name}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            aria-selected={selected}
            aria-controls={panelId}
            aria-label={t(`views.${name}`)}
            aria-describedby={countId}
            tabIndex={selected ? 0 : -1}
            className="views__tab"
            onClick={() => useQueueState.getState().setView(name)}
          >
            <span aria-hidden="true">{t(`views.${name}`)}</span>
            <span id={countId} className="views__count">
              {counts ? formatCount(locale, counts[name]) : '…'}
            </span>
          </button>
        );
      })}
    </div>
  );
}
