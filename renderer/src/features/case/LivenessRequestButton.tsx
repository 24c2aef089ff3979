// Asks a party for a new Proof of Life ('case.requestLiveness'); the pending check appears in the history
// once the server has it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';
import type { Party } from '../../../../shared/api/types';
import { desk } from './deskClient';
import { errorText } from './errorText';

export function LivenessRequestButton({ caseId, party }: { caseId: string; party: Party }) {
  const { t } = useTranslation('case');
  const [state, setState] = useState<{ phase: 'idle' | 'sending' | 'sent' } | { phase: 'failed'; message: string }>({ phase: 'idle' });

  async function request() {
    setState({ phase: 'sending' });
    const result = await desk().invoke('case.requestLiveness', { caseId, partyId: party.id });
    setState(result.ok ? { phase: 'sent' } : { phase: 'failed', message: errorText(t, result.error) });
  }

  return (
    <div className="case-identity__request">
      <Button variant="quiet" disabled={state.phase === 'sending'} onClick={() => void request()}>
        {t('identity.requestLiveness', { name: party.displayName })}
      </Button>
      <span role="status" className="case-muted">
        {state.phase === 'sent' ? t('identity.requestSent') : state.phase === 'failed' ? state.message : ''}
      </span>
    </div>
  );
}
