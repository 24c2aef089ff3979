// Sends the outbox: each command is on disk before it goes, goes at once, and is tried again under the
// same idempotency key until the server answers for good (DESIGN §5).
//
// At least once, not exactly once: the server deduplicates verdicts by their key (a repeat gets the stored
// answer and nothing moves twice; holds, hold lifts and alert assignments and decisions likewise) and a
// claim repeated by its holder changes nothing, but messages, notes and Proof of Life requests have no key
// on the server. If their answer is lost after the server took
// them, the retry posts them a second time. We accept that duplicate (a repeated line in the chat or in
// the notes, a second pending liveness check) rather than risk dropping a message the server never got;
// the key is sent with them anyway, so a server that learns to honour it needs no change here.
import { randomUUID } from 'node:crypto';
import type { CaseDetail, VerdictResponse } from '../../../shared/api/types';
import type { OutboxEntry, OutboxKind } from '../../../shared/desk-api/schemas';
import { MalformedAnswerError } from '../api-client';
import { applyCaseDetail } from '../cache/apply-case';
import type { DeskContext } from '../context';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import {
  finishedPayload,
  parsePayload,
  platformRequestOf,
  withoutCode,
  type CommandSubject,
  type PlatformRequest,
} from './commands';
import { outcomeOfFailure } from './outcomes';
import { callFailureOf, type PlatformCalls, type SignedInUser } from './platform';
import {
  countAttempt,
  dueCommands,
  entryOf,
  findCommand,
  insertCommand,
  makePendingDue,
  nextAttemptAt,
  requeueWithCode,
  settleAttempt,
  type OutboxCommand,
  type Settlement,
} from './store';

/** Commands the server keeps under their Idempotency-Key: a repeat gets the stored answer, nothing twice. */
const KEYED_ON_SERVER: ReadonlySet<OutboxKind> = new Set<OutboxKind>([
  'verdict',
  'hold',
  'lift_hold',
  'alert_assign',
  'alert_decision',
  'approve',
  'send_back',
  'reassign',
]);

/** Commands whose answer is the case detail, and those whose answer is `{case, escrow, verdict}`. */
const CASE_ANSWERS: ReadonlySet<OutboxKind> = new Set<OutboxKind>(['claim', 'hold', 'lift_hold', 'reassign']);
const VERDICT_ANSWERS: ReadonlySet<OutboxKind> = new Set<OutboxKind>(['verdict', 'approve', 'send_back']);

export interface OutboxDeps {
  platform: PlatformCalls;
  currentUser(): SignedInUser | null;
  backoff?: BackoffPolicy;
  random?: () => number;
  newId?: () => string;
}

export interface OutboxSender {
  /** Writes the command, then sends it; resolves with the command as it stands after that first attempt. */
  enqueue(user: SignedInUser, kind: OutboxKind, subject: CommandSubject, payload: unknown): Promise<OutboxEntry>;
  /** A command in `needs_code` (a verdict, hold lift, approval or send-back) goes again under its key with `payload` (its fresh code). */
  requeue(id: string, payload: unknown): Promise<OutboxEntry | null>;
  /** Sends every pending command of the signed-in user now: on start, after sign-in, when the server is back. */
  resume(): Promise<void>;
  /** Stops the retry timer and waits for the attempts in flight. */
  close(): Promise<void>;
}

