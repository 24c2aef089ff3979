// The suspicious activity report filed with a `report` decision, downloadable as PDF and as JSON. The desk
// fetches the bytes ('kyt.report') and the browser saves them (downloadFile).
import { useTranslation } from 'react-i18next';
import { Button, downloadFile } from '../../components';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';

export function ReportDownloads({ reportId }: { reportId: string }) {
  const { t } = useTranslation('compliance');
  const download = useDeskCommand('kyt.report', { onSuccess: downloadFile });

  return (
    <section className="compliance-panel report-downloads" aria-labelledby="report-title">
      <h2 id="report-title" className="compliance-panel__title">
        {t('detail.reportTitle')}
      </h2>
      <p>{t('detail.reportFiled', { reportId })}</p>
      <div className="compliance-panel__buttons">
        <Button variant="primary" busy={download.pending} onClick={() => void download.run({ reportId, format: 'pdf' })}>
          {t('detail.downloadPdf')}
        </Button>
        <Button variant="secondary" busy={download.pending} onClick={() => void download.run({ reportId, format: 'json' })}>
          {t('detail.downloadJson')}
        </Button>
      </div>
      {download.error && (
        <p className="case-alert case-alert--error" role="alert">
          {t('detail.downloadFailed', { message: errorText(t, download.error) })}
        </p>
      )}
    </section>
  );
}
