// The metadata of one evidence file, with its sha256 in full and a button to copy it (agents paste it into
// reports and searches).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { CaseDetail, Evidence } from '../../../../shared/api/types';
import { useCaseFormatters } from './format';

export function FileFacts({ file, detail }: { file: Evidence; detail: CaseDetail }) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const [copied, setCopied] = useState(false);
  const name = file.fileName ?? t('evidence.unnamed');
  const uploader =
    file.uploader === 'buyer' ? detail.buyer.displayName : file.uploader === 'seller' ? detail.seller.displayName : t(`sender.${file.uploader}`);

  async function copySha() {
    await navigator.clipboard.writeText(file.sha256);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }

  return (
    <dl className="case-file-facts">
      <div>
        <dt>{t('evidence.type')}</dt>
        <dd>
          {t(`evidence.kind.${file.kind}`)} · {file.mime}
        </dd>
      </div>
      <div>
        <dt>{t('evidence.size')}</dt>
        <dd>{format.bytes(file.size)}</dd>
      </div>
      <div className="case-file-facts__wide">
        <dt className="case-visually-hidden">{name}</dt>
        <dd>{t('evidence.uploadedBy', { who: uploader, time: format.dateTime(file.uploadedAt) })}</dd>
      </div>
      <div className="case-file-facts__wide">
        <dt>{t('evidence.sha256')}</dt>
        <dd className="case-file-facts__sha">
          <code>{file.sha256}</code>
          <Button variant="quiet" onClick={() => void copySha()} aria-label={t('evidence.copySha', { name })}>
            {copied ? t('evidence.copied') : t('evidence.copy')}
          </Button>
          <span className="case-visually-hidden" aria-live="polite">
            {copied ? t('evidence.copied') : ''}
          </span>
        </dd>
      </div>
    </dl>
  );
}
