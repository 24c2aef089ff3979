// The supervisor's "Audit" screen (#/audit): the desk's own check of the audit chain. The status is its own
// component (AuditChainStatus) so that other supervisor screens can show it as well.
import { useTranslation } from 'react-i18next';
import { AuditChainStatus } from './AuditChainStatus';
import './audit.css';

export function AuditScreen() {
  const { t } = useTranslation('audit');
  return (
    <div className="audit-screen">
      <h1 className="audit-screen__title">{t('screenTitle')}</h1>
      <AuditChainStatus />
    </div>
  );
}
