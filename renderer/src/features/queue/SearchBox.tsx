// The search box: typing updates the query after a short pause, so a fast typist sends one query, not ten.
// "/" focuses it from anywhere on the queue (app/shortcuts.ts).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShortcut } from '../../app/shortcuts';
import { useQueueState } from './queueStore';

const DEBOUNCE_MS = 200;

export function SearchBox() {
  const { t } = useTranslation('queue');
  const search = useQueueState((state) => state.search);
  const [text, setText] = useState(search);
  const input = useRef<HTMLInputElement>(null);
  useShortcut('focusSearch', () => input.current?.focus());

  useEffect(() => {
    if (text === useQueueState.getState().search) return;
    const timer = setTimeout(() => useQueueState.getState().setSearch(text), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

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
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
    </div>
  );
}
