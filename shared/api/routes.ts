// The route contract of the platform API v1 (DESIGN §2 and §4): every call declared once, with its method,
// path, who may make it, the schemas of its body, query and answer, its success status and the error
// codes it can answer. The server registers its routes from these entries (electron/server/http/route.ts)
// and the desk's client calls them (electron/desk/api-client.ts), so the two cannot drift apart.
import type { z } from 'zod';
import type { Role } from '../domain/dispute';
import type { ApiErrorCode } from './errors';
import { platformEventOutcome } from './platform-events';
import {
  auditQuery,
  caseListQuery,
  checkpointsQuery,
  deliveryListQuery,
  dossierQuery,
  kytAlertListQuery,
  reportQuery,
  reviewWeekQuery,
  syncQuery,
  userListQuery,
  verdictFiguresQuery,
  verdictListQuery,
} from './queries';
import {
  approveBody,
  assignBody,
  claimBody,
  holdBody,
  kytDecisionBody,
  liftHoldBody,
  livenessRequestBody,
  createAccountBody,
  invitationBody,
  loginBody,
  messageBody,
  noteBody,
  reassignBody,
  rejectBody,
  retryDeliveryBody,
  reviewBody,
  stepUpBody,
  totpBody,
  verdictBody,
} from './requests';
import {
  account,
  accountList,
  backupCodeSet,
  invitationResult,
  invitedAccount,
  auditPage,
  checkpoint,
  checkpointList,
  delivery,
  deliveryLog,
  auditVerificationReport,
  caseDetail,
  casePage,
  health,
  kytAlert,
  kytAlertDetail,
  kytAlertPage,
  kytRuleSet,
  livenessCheck,
  loginResult,
  me,
  message,
  noBody,
  note,
  report,
  reviewItem,
  reviewWeek,
  signedDossier,
  signInResult,
  syncPage,
  verdictFigures,
  verdictPage,
  userList,
  verdictResponse,
  webhookOutcome,
} from './responses';

/**
 * Sent as `X-Background-Request: 1` on a GET, the request does not count as activity either, like a route
 * declared `background`: a read the client makes on its own (a desk re-reading what another person
 * changed while its user is away). Ignored on any other method: a write is always the person's.
 */
export const BACKGROUND_REQUEST_HEADER = 'x-background-request';

/**
 * Who may call: anyone (`public`), the signer of a webhook (`webhook`: the signature is the credential),
 * any signed-in user (`signed_in`), or the listed roles only.
 */
export type RouteAccess = 'public' | 'webhook' | 'signed_in' | readonly Role[];

export interface RouteSpec {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify style: `/v1/cases/:id`. */
  path: string;
  access: RouteAccess;
  /** Checked before the handler runs; absent when the call takes no body (or, for webhooks, reads its own). */
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success answer; `noBody` for a 204 or a byte stream. */
  response: z.ZodType;
  status: 200 | 201 | 204;
  /**
   * The `Idempotency-Key` header: `true` required (verdicts), `'optional'` honoured when sent (the desk's
   * outbox always sends one; DESIGN §2 defines these calls without it), `false` ignored.
   */
  idempotencyKey: boolean | 'optional';
  /**
   * A read a client makes on its own, not for a person at the keyboard (the sync feed and its event stream,
   * which a desk left open keeps calling): it does not count as activity, so it never slides the session's
   * idle timeout. It is still refused once the session is idle.
   */
  background?: true;
  /** What this call can answer besides success, on top of the codes every call can answer. */
  errors: readonly ApiErrorCode[];
}

/**
 * Codes any call can answer (DESIGN §2, "on every call"), and the server's storage failing under a write
 * (503, nothing stored: the same request may be sent again).
 */
export const EVERY_CALL_ERRORS = [
  'invalid_request',
  'payload_too_large',
  'not_found',
  'rate_limited',
  'internal_error',
  'storage_full',
  'storage_unavailable',
] as const satisfies readonly ApiErrorCode[];

