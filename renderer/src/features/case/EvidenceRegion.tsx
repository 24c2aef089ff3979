// Region "Evidence": the case's files, the selected one shown large (image viewer or PDF pages) with its
// metadata and sha256, and a warning when the very same file (same sha256) belongs to another case too.
import { useTranslation } from 'react-i18next';
import type { CaseDetail, Evidence } from '../../../../shared/api/types';
import { FileFacts } from './FileFacts';
import { ImageViewer } from './ImageViewer';
import { PdfViewer } from './PdfViewer';
import { useEvidenceUrl } from './useEvidenceUrl';

interface EvidenceRegionProps {
  detail: CaseDetail;
  sharedEvidence: Record<string, string[]>;
  selected: string | null;
  onSelect(sha256: string): void;
}

export function EvidenceRegion({ detail, sharedEvidence, selected, onSelect }: EvidenceRegionProps) {
  const { t } = useTranslation('case');
  const file = detail.evidence.find((candidate) => candidate.sha256 === selected) ?? detail.evidence[0] ?? null;

  return (
    <section className="case-panel case-evidence" role="region" aria-label={t('evidence.region')}>
      <h2 className="case-panel__title">{t('evidence.title')}</h2>
      {detail.evidence.length === 0 ? (
        <p className="case-muted">{t('evidence.empty')}</p>
      ) : (
        <>
          <ul className="case-evidence__list" aria-label={t('evidence.files')}>
            {detail.evidence.map((candidate) => (
              <li key={candidate.sha256}>
                <button
                  type="button"
                  className="case-evidence__file"
                  aria-pressed={candidate.sha256 === file?.sha256}
                  onClick={() => onSelect(candidate.sha256)}
                >
                  <span className="case-evidence__kind">{t(`evidence.kind.${candidate.kind}`)}</span>
                  <span className="case-evidence__name">{candidate.fileName ?? t('evidence.unnamed')}</span>
                  {(sharedEvidence[candidate.sha256]?.length ?? 0) > 0 && <span className="case-evidence__shared" aria-hidden="true">⚠</span>}
                </button>
              </li>
            ))}
          </ul>
          {file && <SelectedFile file={file} otherCases={sharedEvidence[file.sha256] ?? []} detail={detail} />}
        </>
      )}
    </section>
  );
}

function SelectedFile({ file, otherCases, detail }: { file: Evidence; otherCases: string[]; detail: CaseDetail }) {
  const { t } = useTranslation('case');
  const url = useEvidenceUrl(file.sha256);
  const name = file.fileName ?? t('evidence.unnamed');
  return (
    <div className="case-evidence__selected">
      {otherCases.length > 0 && (
        <p className="case-alert case-alert--warning" role="note">
          {t('evidence.sharedWarning', { caseIds: otherCases.join(', ') })}
        </p>
      )}
      {url === null ? null : file.mime.startsWith('image/') ? (
        // Keyed by the file: another file starts fitted, on a fresh render.
        <ImageViewer key={url} url={url} name={name} />
      ) : file.mime === 'application/pdf' ? (
        <PdfViewer key={url} url={url} name={name} />
      ) : (
        <p className="case-muted">{t('evidence.noPreview')}</p>
      )}
      <FileFacts file={file} detail={detail} />
    </div>
  );
}
