// The outbox's part of the desk API: claims, messages, notes, Proof of Life requests and verdicts (agents),
// holds, hold lifts and KYT alert assignments and decisions (compliance), approvals, send-backs and
// reassignments (supervisors) become commands on disk (./sender.ts sends them), and a command waiting for a
// fresh code (a verdict, a hold lift, an approval or a send-back) gets it here.
import type { Role } from '../../../shared/domain/dispute';
import { APPROVAL_KINDS, type OutboxEntry, type OutboxKind } from '../../../shared/desk-api/schemas';
import type { DeskContext } from '../context';
import { DeskFailure, type DeskHandlers } from '../handlers';
import { parsePayload } from './commands';
import type { SignedInUser } from './platform';
import { createOutboxSender, type OutboxDeps } from './sender';
import { commandsOfAlert, commandsOfCase, findCommand, openCommandOf } from './store';

export type { OutboxDeps } from './sender';

export interface Outbox {
  handlers: DeskHandlers;
  /** The signed-in user's commands on a case, for the case view. */
  entriesOfCase(caseId: string): OutboxEntry[];
  /** The signed-in user's commands on a KYT alert, for the alert view. */
  entriesOfAlert(alertId: string): OutboxEntry[];
  /** Sends what is pending now: call on start once signed in, after each sign-in, and when the server is back. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export function createOutbox(ctx: DeskContext, deps: OutboxDeps): Outbox {
  const sender = createOutboxSender(ctx, deps);

  function signedIn(): SignedInUser {
    const user = deps.currentUser();
    if (!user) throw new DeskFailure('signed_out', 'Sign in first.');
    return user;
  }

  /** The server refuses other roles too; saying so here keeps a refused command out of the outbox. */
  function signedInAs(role: Role, refusal: string): SignedInUser {
    const user = signedIn();
    if (user.role !== role) throw new DeskFailure('forbidden', refusal);
    return user;
  }
  const reviewer = (what: string) => signedInAs('compliance', `Only compliance reviewers can ${what}.`);
  const supervisor = (what: string) => signedInAs('supervisor', `Only supervisors can ${what}.`);

  /** A second hold command while one is on its way would race the first: refused until it is settled. */
  function refuseSecondHoldCommand(user: SignedInUser, caseId: string): void {
    const open = openCommandOf(ctx.own, user.id, caseId, 'hold') ?? openCommandOf(ctx.own, user.id, caseId, 'lift_hold');
    if (!open) return;
    throw new DeskFailure(
      'hold_in_outbox',
      open.state === 'needs_code'
        ? 'Lifting this hold is waiting for a fresh authentication code.'
        : 'A hold command on this case is already on its way to the server.',
    );
  }

  /** An approval or a send-back while one is on its way would race it: refused until it is settled. */
  function refuseSecondApprovalCommand(user: SignedInUser, caseId: string): void {
    const open = APPROVAL_KINDS.map((kind) => openCommandOf(ctx.own, user.id, caseId, kind)).find(Boolean);
    if (!open) return;
    throw new DeskFailure(
      'verdict_in_outbox',
      open.state === 'needs_code'
        ? 'Your decision on this proposal is waiting for a fresh authentication code.'
        : 'Your decision on this proposal is already on its way to the server.',
    );
  }

  async function freshCodeFor(kinds: readonly OutboxKind[], commandId: string, totp: string, what: string) {
    const user = signedIn();
    const command = findCommand(ctx.own, commandId);
    if (!command || command.userId !== user.id || !kinds.includes(command.kind)) {
      throw new DeskFailure('not_found', `There is no ${what} of yours with this id.`);
    }
    const requeued =
      command.state === 'needs_code'
        ? await sender.requeue(command.id, { ...(parsePayload(command.kind, command.payload) as object), totp })
        : null;
    if (!requeued) throw new DeskFailure('not_waiting_for_code', `This ${what} is not waiting for a code.`);
    return requeued;
  }