export function createOutboxSender(ctx: DeskContext, deps: OutboxDeps): OutboxSender {
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const random = deps.random ?? Math.random;
  const newId = deps.newId ?? randomUUID;
  const nowIso = () => ctx.now().toISOString();
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  /** After a 401, the user whose session ended: nothing of theirs goes until they are back. */
  let waitingForSignIn: string | null = null;
  let draining: Promise<void> | null = null;
  let drainAgain = false;

  const changed = (command: OutboxCommand) => ctx.emit('outbox.changed', entryOf(command));

  function settle(command: OutboxCommand, settlement: Omit<Settlement, 'now'>): void {
    const settled = settleAttempt(ctx.own, command.id, { ...settlement, now: nowIso() });
    if (settled) changed(settled);
  }

  /**
   * A claim, a verdict and a hold answer with the case as it now is: it goes into the cache at once, so the
   * agent sees "Released" without waiting for the feed. Other answers (a message, a note) carry no case; the
   * change reaches the cache through sync, and 'cases.changed' tells the views to look again. An alert's
   * commands answer the alert, which the desk does not cache: 'alerts.changed' has the views read it again.
   */
  function applyAnswer(command: OutboxCommand, answer: unknown): void {
    if (command.alertId !== null) {
      ctx.emit('alerts.changed', { alertIds: [command.alertId] });
      return;
    }
    const detail = CASE_ANSWERS.has(command.kind)
      ? (answer as CaseDetail | null)
      : VERDICT_ANSWERS.has(command.kind)
        ? ((answer as VerdictResponse | null)?.case ?? null)
        : null;
    if (command.caseId === null) return;
    // IMMEDIATE: during a first sync the writer's thread may hold the cache's write lock, and a transaction
    // that reads before it writes would fail at once instead of waiting for its page (sync/writer.ts).
    if (detail?.id === command.caseId) ctx.db.transaction(() => applyCaseDetail(ctx.db, detail)).immediate();
    ctx.emit('cases.changed', { caseIds: [command.caseId] });
  }

  async function attempt(due: OutboxCommand): Promise<void> {
    const command = countAttempt(ctx.own, due.id, nowIso());
    if (!command) return;
    let payload: unknown;
    let request: PlatformRequest;
    try {
      payload = parsePayload(command.kind, command.payload);
      request = platformRequestOf(command.kind, command, payload);
    } catch {
      // Only a damaged row gets here (a verdict on disk without its code, a payload of another shape).
      const error = {
        code: 'unreadable_command',
        message: 'This command could not be read back from disk; give it again.',
      };
      settle(command, { state: 'failed', error, payload: finishedPayload(command.kind, null), nextAttemptAt: command.nextAttemptAt });
      return;
    }
    const facts = {
      command: command.id,
      kind: command.kind,
      caseId: command.caseId,
      alertId: command.alertId,
      attempt: command.attempts,
    };
    let answer: unknown;
    try {
      answer = await request(deps.platform, { 'Idempotency-Key': command.idempotencyKey }).catch(
        (thrown: unknown) => {
          // A success whose body does not fit the contract. A verdict goes again under its key (the server
          // answers a repeat with its stored answer): it counts as done only once an answer says so, since a
          // proxy's page would look the same. Holds and alert decisions are kept under their key too
          // (runOnce), so they go again as well. Other commands have no stored answer and sending one
          // again would repeat a message or a note: it counts as confirmed, and sync brings the case as it is.
          if (!(thrown instanceof MalformedAnswerError) || KEYED_ON_SERVER.has(command.kind)) throw thrown;
          ctx.log.warn('outbox: the server took the command but answered in an unexpected form', facts);
          return null;
        },
      );
    } catch (thrown) {
      const outcome = outcomeOfFailure(command.kind, callFailureOf(thrown));
      if (outcome.next === 'confirmed') return confirm(command, payload, facts, null);
      ctx.log.warn('outbox: attempt failed', { ...facts, outcome: outcome.next, code: outcome.error.code });
      if (outcome.next === 'wait_for_sign_in') waitingForSignIn = command.userId;
      const retryAt = new Date(
        ctx.now().getTime() + retryDelayMs(backoff, command.attempts, random),
      ).toISOString();
      const pending = outcome.next === 'retry' || outcome.next === 'wait_for_sign_in';
      settle(command, {
        state: pending ? 'pending' : outcome.next,
        error: outcome.error,
        // A pending verdict keeps its code for the retry: the same key must come with the same body. One
        // waiting for a code keeps the rest of its payload (it is unsent); one that failed for good keeps
        // no free text, in the same write that settles it.
        payload: pending
          ? payload
          : outcome.next === 'failed'
            ? finishedPayload(command.kind, payload)
            : withoutCode(command.kind, payload),
        nextAttemptAt: outcome.next === 'retry' ? retryAt : command.nextAttemptAt,
      });
      return;
    }
    confirm(command, payload, facts, answer);
  }

  /** The server took the command: it is done, and its answer (null once the server no longer keeps it) is cached. */
  function confirm(command: OutboxCommand, payload: unknown, facts: Record<string, unknown>, answer: unknown): void {
    ctx.log.info('outbox: confirmed', facts);
    settle(command, {
      state: 'confirmed',
      error: null,
      // Done: its text is on the server now, and goes from this desk in the same write (commands.ts).
      payload: finishedPayload(command.kind, payload),
      nextAttemptAt: command.nextAttemptAt,
    });
    try {
      applyAnswer(command, answer);
    } catch (error) {
      // The server took the command whatever the cache makes of its answer; sync brings the case anyway.
      ctx.log.error('outbox: the answer could not be put in the cache', {
        ...facts,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async function sendDue(): Promise<void> {
    for (;;) {
      const user = deps.currentUser();
      if (closed || !user || waitingForSignIn === user.id) return;
      const due = dueCommands(ctx.own, user.id, nowIso());
      if (due.length === 0) return;
      await Promise.all(due.map(attempt));
    }
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const user = deps.currentUser();
    if (closed || !user || waitingForSignIn === user.id) return;
    const at = nextAttemptAt(ctx.own, user.id);
    if (at === null) return;
    timer = setTimeout(() => void drain(), Math.max(0, Date.parse(at) - ctx.now().getTime()));
    // A retry timer must not keep a finished process (a test, a CLI) alive.
    timer.unref();
  }

  /** One sender at a time; a call while it runs makes it look again before it stops. */
  function drain(): Promise<void> {
    if (draining) {
      drainAgain = true;
      return draining;
    }
    draining = (async () => {
      try {
        do {
          drainAgain = false;
          await sendDue();
        } while (drainAgain && !closed);
      } catch (error) {
        ctx.log.error('outbox: sending stopped', {
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        draining = null;
        schedule();
      }
    })();
    return draining;
  }

  async function current(id: string): Promise<OutboxEntry | null> {
    await drain();
    const command = findCommand(ctx.own, id);
    return command ? entryOf(command) : null;
  }

  return {
    async enqueue(user, kind, subject, payload) {
      // The user is acting, so they are signed in: whatever waited for that may go too.
      if (waitingForSignIn === user.id) waitingForSignIn = null;
      const command = insertCommand(ctx.own, {
        id: newId(),
        userId: user.id,
        kind,
        caseId: subject.caseId,
        alertId: subject.alertId,
        idempotencyKey: newId(),
        payload,
        at: nowIso(),
      });
      changed(command);
      return (await current(command.id)) ?? entryOf(command);
    },
    async requeue(id, payload) {
      const command = requeueWithCode(ctx.own, id, payload, nowIso());
      if (!command) return null;
      if (waitingForSignIn === command.userId) waitingForSignIn = null;
      changed(command);
      return current(id);
    },
    async resume() {
      waitingForSignIn = null;
      const user = deps.currentUser();
      if (closed || !user) return;
      makePendingDue(ctx.own, user.id, nowIso());
      await drain();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await draining;
    },
  };
}
