// The commands the outbox carries: what each stores as its payload and the platform call it becomes.
//
// The verdict's TOTP code sits in its payload only while the verdict is pending, because a retry after a
// lost response must send the very same body (the server answers a repeated key with its stored response
// only when the body matches). Once the server has answered for good, or refused the code, the code is
// useless and is wiped from the row (see `withoutCode`): a used code is single use anyway, and no code
// outlives its command on disk. The code is never logged.
import { z } from 'zod';
import { REASON_CODES, VERDICT_OUTCOMES } from '../../../shared/domain/dispute';
import type { OutboxKind } from '../../../shared/desk-api/schemas';

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
} satisfies Record<OutboxKind, z.ZodType>;

export type CommandPayload<K extends OutboxKind> = z.infer<(typeof commandPayloads)[K]>;
export type VerdictPayload = CommandPayload<'verdict'>;

/** A payload as read back from disk: checked like any other input, since the file may be old or damaged. */
export function parsePayload<K extends OutboxKind>(kind: K, json: string): CommandPayload<K> {
  return commandPayloads[kind].parse(JSON.parse(json)) as CommandPayload<K>;
}

export interface PlatformRequest {
  path: string;
  body: unknown;
}

const casePath = (caseId: string, action: string) => `/v1/cases/${encodeURIComponent(caseId)}/${action}`;

/** The platform call for a command (DESIGN §2). A verdict without a code is not sendable: it needs one. */
export function platformRequestOf(kind: OutboxKind, caseId: string, payload: unknown): PlatformRequest {
  switch (kind) {
    case 'claim':
      return { path: casePath(caseId, 'claim'), body: {} };
    case 'message':
      return { path: casePath(caseId, 'messages'), body: commandPayloads.message.parse(payload) };
    case 'note':
      return { path: casePath(caseId, 'notes'), body: commandPayloads.note.parse(payload) };
    case 'liveness_request':
      return {
        path: casePath(caseId, 'liveness-requests'),
        body: commandPayloads.liveness_request.parse(payload),
      };
    case 'verdict': {
      const verdict = commandPayloads.verdict.parse(payload);
      if (verdict.totp === null)
        throw new Error('platformRequestOf: a verdict without a code cannot be sent');
      return { path: casePath(caseId, 'verdict'), body: verdict };
    }
  }
}

/** The payload as it may stay on disk once the command no longer needs its code. */
export function withoutCode(kind: OutboxKind, payload: unknown): unknown {
  if (kind !== 'verdict') return payload;
  return { ...commandPayloads.verdict.parse(payload), totp: null };
}
