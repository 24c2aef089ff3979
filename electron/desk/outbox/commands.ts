// The commands the outbox carries: what each stores as its payload and the platform call it becomes.
//
// The verdict's (and the hold lift's, the approval's and the send-back's) TOTP code sits in its payload only while the command is pending, because a retry after a
// lost response must send the very same body (the server answers a repeated key with its stored response
// only when the body matches). Once the server has answered for good, or refused the code, the code is
// useless and is wiped from the row (see `withoutCode`): a used code is single use anyway, and no code
// outlives its command on disk. The code is never logged.
//
// A finished command (confirmed, or failed for good) keeps none of its free text either: the note's body,
// the message, the verdict's rationale and every reason are personal data the server holds, and the desk
// shows a finished command only by its kind, subject, state, times and error (store.ts, entryOf). What
// stays is the choice made, from closed lists (a verdict's outcome and reason code, an alert's decision),
// see `finishedPayload`.
import { z } from 'zod';
import { ROUTES } from '../../../shared/api/routes';
import { KYT_DECISIONS, REASON_CODES, VERDICT_OUTCOMES } from '../../../shared/domain/dispute';
import { STEP_UP_KINDS, type OutboxKind } from '../../../shared/desk-api/schemas';
import type { PlatformCalls } from './platform';

const totp = z.string().regex(/^\d{6}$/);

export const commandPayloads = {
  claim: z.strictObject({}),
  message: z.strictObject({ body: z.string().min(1) }),
  note: z.strictObject({ body: z.string().min(1) }),
  liveness_request: z.strictObject({ partyId: z.string().min(1) }),
  verdict: z.strictObject({
    outcome: z.enum(VERDICT_OUTCOMES),
    reasonCode: z.enum(REASON_CODES),
    rationale: z.string().min(1),
    totp: totp.nullable(),
  }),
  hold: z.strictObject({ reason: z.string().min(1) }),
  lift_hold: z.strictObject({ reason: z.string().min(1), totp: totp.nullable() }),
  alert_assign: z.strictObject({}),
  alert_decision: z.strictObject({
    decision: z.enum(KYT_DECISIONS),
    reason: z.string().min(1),
    narrative: z.string().min(1).optional(),
  }),
  approve: z.strictObject({ totp: totp.nullable() }),
  send_back: z.strictObject({ reason: z.string().min(1), totp: totp.nullable() }),
  reassign: z.strictObject({ assigneeId: z.string().min(1), reason: z.string().min(1) }),
} satisfies Record<OutboxKind, z.ZodType>;

/** What a command acts on: a case, or a KYT alert (which may have no case). */
export interface CommandSubject {
  caseId: string | null;
  alertId: string | null;
}

export type CommandPayload<K extends OutboxKind> = z.infer<(typeof commandPayloads)[K]>;

/** A payload as read back from disk: checked like any other input, since the file may be old or damaged. */
export function parsePayload<K extends OutboxKind>(kind: K, json: string): CommandPayload<K> {
  return commandPayloads[kind].parse(JSON.parse(json)) as CommandPayload<K>;
}

/** A command's platform call, ready to send: the answer comes back checked against the route's schema. */
export type PlatformRequest = (platform: PlatformCalls, headers: Record<string, string>) => Promise<unknown>;

function subjectId(id: string | null, kind: OutboxKind): string {
  if (id === null) throw new Error(`platformRequestOf: a ${kind} command without its subject`);
  return id;
}

/** The step-up code of a command that needs one; a command on disk without it cannot be sent. */
function codeOf(totp: string | null, kind: OutboxKind): string {
  if (totp === null) throw new Error(`platformRequestOf: a ${kind} command without a code cannot be sent`);
  return totp;
}

/**
 * The platform call for a command (DESIGN §2). The payload is read here, before anything is sent, so a
 * damaged one throws now. A verdict, a hold lift, an approval or a send-back without a code is not
 * sendable: it needs one.
 */
