// Region "Chat": the negotiation as the parties lived it, the platform's own events set apart, receipts
// inline (a click opens them in the evidence viewer), and a box for the case holder to write to both.
import { useEffect, useRef } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { CaseDetail, Evidence, Message } from '../../../../shared/api/types';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';
import { useCaseFormatters } from './format';
import { useEvidenceUrl } from './useEvidenceUrl';

interface ChatRegionProps {
  detail: CaseDetail;
  canWrite: boolean;
  messageDraft: string;
  onMessageDraft(body: string): void;
  onShowEvidence(sha256: string): void;
}

export function ChatRegion({ detail, canWrite, messageDraft, onMessageDraft, onShowEvidence }: ChatRegionProps) {
  const { t } = useTranslation('case');
  const transcript = useRef<HTMLOListElement>(null);
  const evidenceBySha = new Map(detail.evidence.map((file) => [file.sha256, file]));

  // New messages arrive at the bottom: keep the newest in view, as any chat does.
  useEffect(() => {
    const list = transcript.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [detail.messages.length]);

  return (
    <section className="case-panel case-chat" role="region" aria-label={t('chat.region')}>
      <h2 className="case-panel__title">{t('chat.title')}</h2>
      {/* Scrollable and focusable so that keyboard users can scroll a long transcript. */}
      <ol className="case-chat__transcript" ref={transcript} tabIndex={0} aria-label={t('chat.title')}>
        {detail.messages.length === 0 && <li className="case-muted">{t('chat.empty')}</li>}
        {detail.messages.map((message) => (
          <ChatMessage key={message.id} message={message} detail={detail} evidenceBySha={evidenceBySha} onShowEvidence={onShowEvidence} />
        ))}
      </ol>
      {canWrite ? (
        <MessageComposer caseId={detail.id} draft={messageDraft} onDraft={onMessageDraft} />
      ) : (
        detail.status !== 'resolved' && <p className="case-muted case-chat__hint">{t('chat.onlyHolder')}</p>
      )}
    </section>
  );
}

interface ChatMessageProps {
  message: Message;
  detail: CaseDetail;
  evidenceBySha: Map<string, Evidence>;
  onShowEvidence(sha256: string): void;
}

function ChatMessage({ message, detail, evidenceBySha, onShowEvidence }: ChatMessageProps) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const time = <time dateTime={message.at}>{format.dateTime(message.at)}</time>;

  if (message.sender === 'system') {
    return (
      <li className="case-chat__event">
        <span className="case-chat__event-label">{t('sender.system')}</span> {message.body} · {time}
      </li>
    );
  }

  const author =
    message.sender === 'buyer'
      ? detail.buyer.displayName
      : message.sender === 'seller'
        ? detail.seller.displayName
        : (message.author?.displayName ?? t('sender.agent'));
  return (
    <li className={`case-chat__message case-chat__message--${message.sender}`}>
      <div className="case-chat__meta">
        <strong>{author}</strong> <span className="case-chat__role">{t(`sender.${message.sender}`)}</span> · {time}
      </div>
      <p className="case-chat__body">{message.body}</p>
      {message.evidence.length > 0 && (
        <div className="case-chat__attachments">
          {message.evidence.map((sha256) => (
            <ReceiptThumbnail
              key={sha256}
              sha256={sha256}
              name={evidenceBySha.get(sha256)?.fileName ?? t('evidence.unnamed')}
              onShow={() => onShowEvidence(sha256)}
            />
          ))}
        </div>
      )}
    </li>
  );
}

function ReceiptThumbnail({ sha256, name, onShow }: { sha256: string; name: string; onShow(): void }) {
  const { t } = useTranslation('case');
  const url = useEvidenceUrl(sha256);
  const label = t('chat.receipt', { name });
  return (
    <button type="button" className="case-chat__thumbnail" onClick={onShow} aria-label={label} title={label}>
      {url ? <img src={url} alt="" loading="lazy" /> : <span className="case-chat__thumbnail-placeholder" />}
    </button>
  );
}

function MessageComposer({ caseId, draft, onDraft }: { caseId: string; draft: string; onDraft(body: string): void }) {
  const { t } = useTranslation('case');
  const message = useDeskCommand('case.message', { onSuccess: () => onDraft('') });
  const sending = message.pending;

  async function send(event: FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body || sending) return;
    await message.run({ caseId, body });
  }

  return (
    <form className="case-chat__composer" onSubmit={(event) => void send(event)}>
      <label htmlFor="case-message-draft">{t('chat.composerLabel')}</label>
      <textarea
        id="case-message-draft"
        value={draft}
        rows={2}
        maxLength={4000}
        aria-describedby="case-message-hint"
        onChange={(event) => onDraft(event.target.value)}
        onKeyDown={(event) => {
          // Ctrl/Cmd+Enter sends, as in most chat tools; Enter alone makes a new line.
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send(event);
        }}
      />
      <div className="case-chat__composer-row">
        <span id="case-message-hint" className="case-muted">
          {t('chat.composerHint')}
        </span>
        <Button variant="primary" type="submit" disabled={sending || draft.trim() === ''}>
          {sending ? t('chat.sending') : t('chat.send')}
        </Button>
      </div>
      {message.error && (
        <p className="case-alert case-alert--error" role="alert">
          {errorText(t, message.error)}
        </p>
      )}
    </form>
  );
}
