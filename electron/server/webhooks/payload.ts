// The MetaMap webhook payloads the server accepts (DESIGN §3), checked at the trust boundary. Objects are
// loose: MetaMap adds fields over time, and only the ones named here are read.
import { z } from 'zod';
import { showBidiControls } from '../../../shared/api/text';

const verificationId = /^[A-Za-z0-9_-]{1,128}$/;

/** `resource` is the verification's API URL; its last path segment is the verification id. */
const resource = z
  .string()
  .max(2048)
  .transform((value, context) => {
    let segments: string[] = [];
    try {
      segments = new URL(value).pathname.split('/').filter(Boolean);
    } catch {
      // Falls through to the issue below.
    }
    const id = segments.at(-1);
    if (id && verificationId.test(id)) return id;
    context.addIssue({ code: 'custom', message: 'a verification URL ending in its id' });
    return z.NEVER;
  });

const metadata = z
  .looseObject({
    partyId: z.string().min(1).max(64).optional(),
    caseId: z.string().min(1).max(64).nullable().optional(),
    /** The exchange's trade, when the exchange started the verification for one (before any dispute). */
    tradeId: z.string().min(1).max(64).nullable().optional(),
  })
  .nullable()
  .optional();

/**
 * When the event happened at MetaMap (ISO 8601, `2025-09-24T14:44:34.214Z`), normalised to UTC with
 * milliseconds so that stored times compare as strings. Required: it orders the events and bounds replays
 * (MetaMap signs only the body, so there is no signed header time).
 */
const occurredAt = z.iso
  .datetime({ offset: true })
  .max(64)
  .transform((value) => new Date(value).toISOString());

const common = {
  resource,
  flowId: z.string().max(128).optional(),
  timestamp: occurredAt,
  metadata,
};

// The error code is text from outside that the desk shows (the identity panel, the Proof of Life history):
// its bidi controls are shown as markers, as for the exchange's text (shared/api/text.ts).
const stepError = z.looseObject({
  type: z.string().max(128).optional(),
  code: z.string().min(1).max(128).transform(showBidiControls),
  message: z.string().max(2000).optional(),
});

export const stepCompletedEvent = z.looseObject({
  eventName: z.literal('step_completed'),
  ...common,
  step: z.looseObject({
    id: z.string().min(1).max(64),
    status: z.number().int().optional(),
    data: z.record(z.string(), z.unknown()).nullable().optional(),
    error: stepError.nullable().optional(),
  }),
});

export const verificationCompletedEvent = z.looseObject({
  eventName: z.literal('verification_completed'),
  ...common,
  identityStatus: z.enum(['verified', 'reviewNeeded', 'rejected']),
});

export const metamapEvent = z.discriminatedUnion('eventName', [
  stepCompletedEvent,
  verificationCompletedEvent,
]);
export type MetamapEvent = z.infer<typeof metamapEvent>;
/** An event as a sender writes it (`resource` a URL, `timestamp` an ISO string): for tests and the simulator. */
export type MetamapEventBody = z.input<typeof metamapEvent>;

/** The `resource` MetaMap sends for a verification: its API URL, ending in its id. */
export const verificationResource = (verificationId: string) =>
  `https://api.getmati.com/v2/verifications/${verificationId}`;
export type StepCompletedEvent = z.infer<typeof stepCompletedEvent>;

export const HANDLED_EVENTS: ReadonlySet<string> = new Set(['step_completed', 'verification_completed']);

/** Only the event name, to tell events we handle from the ones we accept and ignore. */
export const eventEnvelope = z.looseObject({ eventName: z.string() });
