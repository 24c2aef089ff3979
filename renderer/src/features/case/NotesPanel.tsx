// Internal notes: what the desk team tells itself about the case, never shown to the parties. The note
// being written is a draft the desk keeps until it is added.
import { useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import { useShortcut } from '../../app/shortcuts';
import type { CaseDetail } from '../../../../shared/api/types';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';
import { useCaseFormatters } from './format';

interface NotesPanelProps {
  detail: CaseDetail;
  noteDraft: string;
  onNoteDraft(body: string): void;
}

export function NotesPanel({ detail, noteDraft, onNoteDraft }: NotesPanelProps) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const addNote = useDeskCommand('case.note', { onSuccess: () => onNoteDraft('') });
  const field = useRef<HTMLTextAreaElement>(null);
  // n (app/shortcuts.ts) puts the cursor in the note; from there every key is typed, none is a shortcut.
  useShortcut('note', () => field.current?.focus());

  async function add(event: FormEvent) {
    event.preventDefault();
    const body = noteDraft.trim();
    if (!body || addNote.pending) return;
    await addNote.run({ caseId: detail.id, body });
  }

  return (
    <section className="case-panel case-notes" aria-labelledby="case-notes-title">
      <h2 className="case-panel__title" id="case-notes-title">
        {t('notes.title')}
      </h2>
      <p className="case-muted">{t('notes.hint')}</p>
      {detail.notes.length === 0 ? (
        <p className="case-muted">{t('notes.empty')}</p>
      ) : (
        <ol className="case-notes__list">
          {detail.notes.map((note) => (
            <li key={note.id}>
              <div className="case-muted">{t('notes.by', { name: note.author.displayName, time: format.dateTime(note.at) })}</div>
              <p>{note.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={(event) => void add(event)} className="case-notes__form">
        <label htmlFor="case-note-draft">{t('notes.label')}</label>
        <textarea ref={field} id="case-note-draft" aria-keyshortcuts="n" rows={2} maxLength={4000} value={noteDraft} onChange={(event) => onNoteDraft(event.target.value)} />
        <Button variant="primary" type="submit" disabled={addNote.pending || noteDraft.trim() === ''}>
          {t('notes.add')}
        </Button>
        {addNote.error && (
          <p className="case-alert case-alert--error" role="alert">
            {errorText(t, addNote.error)}
          </p>
        )}
      </form>
    </section>
  );
}
