// Every error code a client can meet, in one list: the platform API's (DESIGN §2 and §9) and the desk
// service's own. The server builds its errors from API_ERRORS, the desk's outbox decides retry/final
// from the same codes, and the renderer words them: a code missing here is a type error everywhere.

/** Platform API error codes with their HTTP status. invalid_totp and totp_replayed are 401 at sign-in
 *  and 403 on a step-up (the session is fine there); the status here is the sign-in one. */
export const API_ERRORS = {
  invalid_request: 400,
  unknown_event_type: 400,
  idempotency_key_required: 400,
  stale_event: 400,
  invalid_credentials: 401,
  invalid_login_token: 401,
  invalid_invitation: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  invalid_totp: 401,
  totp_replayed: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_case_holder: 403,
  reviewer_involved: 403,
  enrolment_required: 403,
  not_for_own_account: 403,
  issuer_may_not_approve: 403,
  not_found: 404,
  unknown_trade: 404,
  already_assigned: 409,
  case_already_resolved: 409,
  case_claimed: 409,
  case_not_in_review: 409,
  case_not_decided: 409,
  audit_chain_broken: 409,
  escrow_not_on_hold: 409,
  escrow_on_hold: 409,
  escrow_frozen: 409,
  escrow_already_settled: 409,
  trade_already_settled: 409,
  trade_conflict: 409,
  verification_conflict: 409,
  alert_already_decided: 409,
  review_already_done: 409,
  username_taken: 409,
  user_already_disabled: 409,
  user_not_disabled: 409,
  last_supervisor: 409,
  idempotency_key_in_flight: 409,
  already_applied: 409,
  no_proposed_verdict: 409,
  delivery_not_failed: 409,
  verdict_pending_approval: 409,
  must_refetch: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  locked_out: 429,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  webhooks_not_configured: 503,
  platform_events_not_configured: 503,
  storage_full: 503,
  storage_unavailable: 503,
  sign_in_busy: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export const API_ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

/** Codes the desk service (and the bridges to it) add for what happens on this side of the wire. */
export const DESK_ONLY_ERROR_CODES = [
  'offline',
  'timeout',
  'signed_out',
  'already_signed_in',
  'sign_in_first',
  'invalid_enrollment',
  'not_waiting_for_code',
  'malformed_answer',
  'malformed_case',
  'malformed_sync_page',
  'sync_failed',
  'stream_idle',
  'evidence_unavailable',
  'evidence_too_large',
  'evidence_mismatch',
  'verdict_in_outbox',
  'hold_in_outbox',
  'fingerprint_mismatch',
  'no_key_change',
  'unreadable_command',
  'unknown_channel',
  'server_change_refused',
  // Electron: a server-change dialog is open already, or the last one was cancelled moments ago.
  'server_change_busy',
  // The first-run check of an organisation's server (GET /v1/health, electron/desk/server-health.ts).
  'server_url_refused',
  'server_unreachable',
  'server_not_dispute_desk',
  'server_timeout',
  'server_change_needed',
  'untrusted_sender',
  'desk_unavailable',
  'desk_restarted',
  'bridge_closed',
  'not_available',
  'no_desk',
  'closed',
  'internal',
  'unknown',
] as const;

export type DeskOnlyErrorCode = (typeof DESK_ONLY_ERROR_CODES)[number];

/** A server answer without the envelope, or with a code this desk does not know, named by its status. */
export type HttpStatusErrorCode = `http_${number}`;

/** Any code a desk call can fail with. */
export type ErrorCode = ApiErrorCode | DeskOnlyErrorCode | HttpStatusErrorCode;

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return Object.hasOwn(API_ERRORS, code);
}
