// The desk's sync state in the banner: a dot, a word, progress during a long sync, and when it last synced.
import { useTranslation } from 'react-i18next';
import { formattingLocale } from '../i18n';
import { useSync } from '../stores/sync';

export function SyncIndicator() {
  const { t, i18n } = useTranslation('common');
  const status = useSync((state) => state.status);
  if (!status) return null;
  const locale = formattingLocale(i18n.language);

  const headline =
    status.state === 'syncing' && status.progress
      ? t('sync.syncingProgress', { applied: new Intl.NumberFormat(locale).format(status.progress.applied) })
      : status.state === 'error'
        ? t('sync.error', { message: status.error?.message ?? '' })
        : t(`sync.${status.state}`);
  const lastSynced = status.lastSyncedAt
    ? t('sync.lastSynced', {
        time: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(status.lastSyncedAt)),
      })
    : t('sync.never');

  return (
    <div className={`sync sync--${status.state}`} role="status" aria-label={t('sync.label')}>
      <span className="sync__dot" aria-hidden="true" />
      <span className="sync__text">
        <span className="sync__headline">{headline}</span>
        <span className="sync__time">{lastSynced}</span>
      </span>
      {status.state === 'syncing' && <progress className="sync__progress" aria-label={t('sync.syncing')} />}
    </div>
  );
}
