// The outbox's part of the desk API: claims, messages, notes, Proof of Life requests and verdicts become
// commands on disk (./sender.ts sends them), and a verdict waiting for a fresh code gets it here.
import type { OutboxEntry } from '../../../shared/desk-api/schemas';
import type { DeskContext } from '../context';
import { DeskFailure, type DeskHandlers } from '../handlers';
import { parsePayload } from './commands';
import type { SignedInUser } from './platform';
import { createOutboxSender, type OutboxDeps } from './sender';
import { commandsOfCase, findCommand, openVerdictOf } from './store';

export type { OutboxDeps } from './sender';

export interface Outbox {
  handlers: DeskHandlers;
  /** The signed-in user's commands on a case, for the case view. */
  entriesOfCase(caseId: string): OutboxEntry[];
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

  const handlers: DeskHandlers = {
    'case.claim': async ({ caseId }) => {
      return sender.enqueue(signedIn(), 'claim', caseId, {});
    },
    'case.message': async ({ caseId, body }) => {
      return sender.enqueue(signedIn(), 'message', caseId, { body });
    },
    'case.note': async ({ caseId, body }) => {
      return sender.enqueue(signedIn(), 'note', caseId, { body });
    },
    'case.requestLiveness': async ({ caseId, partyId }) => {
      return sender.enqueue(signedIn(), 'liveness_request', caseId, { partyId });
    },
    'case.verdict': async ({ caseId, ...verdict }) => {
      const user = signedIn();
      // A second verdict while one is on its way would carry another key, and the server would take
      // whichever came first: a double submit must not become two decisions in flight.
      const open = openVerdictOf(ctx.db, user.id, caseId);
      if (open) {
        throw new DeskFailure(
          'verdict_in_outbox',
          open.state === 'needs_code'
            ? 'Your verdict on this case is waiting for a fresh authentication code.'
            : 'Your verdict on this case is already on its way to the server.',
        );
      }
      return sender.enqueue(user, 'verdict', caseId, verdict);
    },
    'case.verdictCode': async ({ commandId, totp }) => {
      const user = signedIn();
      const command = findCommand(ctx.db, commandId);
      if (!command || command.userId !== user.id || command.kind !== 'verdict') {
        throw new DeskFailure('not_found', 'There is no verdict of yours with this id.');
      }
      const requeued =
        command.state === 'needs_code'
          ? await sender.requeue(command.id, { ...parsePayload('verdict', command.payload), totp })
          : null;
      if (!requeued) throw new DeskFailure('not_waiting_for_code', 'This verdict is not waiting for a code.');
      return requeued;
    },
  };

  return {
    handlers,
    entriesOfCase: (caseId) => {
      const user = deps.currentUser();
      return user ? commandsOfCase(ctx.db, user.id, caseId) : [];
    },
    resume: () => sender.resume(),
    close: () => sender.close(),
  };
}
