// What the case screen offers on a case the exchange settled before its dispute opened (README "Platform
// events"): no claim, no verdict, and a reason of its own; a verdict's settlement and a detail cached from
// an older server (no `settlement`) keep the usual "decided".
import { describe, expect, it } from 'vitest';
import type { CaseDetail, Me } from '../../shared/api/types';
import { caseActionRules } from '../../renderer/src/features/case/caseActionRules';
import { exchangeSettlement } from '../../renderer/src/features/case/settlement';
import { syntheticCase } from '../desk/fixtures/synthetic-cases';

const ana: Me = { id: 'USR-ana', username: 'ana', displayName: 'Ana', role: 'agent' } as Me;

function resolvedCase(settlement: CaseDetail['escrow']['settlement']): CaseDetail {
  const detail = syntheticCase(0);
  const escrow = { ...detail.escrow, state: 'released' as const };
  if (settlement === undefined) delete escrow.settlement;
  else escrow.settlement = settlement;
  return { ...detail, status: 'resolved', assignee: null, verdict: null, escrow };
}

describe('a case settled on the exchange', () => {
  it('offers neither claim nor verdict, for the settlement reason', () => {
    const detail = resolvedCase({ cause: 'trade.released', at: '2025-06-01T10:00:00.000Z' });
    expect(exchangeSettlement(detail)).toEqual({ cause: 'trade.released', at: '2025-06-01T10:00:00.000Z' });
    expect(caseActionRules(detail, ana, [])).toEqual({
      isHolder: false,
      canClaim: false,
      canDecide: false,
      decideBlock: 'settled_on_exchange',
    });
  });

  it('says so for a supervisor too, whose screen would otherwise say only agents decide', () => {
    const detail = resolvedCase({ cause: 'trade.cancelled', at: '2025-06-01T10:00:00.000Z' });
    expect(caseActionRules(detail, { ...ana, role: 'supervisor' }, []).decideBlock).toBe('settled_on_exchange');
  });

  it('keeps "decided" for a verdict and for a detail cached before the field existed', () => {
    for (const detail of [resolvedCase({ cause: 'verdict', at: '2025-06-01T10:00:00.000Z' }), resolvedCase(undefined), resolvedCase(null)]) {
      expect(exchangeSettlement(detail)).toBeNull();
      expect(caseActionRules(detail, ana, []).decideBlock).toBe('decided');
    }
  });
});