  const onCase = (caseId: string) => ({ caseId, alertId: null });
  const onAlert = (alertId: string) => ({ caseId: null, alertId });

  const handlers: DeskHandlers = {
    'case.claim': async ({ caseId }) => {
      return sender.enqueue(signedInAs('agent', 'Only dispute agents can claim cases.'), 'claim', onCase(caseId), {});
    },
    'case.message': async ({ caseId, body }) => {
      return sender.enqueue(signedIn(), 'message', onCase(caseId), { body });
    },
    'case.note': async ({ caseId, body }) => {
      return sender.enqueue(signedIn(), 'note', onCase(caseId), { body });
    },
    'case.requestLiveness': async ({ caseId, partyId }) => {
      return sender.enqueue(signedIn(), 'liveness_request', onCase(caseId), { partyId });
    },
    'case.verdict': async ({ caseId, ...verdict }) => {
      const user = signedInAs('agent', 'Only dispute agents can decide verdicts.');
      // A second verdict while one is on its way would carry another key, and the server would take
      // whichever came first: a double submit must not become two decisions in flight.
      const open = openCommandOf(ctx.own, user.id, caseId, 'verdict');
      if (open) {
        throw new DeskFailure(
          'verdict_in_outbox',
          open.state === 'needs_code'
            ? 'Your verdict on this case is waiting for a fresh authentication code.'
            : 'Your verdict on this case is already on its way to the server.',
        );
      }
      return sender.enqueue(user, 'verdict', onCase(caseId), verdict);
    },
    'case.verdictCode': ({ commandId, totp }) => freshCodeFor(['verdict'], commandId, totp, 'verdict'),
    'case.placeHold': async ({ caseId, reason }) => {
      const user = reviewer('place a hold on an escrow');
      refuseSecondHoldCommand(user, caseId);
      return sender.enqueue(user, 'hold', onCase(caseId), { reason });
    },
    'case.liftHold': async ({ caseId, reason, totp }) => {
      const user = reviewer('lift a hold');
      refuseSecondHoldCommand(user, caseId);
      return sender.enqueue(user, 'lift_hold', onCase(caseId), { reason, totp });
    },
    'case.liftHoldCode': ({ commandId, totp }) => freshCodeFor(['lift_hold'], commandId, totp, 'hold lift'),
    'case.approve': async ({ caseId, totp }) => {
      const user = supervisor('approve verdicts');
      refuseSecondApprovalCommand(user, caseId);
      return sender.enqueue(user, 'approve', onCase(caseId), { totp });
    },
    'case.sendBack': async ({ caseId, reason, totp }) => {
      const user = supervisor('send proposed verdicts back');
      refuseSecondApprovalCommand(user, caseId);
      return sender.enqueue(user, 'send_back', onCase(caseId), { reason, totp });
    },
    'case.approvalCode': ({ commandId, totp }) =>
      freshCodeFor(APPROVAL_KINDS, commandId, totp, 'approval or send-back'),
    'case.reassign': async ({ caseId, assigneeId, reason }) => {
      return sender.enqueue(supervisor('reassign cases'), 'reassign', onCase(caseId), { assigneeId, reason });
    },
    'kyt.assign': async ({ alertId }) => {
      return sender.enqueue(reviewer('take KYT alerts'), 'alert_assign', onAlert(alertId), {});
    },
    'kyt.decide': async ({ alertId, decision, reason, narrative }) => {
      const payload = narrative === undefined ? { decision, reason } : { decision, reason, narrative };
      return sender.enqueue(reviewer('decide KYT alerts'), 'alert_decision', onAlert(alertId), payload);
    },
  };

  return {
    handlers,
    entriesOfCase: (caseId) => {
      const user = deps.currentUser();
      return user ? commandsOfCase(ctx.own, user.id, caseId) : [];
    },
    entriesOfAlert: (alertId) => {
      const user = deps.currentUser();
      return user ? commandsOfAlert(ctx.own, user.id, alertId) : [];
    },
    resume: () => sender.resume(),
    close: () => sender.close(),
  };
}