export function platformRequestOf(kind: OutboxKind, subject: CommandSubject, payload: unknown): PlatformRequest {
  if (kind === 'alert_assign' || kind === 'alert_decision') {
    const params = { id: subjectId(subject.alertId, kind) };
    if (kind === 'alert_assign')
      return (platform, headers) => platform.call(ROUTES.assignKytAlert, { params, body: {}, headers });
    const body = commandPayloads.alert_decision.parse(payload);
    return (platform, headers) => platform.call(ROUTES.decideKytAlert, { params, body, headers });
  }
  const params = { id: subjectId(subject.caseId, kind) };
  switch (kind) {
    case 'claim':
      return (platform, headers) => platform.call(ROUTES.claimCase, { params, body: {}, headers });
    case 'message': {
      const body = commandPayloads.message.parse(payload);
      return (platform, headers) => platform.call(ROUTES.postMessage, { params, body, headers });
    }
    case 'note': {
      const body = commandPayloads.note.parse(payload);
      return (platform, headers) => platform.call(ROUTES.addNote, { params, body, headers });
    }
    case 'liveness_request': {
      const body = commandPayloads.liveness_request.parse(payload);
      return (platform, headers) => platform.call(ROUTES.requestLiveness, { params, body, headers });
    }
    case 'verdict': {
      const { totp, ...verdict } = commandPayloads.verdict.parse(payload);
      if (totp === null) throw new Error('platformRequestOf: a verdict without a code cannot be sent');
      const body = { ...verdict, totp };
      return (platform, headers) => platform.call(ROUTES.verdict, { params, body, headers });
    }
    case 'hold': {
      const body = commandPayloads.hold.parse(payload);
      return (platform, headers) => platform.call(ROUTES.placeHold, { params, body, headers });
    }
    case 'lift_hold': {
      const { totp, reason } = commandPayloads.lift_hold.parse(payload);
      if (totp === null) throw new Error('platformRequestOf: a hold lift without a code cannot be sent');
      const body = { reason, totp };
      return (platform, headers) => platform.call(ROUTES.liftHold, { params, body, headers });
    }
    case 'approve': {
      const body = { totp: codeOf(commandPayloads.approve.parse(payload).totp, kind) };
      return (platform, headers) => platform.call(ROUTES.approveVerdict, { params, body, headers });
    }
    case 'send_back': {
      const { reason, totp } = commandPayloads.send_back.parse(payload);
      const body = { reason, totp: codeOf(totp, kind) };
      return (platform, headers) => platform.call(ROUTES.rejectVerdict, { params, body, headers });
    }
    case 'reassign': {
      const body = commandPayloads.reassign.parse(payload);
      return (platform, headers) => platform.call(ROUTES.reassignCase, { params, body, headers });
    }
  }
}

export const isStepUpKind = (kind: OutboxKind): kind is (typeof STEP_UP_KINDS)[number] =>
  (STEP_UP_KINDS as readonly OutboxKind[]).includes(kind);

/** The payload as it may stay on disk once the command no longer needs its code. */
export function withoutCode(kind: OutboxKind, payload: unknown): unknown {
  if (!isStepUpKind(kind)) return payload;
  return { ...commandPayloads[kind].parse(payload), totp: null };
}

/** The fields of a closed list each kind may keep once finished; every other field is free text or an id. */
const CHOICES_KEPT: Partial<Record<OutboxKind, readonly string[]>> = {
  verdict: ['outcome', 'reasonCode'],
  alert_decision: ['decision'],
};

/**
 * The payload as it stays on disk once the command is finished (confirmed or failed for good): only the
 * choices it made. Never read back as a command (nothing sends a finished one), so it need not parse.
 */
export function finishedPayload(kind: OutboxKind, payload: unknown): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (typeof payload !== 'object' || payload === null) return kept;
  for (const field of CHOICES_KEPT[kind] ?? []) {
    const value = (payload as Record<string, unknown>)[field];
    if (typeof value === 'string') kept[field] = value;
  }
  return kept;
}
