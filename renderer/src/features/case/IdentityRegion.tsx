// Region "Identity": for each party, who they proved to be (ID photo beside the Proof of Life frames), how
// sure MetaMap was, what went wrong in plain words, the history of checks; then the case's KYT alerts.
import { useTranslation } from 'react-i18next';
import type { CaseDetail, LivenessCheck, Party } from '../../../../shared/api/types';
import { KytAlerts } from './KytAlerts';
import { LivenessHistory } from './LivenessHistory';
import { LivenessRequestButton } from './LivenessRequestButton';
import { metamapExplanation } from './metamap';
import { useCaseFormatters } from './format';
import { useEvidenceUrl } from './useEvidenceUrl';

export function IdentityRegion({ detail, canRequestLiveness }: { detail: CaseDetail; canRequestLiveness: boolean }) {
  const { t } = useTranslation('case');
  return (
    <section className="case-panel case-identity" role="region" aria-label={t('identity.region')}>
      <h2 className="case-panel__title">{t('identity.title')}</h2>
      <div className="case-identity__parties">
        {(['buyer', 'seller'] as const).map((role) => (
          <PartyIdentity
            key={role}
            role={role}
            party={detail[role]}
            checks={detail.liveness.filter((check) => check.partyId === detail[role].id)}
            caseId={detail.id}
            canRequestLiveness={canRequestLiveness}
          />
        ))}
      </div>
      <KytAlerts detail={detail} />
    </section>
  );
}

interface PartyIdentityProps {
  role: 'buyer' | 'seller';
  party: Party;
  checks: LivenessCheck[];
  caseId: string;
  canRequestLiveness: boolean;
}

function PartyIdentity({ role, party, checks, caseId, canRequestLiveness }: PartyIdentityProps) {
  const { t } = useTranslation('case');
  const newestFirst = [...checks].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const latest = newestFirst[0] ?? null;
  // The ID photo is taken at onboarding; a later check may only carry new selfie frames.
  const idPhoto = newestFirst.find((check) => check.idPhoto)?.idPhoto ?? null;
  const headingId = `identity-${role}`;

  return (
    <article className="case-identity__party" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {t('identity.party', { role: t(`header.${role}`), name: party.displayName })}{' '}
        <span className={`case-kyc case-kyc--${party.kycStatus}`}>{t(`kyc.${party.kycStatus}`)}</span>
      </h3>
      {latest === null ? (
        <p className="case-muted">{t('identity.noChecks')}</p>
      ) : (
        <>
          <div className="case-identity__photos">
            {idPhoto && <EvidenceImage sha256={idPhoto} alt={t('identity.idPhoto', { name: party.displayName })} />}
            {latest.frames.map((frame, index) => (
              <EvidenceImage key={frame} sha256={frame} alt={t('identity.frame', { index: index + 1, name: party.displayName })} />
            ))}
          </div>
          <LatestCheck check={latest} />
          <LivenessHistory checks={newestFirst} partyName={party.displayName} />
        </>
      )}
      {canRequestLiveness && <LivenessRequestButton caseId={caseId} party={party} />}
    </article>
  );
}

function LatestCheck({ check }: { check: LivenessCheck }) {
  const { t } = useTranslation('case');
  const format = useCaseFormatters();
  const score = (value: number | null) => (value === null ? t('identity.noScore') : format.percent(value));
  const explanation = check.errorCode ? metamapExplanation(t, check.errorCode) : null;
  return (
    <div className="case-identity__latest">
      <dl className="case-identity__scores">
        <div>
          <dt>{t('identity.latest')}</dt>
          <dd>
            <span className={`case-check case-check--${check.status}`}>{t(`identity.check.${check.status}`)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('identity.livenessScore')}</dt>
          <dd>{score(check.livenessScore)}</dd>
        </div>
        <div>
          <dt>{t('identity.faceMatchScore')}</dt>
          <dd>{score(check.faceMatchScore)}</dd>
        </div>
      </dl>
      {check.errorCode && (
        <p className="case-alert case-alert--error">
          <strong>{t('identity.errorCode', { code: check.errorCode })}</strong>
          {explanation && <> — {explanation}</>}
        </p>
      )}
    </div>
  );
}

function EvidenceImage({ sha256, alt }: { sha256: string; alt: string }) {
  const url = useEvidenceUrl(sha256);
  return (
    <figure className="case-identity__photo">
      {url ? <img src={url} alt={alt} /> : <span className="case-identity__photo-placeholder" />}
      <figcaption>{alt}</figcaption>
    </figure>
  );
}
