// The compliance reviewer's reads (DESIGN §4, §6): the "KYT alerts" views, one alert with its party's
// history and its case, the rule set, and a filed report's document. They go live to the server rather
// than to the cache: an alert on trades never disputed has no case, so the case feed never carries it.
// The reviewer's actions (assign, decide, holds) are outbox commands (../outbox/outbox.ts).
import { ROUTES, pathOf } from '../../../shared/api/routes';
import { report as reportSchema } from '../../../shared/api/responses';
import type { KytAlert } from '../../../shared/api/types';
import type { Role } from '../../../shared/domain/dispute';
import type { KytView, OutboxEntry } from '../../../shared/desk-api/schemas';
import { MAX_PAGE_SIZE } from '../../../shared/api/requests';
import type { PlatformApi } from '../api-client';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { DeskSession } from '../session';

export interface KytHandlerDeps {
  api: PlatformApi;
  session: DeskSession;
  /** The signed-in user's outbox commands on an alert and on a case. */
  outboxOfAlert(alertId: string): OutboxEntry[];
  outboxOfCase(caseId: string): OutboxEntry[];
}

/** A view holds at most this many alerts (four full pages): a queue larger than that is worked by level. */
export const MAX_ALERTS_IN_VIEW = 4 * MAX_PAGE_SIZE;

/** Each saved view as the statuses it asks the server for (one query each) and whose alerts it keeps. */
const VIEW_QUERIES: Record<KytView, { statuses: Array<KytAlert['status']>; mine: boolean }> = {
  // Open: everything not decided yet, whether someone took it or not.
  open: { statuses: ['open', 'in_review'], mine: false },
  mine: { statuses: ['open', 'in_review'], mine: true },
  escalated: { statuses: ['escalated'], mine: false },
  reported: { statuses: ['reported'], mine: false },
};

const PDF_MAGIC = '%PDF-';

export function kytHandlers(deps: KytHandlerDeps): DeskHandlers {
  const { api, session } = deps;

  function requireRole(roles: readonly Role[], refusal: string) {
    const user = session.requireUser();
    if (!roles.includes(user.role)) throw new DeskFailure('forbidden', refusal);
    return user;
  }
  const requireReviewer = () => requireRole(['compliance'], 'Only compliance reviewers can see KYT alerts.');

  /** Every page of one status (and level), up to the view's cap. */
  async function alertsOf(status: KytAlert['status'], level: KytAlert['level'] | null, mine: boolean) {
    const items: KytAlert[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: KytAlert[]; nextCursor: string | null } = await api.call(ROUTES.listKytAlerts, {
        query: {
          status,
          limit: MAX_PAGE_SIZE,
          ...(level ? { level } : {}),
          ...(mine ? { assignee: 'me' } : {}),
          ...(cursor ? { cursor } : {}),
        },
      });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null && items.length < MAX_ALERTS_IN_VIEW);
    return { items, more: cursor !== null };
  }

  return {
    'kyt.alerts': async ({ view, level }) => {
      const user = requireReviewer();
      const { statuses, mine } = VIEW_QUERIES[view];
      const pages = await Promise.all(statuses.map((status) => alertsOf(status, level, mine)));
      const items = pages
        .flatMap((page) => page.items)
        // "Mine" is checked here too: the answer must match the view whatever the server filtered.
        .filter((alert) => !mine || alert.assignee?.id === user.id)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
      return {
        items: items.slice(0, MAX_ALERTS_IN_VIEW),
        truncated: items.length > MAX_ALERTS_IN_VIEW || pages.some((page) => page.more),
      };
    },

    'kyt.alert': async ({ alertId }) => {
      requireReviewer();
      const alert = await api.call(ROUTES.getKytAlert, { params: { id: alertId } });
      const outbox = [...deps.outboxOfAlert(alertId), ...(alert.caseId ? deps.outboxOfCase(alert.caseId) : [])];
      outbox.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return { alert, outbox };
    },

    'kyt.rules': async () => {
      requireRole(['compliance', 'supervisor'], 'Only compliance reviewers and supervisors can read the KYT rules.');
      return api.call(ROUTES.kytRules, {});
    },

    'kyt.report': async ({ reportId, format }) => {
      requireRole(['compliance', 'supervisor'], 'Only compliance reviewers and supervisors can download reports.');
      const { bytes, mime } = await api.getBytes(pathOf(ROUTES.report, { id: reportId }), { params: { format } });
      // The file goes to the user's disk as it came: check it is what its name will say it is.
      if (format === 'pdf' && bytes.subarray(0, PDF_MAGIC.length).toString('latin1') !== PDF_MAGIC) {
        throw new DeskFailure('malformed_answer', `The server did not send report ${reportId} as a PDF.`);
      }
      if (format === 'json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(bytes.toString('utf8'));
        } catch {
          parsed = null;
        }
        if (!reportSchema.safeParse(parsed).success) {
          throw new DeskFailure('malformed_answer', `The server sent report ${reportId} in a form the desk cannot read.`);
        }
      }
      return {
        fileName: `${reportId}.${format}`,
        mime: format === 'pdf' ? 'application/pdf' : mime.startsWith('application/json') ? mime : 'application/json',
        base64: bytes.toString('base64'),
      };
    },
  };
}
