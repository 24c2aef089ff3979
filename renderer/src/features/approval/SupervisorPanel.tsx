// The supervisor's part of the case workspace: the proposed verdict to approve or send back (a case pending
// approval) and the reassignment of a case not decided yet.
import type { CaseDetail, Me } from '../../../../shared/api/types';
import type { OutboxEntry } from '../../../../shared/desk-api/schemas';
import { ProposalRegion } from './ProposalRegion';
import { ReassignControl } from './ReassignControl';
import './approval.css';

interface SupervisorPanelProps {
  detail: CaseDetail;
  user: Me;
  outbox: OutboxEntry[];
  onCommandSent(): void;
}

export function SupervisorPanel({ detail, user, outbox, onCommandSent }: SupervisorPanelProps) {
  const proposal = detail.status === 'pending_approval' && detail.verdict?.state === 'proposed' ? detail.verdict : null;
  return (
    <>
      {proposal && <ProposalRegion detail={detail} verdict={proposal} user={user} outbox={outbox} onCommandSent={onCommandSent} />}
      {detail.status !== 'resolved' && <ReassignControl detail={detail} outbox={outbox} onCommandSent={onCommandSent} />}
    </>
  );
}
