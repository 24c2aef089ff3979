// A decided case's sealed dossier (issue #9) for supervisors and compliance: the server's signed record of
// the case, as a PDF for people (carrying the signed JSON inside) or as the JSON itself. The desk fetches
// the bytes ('case.dossier') and the browser saves them (downloadFile).
import { useTranslation } from 'react-i18next';
import { Button, downloadFile } from '../../components';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';

export function DossierDownloads({ caseId }: { caseId: string }) {
  const { t } = useTranslation('case');
  const download = useDeskCommand('case.dossier', { onSuccess: downloadFile });
  const titleId = `dossier-title-${caseId}`;

  return (
    <section className="case-panel case-dossier" aria-labelledby={titleId}>
      <h2 id={titleId} className="case-panel__title">
        {t('dossier.title')}
      </h2>
      <p className="case-muted">{t('dossier.intro')}</p>
      <div className="case-actions__buttons">
        <Button variant="primary" busy={download.pending} onClick={() => void download.run({ caseId, format: 'pdf' })}>
          {t('dossier.downloadPdf')}
        </Button>
        <Button variant="secondary" busy={download.pending} onClick={() => void download.run({ caseId, format: 'json' })}>
          {t('dossier.downloadJson')}
        </Button>
      </div>
      {download.error && (
        <p className="case-alert case-alert--error" role="alert">
          {t('dossier.failed', { message: errorText(t, download.error) })}
        </p>
      )}
    </section>
  );
}
