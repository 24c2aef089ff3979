// Request bodies of the platform API v1, validated with zod at the server's boundary (DESIGN §2).
import { z } from 'zod';
import { KYT_DECISIONS, REASON_CODES, ROLES, VERDICT_OUTCOMES } from '../domain/dispute';
import { withoutBidiControls } from './text';

/**
 * Free text a user types: trimmed, 1 to `max` characters, no directional controls (./text.ts). zod counts
 * characters as code points, each at most 4 bytes of UTF-8: the character cap bounds the bytes too (a
 * 4,000-character note is at most 16,000 bytes), so there is no second cap on bytes.
 */
const text = (max: number) => withoutBidiControls(z.string().trim().min(1).max(max));
const totpCode = z.string().regex(/^\d{6}$/, 'a 6-digit code');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
/** Text a person must give, with messages that say what is missing rather than zod's generic ones. */
const required = (max: number, what: string) =>
  withoutBidiControls(
    z
      .string({ error: `Give ${what}.` })
      .trim()
      .min(1, `Give ${what}.`)
      .max(max, `At most ${max} characters.`),
  );

export const loginBody = z.strictObject({ username: text(64), password: z.string().min(1).max(256) });
export const totpBody = z.strictObject({
  loginToken: z.string().min(1).max(256),
  // A backup code is also accepted here (xxxx-xxxx), so the format is checked by the verifier.
  code: z.string().trim().min(6).max(32),
});

/** An invitation token: what newOpaqueToken makes (256 bits, base64url); the demo's is of the same alphabet. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{22,128}$/;
export const MIN_PASSWORD_LENGTH = 12;
export const invitationBody = z.strictObject({
  token: z.string().trim().regex(INVITATION_TOKEN, 'an invitation code'),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`)
    .max(256, 'At most 256 characters.'),
});

// Control and format characters (bidi overrides among them) could make a name read as another in a list.
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;
export const USERNAME = /^[a-z][a-z0-9._-]{1,31}$/;
export const createAccountBody = z.strictObject({
  username: z.string().trim().regex(USERNAME, '2 to 32 lowercase letters, digits, dots, dashes or underscores'),
  displayName: required(100, 'a display name').refine((name) => !CONTROL_OR_FORMAT.test(name), {
    message: 'No control or formatting characters.',
  }),
  role: z.enum(ROLES),
  totp: totpCode,
});
/** Disable, enable, 2FA reset and new backup codes: only the actor's fresh code. */
export const stepUpBody = z.strictObject({ totp: totpCode });
export const messageBody = z.strictObject({ body: text(4000), evidence: z.array(sha256).max(10).optional() });
export const noteBody = z.strictObject({ body: text(4000) });
export const livenessRequestBody = z.strictObject({ partyId: text(64) });
export const verdictBody = z.strictObject({
  outcome: z.enum(VERDICT_OUTCOMES),
  reasonCode: z.enum(REASON_CODES),
  rationale: text(4000),
  totp: totpCode,
});
export const approveBody = z.strictObject({ totp: totpCode });
export const rejectBody = z.strictObject({ reason: required(2000, 'the reason for sending it back'), totp: totpCode });
export const reassignBody = z.strictObject({
  assigneeId: required(64, 'the id of the agent who is to hold the case'),
  reason: required(2000, 'the reason for the reassignment'),
});
export const holdBody = z.strictObject({ reason: text(2000) });
/** Lifting a hold unblocks money: it carries a fresh code of the reviewer, as a verdict does. */
export const liftHoldBody = z.strictObject({ reason: text(2000), totp: totpCode });
/**
 * `narrative`: the reviewer's account for the suspicious activity report, only with `report` (DESIGN §2's
 * body has no narrative, so a report without one takes the reason as its narrative; the app always asks).
 */
export const kytDecisionBody = z
  .strictObject({
    decision: z.enum(KYT_DECISIONS),
    reason: text(2000),
    narrative: text(20_000).optional(),
  })
  .refine((body) => body.decision === 'report' || body.narrative === undefined, {
    message: 'Only a report takes a narrative.',
    path: ['narrative'],
  });
/** Assigning takes no input: the alert goes to the caller. */
export const assignBody = z.strictObject({}, { error: 'Assigning takes no body (or an empty JSON object).' });

// The IETF draft leaves the key's form to the client (a UUID is typical) and sends it as a structured-field
// string, quotes included: any 1 to 255 printable ASCII characters, with or without the quotes.
export const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;
export const MAX_PAGE_SIZE = 500;

/** A claim carries no input: no body at all (read as `{}`), or an empty JSON object. */
export const claimBody = z.strictObject({}, { error: 'A claim takes no body (or an empty JSON object).' });

/** POST /v1/platform/deliveries/{id}/retry: nothing to say (an empty JSON object). */
export const retryDeliveryBody = z.strictObject({}, { error: 'A retry takes an empty JSON object.' });

/**
 * POST /v1/reviews/{id}: a supervisor's scorecard of one sampled verdict. A "no" to any question needs a
 * comment: the agent learns from why, not from the score.
 */
export const reviewBody = z
  .strictObject({
    evidenceSufficient: z.boolean(),
    reasonCodeRight: z.boolean(),
    rationaleClear: z.boolean(),
    payoutRight: z.boolean(),
    comment: text(2000).optional(),
  })
  .refine(
    (review) =>
      review.comment !== undefined ||
      (review.evidenceSufficient && review.reasonCodeRight && review.rationaleClear && review.payoutRight),
    { message: 'say why in a comment when an answer is no', path: ['comment'] },
  );
