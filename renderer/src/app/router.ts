// Hash routes, so the built renderer works from a file, a custom protocol or the browser host alike:
// `#/` the queue, `#/cases/<id>` a case workspace, `#/alerts` the KYT alerts and `#/alerts/<id>` one
// alert (compliance), `#/audit` the audit chain's check, `#/supervision` the verdict history and figures and
// `#/supervision/review` the weekly quality review, `#/supervision/deliveries` the events sent to the exchange
// (supervisors), `#/people` the accounts (supervisors). Other features open a case with `openCase(id)`.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'queue' }
  | { name: 'case'; caseId: string }
  | { name: 'alerts' }
  | { name: 'alert'; alertId: string }
  | { name: 'audit' }
  | { name: 'supervision' }
  | { name: 'supervisionReview' }
  | { name: 'supervisionDeliveries' }
  | { name: 'people' };

const CASE_ROUTE = /^#\/cases\/([^/?#]+)$/;
const ALERT_ROUTE = /^#\/alerts\/([^/?#]+)$/;
const ALERTS_ROUTE = /^#\/alerts\/?$/;
const AUDIT_ROUTE = /^#\/audit\/?$/;
const SUPERVISION_ROUTE = /^#\/supervision\/?$/;
const SUPERVISION_REVIEW_ROUTE = /^#\/supervision\/review\/?$/;
const SUPERVISION_DELIVERIES_ROUTE = /^#\/supervision\/deliveries\/?$/;
const PEOPLE_ROUTE = /^#\/people\/?$/;

export function parseRoute(hash: string): Route {
  const match = CASE_ROUTE.exec(hash);
  if (match?.[1]) return { name: 'case', caseId: decodeURIComponent(match[1]) };
  const alert = ALERT_ROUTE.exec(hash);
  if (alert?.[1]) return { name: 'alert', alertId: decodeURIComponent(alert[1]) };
  if (ALERTS_ROUTE.test(hash)) return { name: 'alerts' };
  if (AUDIT_ROUTE.test(hash)) return { name: 'audit' };
  if (SUPERVISION_ROUTE.test(hash)) return { name: 'supervision' };
  if (SUPERVISION_REVIEW_ROUTE.test(hash)) return { name: 'supervisionReview' };
  if (SUPERVISION_DELIVERIES_ROUTE.test(hash)) return { name: 'supervisionDeliveries' };
  if (PEOPLE_ROUTE.test(hash)) return { name: 'people' };
  return { name: 'queue' };
}

export const caseHref = (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`;
export const alertHref = (alertId: string) => `#/alerts/${encodeURIComponent(alertId)}`;
export const alertsHref = '#/alerts';
export const auditHref = '#/audit';
export const queueHref = '#/';
export const supervisionHref = '#/supervision';
export const supervisionReviewHref = '#/supervision/review';
export const supervisionDeliveriesHref = '#/supervision/deliveries';
export const peopleHref = '#/people';

export function openAlert(alertId: string): void {
  window.location.hash = alertHref(alertId);
}

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
