// Hash routes, so the built renderer works from a file, a custom protocol or the browser host alike:
// `#/` the queue, `#/cases/<id>` a case workspace. Other features open a case with `openCase(id)`.
import { useSyncExternalStore } from 'react';

export type Route = { name: 'queue' } | { name: 'case'; caseId: string };

const CASE_ROUTE = /^#\/cases\/([^/?#]+)$/;

export function parseRoute(hash: string): Route {
  const match = CASE_ROUTE.exec(hash);
  if (match?.[1]) return { name: 'case', caseId: decodeURIComponent(match[1]) };
  return { name: 'queue' };
}

export const caseHref = (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`;
export const queueHref = '#/';

export function openCase(caseId: string): void {
  window.location.hash = caseHref(caseId);
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
