// Keyboard-first: the single-key shortcuts and who answers them. Which key means what is a pure decision
// (shortcutFor), so that "never while typing" is one rule for every key; a screen registers what a
// shortcut does while it shows (useShortcut), and the shell listens once (listenForShortcuts).
import { useEffect, useRef } from 'react';

export type ShortcutId = 'focusSearch' | 'help' | 'claim' | 'note' | 'release' | 'refund';

/**
 * Every shortcut, for the "?" overlay, in its order. The queue's own keys (j/k, arrows, Enter) are listed
 * too, from QueueTable; none of these letters clash with them.
 */
export const SHORTCUT_KEYS: ReadonlyArray<{ id: ShortcutId | 'nextRow' | 'previousRow' | 'openRow'; keys: string[]; where: 'anywhere' | 'queue' | 'case' }> = [
  { id: 'help', keys: ['?'], where: 'anywhere' },
  { id: 'focusSearch', keys: ['/'], where: 'queue' },
  { id: 'nextRow', keys: ['j', '↓'], where: 'queue' },
  { id: 'previousRow', keys: ['k', '↑'], where: 'queue' },
  { id: 'openRow', keys: ['Enter'], where: 'queue' },
  { id: 'claim', keys: ['c'], where: 'case' },
  { id: 'note', keys: ['n'], where: 'case' },
  { id: 'release', keys: ['r'], where: 'case' },
  { id: 'refund', keys: ['f'], where: 'case' },
];

const KEY_TO_SHORTCUT: Readonly<Record<string, ShortcutId>> = {
  '/': 'focusSearch',
  '?': 'help',
  c: 'claim',
  n: 'note',
  r: 'release',
  f: 'refund',
};

export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** What has focus: a field being typed in takes every key. */
  target: { tagName?: string; isContentEditable?: boolean; closest?(selector: string): unknown } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The shortcut a key press means, or null: never inside a field, a dialog, or with Ctrl/Alt/⌘ (the browser's and the OS's). */
export function shortcutFor(press: KeyPress): ShortcutId | null {
  if (press.altKey || press.ctrlKey || press.metaKey) return null;
  const target = press.target;
  if (target && (TYPING_TAGS.has(target.tagName ?? '') || target.isContentEditable)) return null;
  // A dialog open (a verdict being written, the settings) keeps its keys to itself.
  if (target?.closest?.('dialog')) return null;
  return KEY_TO_SHORTCUT[press.key] ?? null;
}

const handlers = new Map<ShortcutId, () => void>();

/** While the calling screen shows, `run` answers the shortcut (the latest registration wins). */
export function useShortcut(id: ShortcutId, run: (() => void) | null): void {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  const enabled = run !== null;
  useEffect(() => {
    if (!enabled) return;
    const handler = () => latest.current?.();
    handlers.set(id, handler);
    return () => {
      if (handlers.get(id) === handler) handlers.delete(id);
    };
  }, [id, enabled]);
}

/** One listener for the whole window; returns its removal. A modal dialog open anywhere stops them all. */
export function listenForShortcuts(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
    const id = shortcutFor({
      key: event.key,
      altKey: event.altKey,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      target: event.target instanceof Element ? (event.target as HTMLElement) : null,
    });
    const handler = id ? handlers.get(id) : undefined;
    if (!handler) return;
    event.preventDefault();
    handler();
  };
  document.addEventListener('keydown', onKeyDown);
  return () => document.removeEventListener('keydown', onKeyDown);
}
