// Asks a party for a new Proof of Life ('case.requestLiveness'); the pending check appears in the history
// once the server has it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { Party } from '../../../../shared/api/types';
import { useDeskCommand } from '../../desk';
import { errorText } from './errorText';

export function LivenessRequestButton({ caseId, party }: { caseId: string; party: Party }) {
  const { t } = useTranslation('case');
  const [sent, setSent] = useState(false);
  const requestLiveness = useDeskCommand('case.requestLiveness', { onSuccess: () => setSent(true) });

  async function request() {
    setSent(false);
    await requestLiveness.run({ caseId, partyId: party.id });
  }

  return (
    <div className="case-identity__request">
      <Button variant="quiet" disabled={requestLiveness.pending} onClick={() => void request()}>
        {t('identity.requestLiveness', { name: party.displayName })}
      </Button>
      <span role="status" className="case-muted">
        {sent ? t('identity.requestSent') : requestLiveness.error ? errorText(t, requestLiveness.error) : ''}
      </span>
    </div>
  );
}
