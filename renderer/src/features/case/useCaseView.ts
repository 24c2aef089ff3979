// Loads one case from the desk cache ('case.get') and reads it again when the desk says the case or one of
// the user's commands on it changed, so the workspace follows sync and the outbox without a reload. One
// change is one read: the notices a command brings (its outbox updates, the case written from its answer,
// the sync page carrying the same version) are coalesced by useDeskQuery, and a sync page with a version
// the screen already shows asks for nothing.
import type { CaseView } from '../../../../shared/desk-api/schemas';
import { useDeskQuery, type DeskQuery, type RefetchOn } from '../../desk';

/** Long enough to span a command's answer and the sync page behind it on a local server; short to the eye. */
const COALESCE_MS = 150;

function refetchOn(caseId: string): RefetchOn<CaseView> {
  return {
    'cases.changed': {
      matches: ({ caseIds }) => caseIds.includes(caseId),
      stale: ({ summaries }, current) => {
        const summary = summaries?.find((candidate) => candidate.id === caseId);
        // Without a summary the notice does not say what changed: read.
        return summary === undefined || summary.version !== current.case.version;
      },
    },
    'outbox.changed': { matches: (entry) => entry.caseId === caseId },
  };
}

export function useCaseView(caseId: string): DeskQuery<CaseView> {
  return useDeskQuery('case.get', { caseId }, { refetchOn: refetchOn(caseId), debounceMs: COALESCE_MS });
}
