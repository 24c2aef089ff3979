// Which error codes each screen words in its own text. The codes come from the one list in
// shared/api/errors.ts (ErrorCode), so a text can only be written for a code the server or the desk really
// sends. Every other code shows the desk's own message through the screen's `errors.unknown` text: the
// explicit fallback (tests/unit/error-codes.test.ts checks both).
import type { ErrorCode } from '../../../shared/api/errors';

/** Codes the case workspace explains (features/case/locales.ts, `errors.<code>`). */
export const CASE_ERROR_CODES = [
  'case_already_resolved',
  'not_case_holder',
  'escrow_on_hold',
  'case_claimed',
  'verdict_pending_approval',
  'case_not_in_review',
  'invalid_totp',
  'totp_replayed',
  'storage_full',
  'storage_unavailable',
  'verdict_in_outbox',
  'case_not_decided',
  'audit_chain_broken',
  'forbidden',
  'offline',
  'unauthenticated',
  'signed_out',
  'desk_restarted',
  'desk_unavailable',
] as const satisfies readonly ErrorCode[];

/** Codes the compliance workspace explains (features/compliance/locales.ts, `errors.<code>`). */
export const COMPLIANCE_ERROR_CODES = [
  'alert_already_decided',
  'escrow_on_hold',
  'escrow_not_on_hold',
  'case_already_resolved',
  'hold_in_outbox',
  'invalid_totp',
  'totp_replayed',
  'storage_full',
  'storage_unavailable',
  'forbidden',
  'not_found',
  'offline',
  'unauthenticated',
  'signed_out',
] as const satisfies readonly ErrorCode[];

/** Codes the audit chain status explains (features/audit/locales.ts, `errors.<code>`). */
export const AUDIT_ERROR_CODES = [
  'fingerprint_mismatch',
  'no_key_change',
  'invalid_request',
  'forbidden',
  'offline',
  'signed_out',
] as const satisfies readonly ErrorCode[];

/** Codes the supervision workspace explains (features/supervision/locales.ts, `errors.<code>`). */
export const SUPERVISION_ERROR_CODES = [
  'review_already_done',
  'delivery_not_failed',
  'reviewer_involved',
  'forbidden',
  'not_found',
  'offline',
  'unauthenticated',
  'signed_out',
] as const satisfies readonly ErrorCode[];

/** Codes the People screen explains (features/people/locales.ts, `errors.<code>`). */
export const PEOPLE_ERROR_CODES = [
  'username_taken',
  'not_for_own_account',
  'user_already_disabled',
  'user_not_disabled',
  'last_supervisor',
  'invalid_totp',
  'totp_replayed',
  'too_many_attempts',
  'invalid_request',
  'forbidden',
  'not_found',
  'offline',
  'unauthenticated',
  'signed_out',
] as const satisfies readonly ErrorCode[];

/** Codes the supervisor's four-eyes actions explain (features/approval/locales.ts, `errors.<code>`). */
export const APPROVAL_ERROR_CODES = [
  'case_already_resolved',
  'no_proposed_verdict',
  'issuer_may_not_approve',
  'escrow_on_hold',
  'already_assigned',
  'verdict_in_outbox',
  'invalid_totp',
  'totp_replayed',
  'storage_full',
  'storage_unavailable',
  'too_many_attempts',
  'forbidden',
  'not_found',
  'offline',
  'unauthenticated',
  'signed_out',
] as const satisfies readonly ErrorCode[];

/** Codes the sign-in screen explains (features/signin/locales.ts, `errors.<code>`). */
export const SIGN_IN_ERROR_CODES = [
  'invalid_credentials',
  'enrolment_required',
  'invalid_invitation',
  'locked_out',
  'sign_in_busy',
  'invalid_totp',
  'totp_replayed',
  'invalid_login_token',
  'sign_in_first',
  'already_signed_in',
  'offline',
  'timeout',
  'invalid_request',
  'too_many_attempts',
  'desk_restarted',
  'desk_unavailable',
] as const satisfies readonly ErrorCode[];

/** Codes the first-run choice explains (features/firstrun/locales.ts, `errors.<code>`). */
export const FIRST_RUN_ERROR_CODES = [
  'server_url_refused',
  'server_unreachable',
  'server_not_dispute_desk',
  'server_timeout',
  'server_change_refused',
  'server_change_busy',
  'invalid_request',
  'desk_unavailable',
] as const satisfies readonly ErrorCode[];

/** The `errors.*` texts of a screen: one per code it explains, and `unknown`, which shows {{message}}. */
export type ErrorTexts<Codes extends readonly ErrorCode[]> = Record<Codes[number] | 'unknown', string>;

/** The key under `errors.` for a code: its own text when the screen has one, the fallback otherwise. */
export function errorTextKey<Codes extends readonly ErrorCode[]>(worded: Codes, code: ErrorCode): Codes[number] | 'unknown' {
  return (worded as readonly ErrorCode[]).includes(code) ? (code as Codes[number]) : 'unknown';
}
