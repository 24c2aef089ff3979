// Loads one case from the desk cache ('case.get') and reloads it when the desk says the case or one of
// the user's commands on it changed, so the workspace follows sync and the outbox without a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaseView, DeskError } from '../../../../shared/desk-api/schemas';
import { desk } from './deskClient';

export type CaseViewState =
  | { phase: 'loading' }
  | { phase: 'failed'; error: DeskError }
  | { phase: 'ready'; view: CaseView };

const LOADING: CaseViewState = { phase: 'loading' };

export function useCaseView(caseId: string): { state: CaseViewState; reload: () => void } {
  // Kept with the id it belongs to, so that another case id shows "loading" rather than the old case.
  const [loaded, setLoaded] = useState<{ caseId: string; state: CaseViewState } | null>(null);
  // Answers can arrive out of order when events come in bursts: only the newest request may set state.
  const latestRequest = useRef(0);

  const reload = useCallback(() => {
    const request = ++latestRequest.current;
    void desk()
      .invoke('case.get', { caseId })
      .then((result) => {
        if (request !== latestRequest.current) return;
        setLoaded((previous) => {
          if (result.ok) return { caseId, state: { phase: 'ready', view: result.value } };
          // A failed refresh keeps what is on screen; only a first load shows the error.
          if (previous?.caseId === caseId && previous.state.phase === 'ready') return previous;
          return { caseId, state: { phase: 'failed', error: result.error } };
        });
      });
  }, [caseId]);

  useEffect(() => {
    reload();
    const bridge = desk();
    const offCases = bridge.on('cases.changed', ({ caseIds }) => {
      if (caseIds.includes(caseId)) reload();
    });
    const offOutbox = bridge.on('outbox.changed', (entry) => {
      if (entry.caseId === caseId) reload();
    });
    const requests = latestRequest;
    return () => {
      offCases();
      offOutbox();
      // Answers still on their way belong to a screen that is gone.
      requests.current++;
    };
  }, [caseId, reload]);

  return { state: loaded?.caseId === caseId ? loaded.state : LOADING, reload };
}
