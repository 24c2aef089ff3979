// Who may do what on a case right now, from the case, the signed-in user and their commands in flight.
// The server decides in the end; these rules keep the screen from offering what it would refuse.
import type { CaseDetail, Me } from '../../../../shared/api/types';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { exchangeSettlement } from './settlement';

export type ActionBlock =
  | 'settled_on_exchange'
  | 'not_agent'
  | 'decided'
  | 'awaiting_approval' | 'held_by_other' | 'claim_first' | 'on_hold' | 'in_flight' | null;

export interface CaseActionRules {
  isHolder: boolean;
  canClaim: boolean;
  canDecide: boolean;
  /** Why deciding is not possible now, for the line under the buttons. */
  decideBlock: ActionBlock;
}

const isOpen = (entry: OutboxEntry) => entry.state === 'pending' || entry.state === 'needs_code';

export function caseActionRules(detail: CaseDetail, user: Me | null, outbox: OutboxEntry[]): CaseActionRules {
  const isAgent = user?.role === 'agent';
  const isHolder = user !== null && detail.assignee?.id === user.id;
  const decided = detail.status === 'resolved' || detail.escrow.state !== 'held';
  const claimInFlight = outbox.some((entry) => entry.kind === 'claim' && isOpen(entry));
  const verdictInFlight = outbox.some((entry) => entry.kind === 'verdict' && isOpen(entry));

  const decideBlock: ActionBlock = exchangeSettlement(detail)
    ? 'settled_on_exchange'
    : !isAgent
      ? 'not_agent'
      : decided
        ? 'decided'
        : detail.status === 'pending_approval'
          ? 'awaiting_approval'
          : verdictInFlight
            ? 'in_flight'
            : detail.assignee && !isHolder
              ? 'held_by_other'
              : !isHolder || detail.status !== 'in_review'
                ? 'claim_first'
                : detail.escrow.hold
                  ? 'on_hold'
                  : null;

  return {
    isHolder,
    canClaim: isAgent && !decided && detail.status !== 'pending_approval' && !isHolder && !claimInFlight,
    canDecide: decideBlock === null,
    decideBlock,
  };
}

/** The user's most recent command on the case, if the screen should still speak about it. */
export function latestOpenOrFailed(outbox: OutboxEntry[]): OutboxEntry | null {
  const latest = [...outbox].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return latest && latest.state !== 'confirmed' ? latest : null;
}
