// The search box: every keystroke searches at once. The queue window (useQueueWindow) keeps a fast typist
// from queueing searches: while one is answered, only the newest text waits, and older answers are dropped.
// "/" focuses it from anywhere on the queue (app/shortcuts.ts).
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useShortcut } from '../../app/shortcuts';
import { useQueueState } from './queueStore';

export function SearchBox() {
  const { t } = useTranslation('queue');
  const search = useQueueState((state) => state.search);
  const input = useRef<HTMLInputElement>(null);
  useShortcut('focusSearch', () => input.current?.focus());

  return (
    <div className="search">
      <svg className="search__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <circle cx="7" cy="7" r="4.8" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.6 10.6l3.4 3.4" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        type="search"
        aria-keyshortcuts="/"
        className="input search__input"
        aria-label={t('search')}
        placeholder={t('searchPlaceholder')}
        spellCheck={false}
        autoComplete="off"
        value={search}
        onChange={(event) => useQueueState.getState().setSearch(event.target.value)}
      />
    </div>
  );
}