const SIGNED_IN_ERRORS = ['unauthenticated'] as const satisfies readonly ApiErrorCode[];
const ROLE_ERRORS = ['unauthenticated', 'forbidden'] as const satisfies readonly ApiErrorCode[];
const STEP_UP_ERRORS = [
  'invalid_totp',
  'totp_replayed',
  'too_many_attempts',
] as const satisfies readonly ApiErrorCode[];

const AGENT = ['agent'] as const;
const COMPLIANCE = ['compliance'] as const;
const SUPERVISOR = ['supervisor'] as const;
const COMPLIANCE_AND_SUPERVISOR = ['compliance', 'supervisor'] as const;
const OPTIONAL_KEY_ERRORS = [
  'idempotency_key_reused',
  'idempotency_key_in_flight',
  'already_applied',
] as const satisfies readonly ApiErrorCode[];

const route = <const R extends RouteSpec>(spec: R): R => spec;

export const ROUTES = {
  health: route({
    method: 'GET',
    path: '/v1/health',
    access: 'public',
    response: health,
    status: 200,
    idempotencyKey: false,
    errors: [],
  }),
  login: route({
    method: 'POST',
    path: '/v1/auth/login',
    access: 'public',
    body: loginBody,
    response: loginResult,
    status: 200,
    idempotencyKey: false,
    errors: ['invalid_credentials', 'enrolment_required', 'locked_out', 'sign_in_busy'],
  }),
  totp: route({
    method: 'POST',
    path: '/v1/auth/totp',
    access: 'public',
    body: totpBody,
    response: signInResult,
    status: 200,
    idempotencyKey: false,
    errors: ['invalid_login_token', 'invalid_totp', 'totp_replayed', 'locked_out'],
  }),
  /** Enrolment by invitation: sets the password and shows a fresh secret; the code step is /v1/auth/totp. */
  redeemInvitation: route({
    method: 'POST',
    path: '/v1/auth/invitation',
    access: 'public',
    body: invitationBody,
    response: invitationResult,
    status: 200,
    idempotencyKey: false,
    errors: ['invalid_invitation', 'sign_in_busy'],
  }),
  logout: route({
    method: 'POST',
    path: '/v1/auth/logout',
    access: 'signed_in',
    response: noBody,
    status: 204,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  me: route({
    method: 'GET',
    path: '/v1/me',
    access: 'signed_in',
    response: me,
    status: 200,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  listCases: route({
    method: 'GET',
    path: '/v1/cases',
    access: 'signed_in',
    query: caseListQuery,
    response: casePage,
    status: 200,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  getCase: route({
    method: 'GET',
    path: '/v1/cases/:id',
    access: 'signed_in',
    response: caseDetail,
    status: 200,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  claimCase: route({
    method: 'POST',
    path: '/v1/cases/:id/claim',
    access: AGENT,
    body: claimBody,
    response: caseDetail,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, 'case_claimed', 'case_already_resolved'],
  }),
  postMessage: route({
    method: 'POST',
    path: '/v1/cases/:id/messages',
    access: AGENT,
    body: messageBody,
    response: message,
    status: 201,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, 'not_case_holder', 'case_already_resolved'],
  }),
  addNote: route({
    method: 'POST',
    path: '/v1/cases/:id/notes',
    access: 'signed_in',
    body: noteBody,
    response: note,
    status: 201,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  requestLiveness: route({
    method: 'POST',
    path: '/v1/cases/:id/liveness-requests',
    access: AGENT,
    body: livenessRequestBody,
    response: livenessCheck,
    status: 201,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, 'not_case_holder', 'case_already_resolved'],
  }),
  verdict: route({
    method: 'POST',
    path: '/v1/cases/:id/verdict',
    access: AGENT,
    body: verdictBody,
    response: verdictResponse,
    status: 200,
    idempotencyKey: true,
    errors: [
      ...ROLE_ERRORS,
      'idempotency_key_required',
      'idempotency_key_reused',
      'idempotency_key_in_flight',
      'already_applied',
      'not_case_holder',
      ...STEP_UP_ERRORS,
      'case_already_resolved',
      'verdict_pending_approval',
      'case_not_in_review',
      'escrow_on_hold',
    ],
  }),
  approveVerdict: route({
    method: 'POST',
    path: '/v1/cases/:id/verdict/approve',
    access: SUPERVISOR,
    body: approveBody,
    response: verdictResponse,
    status: 200,
    idempotencyKey: 'optional',
    errors: [
      ...ROLE_ERRORS,
      ...OPTIONAL_KEY_ERRORS,
      ...STEP_UP_ERRORS,
      'issuer_may_not_approve',
      'case_already_resolved',
      'no_proposed_verdict',
      'escrow_on_hold',
    ],
  }),
  rejectVerdict: route({
    method: 'POST',
    path: '/v1/cases/:id/verdict/reject',
    access: SUPERVISOR,
    body: rejectBody,
    response: verdictResponse,
    status: 200,
    idempotencyKey: 'optional',
    errors: [
      ...ROLE_ERRORS,
      ...OPTIONAL_KEY_ERRORS,
      ...STEP_UP_ERRORS,
      'case_already_resolved',
      'no_proposed_verdict',
    ],
  }),
  reassignCase: route({
    method: 'POST',
    path: '/v1/cases/:id/reassign',
    access: SUPERVISOR,
    body: reassignBody,
    response: caseDetail,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, 'case_already_resolved', 'already_assigned'],
  }),
  /** The people a supervisor can reassign cases to (`role=agent`), each with their unresolved cases. */
  listUsers: route({
    method: 'GET',
    path: '/v1/users',
    access: SUPERVISOR,
    query: userListQuery,
    response: userList,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  // Account administration (supervisors). No Idempotency-Key: the answers of create and 2FA reset carry
  // an invitation token that must never be stored, and each call needs a fresh step-up code, which is
  // good once, so a blind retry is refused (totp_replayed) rather than carried out twice.
  listAccounts: route({
    method: 'GET',
    path: '/v1/accounts',
    access: SUPERVISOR,
    response: accountList,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  createAccount: route({
    method: 'POST',
    path: '/v1/accounts',
    access: SUPERVISOR,
    body: createAccountBody,
    response: invitedAccount,
    status: 201,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, ...STEP_UP_ERRORS, 'username_taken'],
  }),
  disableAccount: route({
    method: 'POST',
    path: '/v1/accounts/:id/disable',
    access: SUPERVISOR,
    body: stepUpBody,
    response: account,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, ...STEP_UP_ERRORS, 'not_for_own_account', 'user_already_disabled', 'last_supervisor'],
  }),
  enableAccount: route({
    method: 'POST',
    path: '/v1/accounts/:id/enable',
    access: SUPERVISOR,
    body: stepUpBody,
    response: account,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, ...STEP_UP_ERRORS, 'user_not_disabled'],
  }),
  /** Ends the account's 2FA (secret and backup codes) and sessions; a new invitation re-enrols them. */
  resetAccountTotp: route({
    method: 'POST',
    path: '/v1/accounts/:id/totp-reset',
    access: SUPERVISOR,
    body: stepUpBody,
    response: invitedAccount,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, ...STEP_UP_ERRORS, 'not_for_own_account'],
  }),
  /** Anyone signed in: ten new backup codes for themselves, the old ones dead. */
  regenerateBackupCodes: route({
    method: 'POST',
    path: '/v1/me/backup-codes',
    access: 'signed_in',
    body: stepUpBody,
    response: backupCodeSet,
    status: 200,
    idempotencyKey: false,
    errors: [...SIGNED_IN_ERRORS, ...STEP_UP_ERRORS],
  }),
  placeHold: route({
    method: 'POST',
    path: '/v1/cases/:id/hold',
    access: COMPLIANCE,
    body: holdBody,
    response: caseDetail,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, 'escrow_on_hold', 'case_already_resolved'],
  }),
  liftHold: route({
    method: 'DELETE',
    path: '/v1/cases/:id/hold',
    access: COMPLIANCE,
    body: liftHoldBody,
    response: caseDetail,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, ...STEP_UP_ERRORS, 'escrow_not_on_hold'],
  }),
  listKytAlerts: route({
    method: 'GET',
    path: '/v1/kyt/alerts',
    access: COMPLIANCE,
    query: kytAlertListQuery,
    response: kytAlertPage,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  getKytAlert: route({
    method: 'GET',
    path: '/v1/kyt/alerts/:id',
    access: COMPLIANCE,
    response: kytAlertDetail,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  assignKytAlert: route({
    method: 'POST',
    path: '/v1/kyt/alerts/:id/assign',
    access: COMPLIANCE,
    body: assignBody,
    response: kytAlert,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, 'alert_already_decided'],
  }),
  decideKytAlert: route({
    method: 'POST',
    path: '/v1/kyt/alerts/:id/decision',
    access: COMPLIANCE,
    body: kytDecisionBody,
    response: kytAlert,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, 'alert_already_decided'],
  }),
  kytRules: route({
    method: 'GET',
    path: '/v1/kyt/rules',
    access: COMPLIANCE_AND_SUPERVISOR,
    response: kytRuleSet,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  report: route({
    method: 'GET',
    path: '/v1/reports/:id',
    access: COMPLIANCE_AND_SUPERVISOR,
    query: reportQuery,
    // JSON by default; with ?format=pdf or ?format=goaml the document's bytes (application/pdf,
    // application/xml) with a Content-Disposition naming the file.
    response: report,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  caseDossier: route({
    method: 'GET',
    path: '/v1/cases/:id/dossier',
    access: COMPLIANCE_AND_SUPERVISOR,
    query: dossierQuery,
    // JSON by default; with ?format=pdf a PDF (application/pdf, with a Content-Disposition naming the file)
    // that prints the dossier and carries the signed JSON as an embedded file. Each export is audited.
    response: signedDossier,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, 'case_not_decided', 'audit_chain_broken'],
  }),
  evidence: route({
    method: 'GET',
    path: '/v1/evidence/:sha256',
    access: 'signed_in',
    // The file's bytes with its sniffed Content-Type (or a 304 for a matching If-None-Match).
    response: noBody,
    status: 200,
    idempotencyKey: false,
    errors: SIGNED_IN_ERRORS,
  }),
  sync: route({
    method: 'GET',
    path: '/v1/sync',
    access: 'signed_in',
    query: syncQuery,
    response: syncPage,
    status: 200,
    idempotencyKey: false,
    background: true,
    errors: [...SIGNED_IN_ERRORS, 'must_refetch'],
  }),
  events: route({
    method: 'GET',
    path: '/v1/events',
    access: 'signed_in',
    // text/event-stream: `event: change` pokes and heartbeat comments, never the data itself.
    response: noBody,
    status: 200,
    idempotencyKey: false,
    background: true,
    errors: SIGNED_IN_ERRORS,
  }),
  audit: route({
    method: 'GET',
    path: '/v1/audit',
    access: SUPERVISOR,
    query: auditQuery,
    response: auditPage,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  verifyAudit: route({
    method: 'GET',
    path: '/v1/audit/verify',
    access: SUPERVISOR,
    response: auditVerificationReport,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  auditCheckpoint: route({
    method: 'GET',
    path: '/v1/audit/checkpoint',
    access: SUPERVISOR,
    response: checkpoint,
    status: 200,
    idempotencyKey: false,
    // `not_found` (every call's) while the log is still empty: there is no head to sign.
    errors: ROLE_ERRORS,
  }),
  auditCheckpoints: route({
    method: 'GET',
    path: '/v1/audit/checkpoints',
    access: SUPERVISOR,
    query: checkpointsQuery,
    response: checkpointList,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  // Outbound events to the exchange (issue #10): the delivery log, and queuing a given-up event again.
  listDeliveries: route({
    method: 'GET',
    path: '/v1/platform/deliveries',
    access: SUPERVISOR,
    query: deliveryListQuery,
    response: deliveryLog,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  retryDelivery: route({
    method: 'POST',
    path: '/v1/platform/deliveries/:id/retry',
    access: SUPERVISOR,
    body: retryDeliveryBody,
    response: delivery,
    status: 200,
    idempotencyKey: false,
    errors: [...ROLE_ERRORS, 'delivery_not_failed'],
  }),
  listVerdicts: route({
    method: 'GET',
    path: '/v1/verdicts',
    access: SUPERVISOR,
    query: verdictListQuery,
    // JSON pages by default; with ?format=csv every matching row (no page limit) as text/csv.
    response: verdictPage,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  verdictFigures: route({
    method: 'GET',
    path: '/v1/verdicts/agents',
    access: SUPERVISOR,
    query: verdictFiguresQuery,
    response: verdictFigures,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  reviewWeek: route({
    method: 'GET',
    path: '/v1/reviews',
    access: SUPERVISOR,
    query: reviewWeekQuery,
    response: reviewWeek,
    status: 200,
    idempotencyKey: false,
    errors: ROLE_ERRORS,
  }),
  submitReview: route({
    method: 'POST',
    path: '/v1/reviews/:id',
    access: SUPERVISOR,
    body: reviewBody,
    response: reviewItem,
    status: 200,
    idempotencyKey: 'optional',
    errors: [...ROLE_ERRORS, ...OPTIONAL_KEY_ERRORS, 'reviewer_involved', 'review_already_done'],
  }),
  metamapWebhook: route({
    method: 'POST',
    path: '/v1/webhooks/metamap',
    access: 'webhook',
    // No body schema here: the signature over the raw bytes is checked before the payload's shape.
    response: webhookOutcome,
    status: 200,
    idempotencyKey: false,
    errors: ['invalid_signature', 'stale_event', 'webhooks_not_configured'],
  }),
  platformEvents: route({
    method: 'POST',
    path: '/v1/platform/events',
    access: 'webhook',
    // No body schema here: the Standard Webhooks signature over the raw bytes is checked before the
    // event's shape (platformEvent in platform-events.ts). A final refusal (409) is stored under the
    // webhook-id and answered again to a redelivery, like a success.
    response: platformEventOutcome,
    status: 200,
    idempotencyKey: false,
    errors: [
      'invalid_signature',
      'stale_timestamp',
      'unknown_event_type',
      'unknown_trade',
      'escrow_frozen',
      'escrow_already_settled',
      'escrow_on_hold',
      'trade_already_settled',
      'trade_conflict',
      'verification_conflict',
      'idempotency_key_reused',
      'rate_limited',
      'platform_events_not_configured',
    ],
  }),
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof ROUTES;

/** `/v1/cases/:id/claim` → `{ id: string }`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

export type RouteParams<R extends RouteSpec> = PathParams<R['path']>;
export type RouteBody<R extends RouteSpec> = R['body'] extends z.ZodType ? z.input<R['body']> : undefined;
export type RouteQuery<R extends RouteSpec> = R['query'] extends z.ZodType ? z.output<R['query']> : undefined;
export type RouteResponse<R extends RouteSpec> = z.output<R['response']>;

/**
 * Fills a route's path parameters, each percent-encoded. An empty value or one of dots only is refused:
 * encoding leaves `.` and `..` as they are, and URL resolution would then walk up the path to another route.
 */
export function pathOf(route: Pick<RouteSpec, 'path'>, params: Record<string, string> = {}): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`pathOf: ${route.path} needs the parameter ${name}`);
    if (/^\.*$/.test(value)) throw new Error(`pathOf: "${value}" is not a ${name} of ${route.path}`);
    return encodeURIComponent(value);
  });
}
