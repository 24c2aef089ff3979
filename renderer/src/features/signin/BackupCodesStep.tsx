// The backup codes, shown once right after enrolment: the desk does not keep them and cannot show them again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from '../../components';

export function BackupCodesStep({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const { t } = useTranslation('signin');
  const [copied, setCopied] = useState(false);

  function copy() {
    void navigator.clipboard?.writeText(codes.join('\n')).then(() => setCopied(true), () => undefined);
  }

  return (
    <section className="backup" aria-labelledby="backup-title">
      <h1 id="backup-title" className="signin__title">
        {t('backup.title')}
      </h1>
      <Alert tone="warning">{t('backup.intro')}</Alert>
      <ol className="backup__codes" aria-label={t('backup.listLabel')}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="backup__actions">
        <Button onClick={copy}>{copied ? t('backup.copied') : t('backup.copy')}</Button>
        <Button variant="primary" onClick={onDone} autoFocus>
          {t('backup.done')}
        </Button>
      </div>
    </section>
  );
}
