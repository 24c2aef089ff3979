// The agent's drafts on this case (message, note, verdict) as the desk keeps them, so that they survive
// sign-out and restarts. Typing updates the screen at once and the desk after a short pause: one write per
// pause rather than one per keystroke, and a last write when the workspace closes.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Draft } from '../../../../shared/desk-api/schemas';
import { askDesk } from '../../desk';

const SAVE_DELAY_MS = 500;
const EMPTY_DRAFT: Draft = { message: '', note: '', verdict: null };

export type DraftSaveState = 'idle' | 'saving' | 'saved';

export interface CaseDraft {
  draft: Draft;
  saveState: DraftSaveState;
  update(change: Partial<Draft>): void;
}

export function useCaseDraft(caseId: string): CaseDraft {
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [saveState, setSaveState] = useState<DraftSaveState>('idle');
  const current = useRef<Draft>(EMPTY_DRAFT);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const unsaved = useRef(false);

  const flush = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (!unsaved.current) return;
    unsaved.current = false;
    void askDesk('drafts.save', { caseId, draft: current.current }).then((answer) => setSaveState(answer.ok ? 'saved' : 'idle'));
  }, [caseId]);

  useEffect(() => {
    let unmounted = false;
    void askDesk('drafts.get', { caseId }).then((answer) => {
      if (unmounted) return;
      // Whatever was typed before the stored draft arrived wins over it.
      if (answer.ok && !unsaved.current) {
        current.current = answer.value;
        setDraft(answer.value);
      }
    });
    return () => {
      unmounted = true;
      flush();
    };
  }, [caseId, flush]);

  const update = useCallback(
    (change: Partial<Draft>) => {
      current.current = { ...current.current, ...change };
      setDraft(current.current);
      setSaveState('saving');
      unsaved.current = true;
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush],
  );

  return { draft, saveState, update };
}
