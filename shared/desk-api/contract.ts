// The desk API: every call the renderer can make and every event it receives, declared once. The Electron
// preload bridge and the browser host's bridge are both typed from this map, and the desk service
// validates each input against its schema before acting on it.
import { z } from 'zod';
import { withoutBidiControls } from '../api/text';
import type { CaseSummary, Delivery, DeliveryLog, KytRuleSet, ReviewItem, ReviewWeek, UserWorkload, VerdictFigures, VerdictPage } from '../api/types';
import type { Account, BackupCodeSet, InvitedAccount, Me } from '../api/types';
import { createAccountBody, invitationBody } from '../api/requests';
import {
  REPORT_DOWNLOAD_FORMATS,
  alertId,
  caseId,
  deliveryListInput,
  deliveryRetryInput,
  draft,
  kytAlertsQuery,
  kytDecisionInput,
  figuresWindow,
  reportId,
  queueQuery,
  reviewScorecardInput,
  reviewWeekInput,
  verdictFilter,
  verdictListInput,
  serverChangeInput,
  serverCheckInput,
  settingsChange,
  trustKeyInput,
  verdictInput,
  type AuditStatus,
  type CaseView,
  type DeskResult,
  type Draft,
  type KytAlertView,
  type KytAlertsPage,
  type OutboxEntry,
  type ReportFile,
  type QueuePage,
  type ServerChange,
  type ServerCheck,
  type ServerInfo,
  type Settings,
  type SyncStatus,
} from './schemas';

const none = z.undefined();
/** Typed text: the platform's rule (shared/api/text.ts), so that the desk refuses it before it is queued. */
const text = (max: number) => withoutBidiControls(z.string().trim().min(1).max(max));
const totp = z.string().regex(/^\d{6}$/, 'The authentication code is 6 digits.');
const freshCode = z.strictObject({ commandId: text(128), totp });
const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a user id');

export type SignInStep =
  | { next: 'totp' }
  | { next: 'enrollment'; otpauthUrl: string; secret: string; username: string };

export interface SessionState {
  user: Me | null;
  /** Set between the password and the code. */
  awaiting: 'totp' | 'enrollment' | null;
  serverUrl: string;
}

/** Each channel: its input schema, and its output type as a phantom (outputs are produced by the desk). */
function channel<I extends z.ZodType, O>(input: I) {
  return { input, output: undefined as unknown as O };
}

export const deskChannels = {
  'session.state': channel<typeof none, SessionState>(none),
  'session.signIn': channel<z.ZodType<{ username: string; password: string }>, SignInStep>(
    z.strictObject({ username: text(64), password: z.string().min(1).max(256) }),
  ),
  /** Enrolment by invitation: the token a supervisor handed over and the password the user chooses. */
  'session.redeemInvitation': channel<z.ZodType<{ token: string; password: string }>, SignInStep>(invitationBody),
  /** Ten new backup codes for the signed-in user, shown once; needs a fresh code. */
  'session.backupCodes': channel<z.ZodType<{ totp: string }>, BackupCodeSet>(z.strictObject({ totp })),
  'session.verify': channel<z.ZodType<{ code: string }>, { user: Me; backupCodes: string[] | null }>(
    z.strictObject({ code: z.string().trim().min(6).max(32) }),
  ),
  'session.signOut': channel<typeof none, null>(none),
  /** The user is at the desk (input seen): keeps the server's idle timeout from ending their session. */
  'session.activity': channel<typeof none, null>(none),
  'queue.query': channel<typeof queueQuery, QueuePage>(queueQuery),
  'case.get': channel<z.ZodType<{ caseId: string }>, CaseView>(z.strictObject({ caseId })),
  'case.claim': channel<z.ZodType<{ caseId: string }>, OutboxEntry>(z.strictObject({ caseId })),
  'case.message': channel<z.ZodType<{ caseId: string; body: string }>, OutboxEntry>(
    z.strictObject({ caseId, body: text(4000) }),
  ),
  'case.note': channel<z.ZodType<{ caseId: string; body: string }>, OutboxEntry>(
    z.strictObject({ caseId, body: text(4000) }),
  ),
  'case.requestLiveness': channel<z.ZodType<{ caseId: string; partyId: string }>, OutboxEntry>(
    z.strictObject({ caseId, partyId: text(64) }),
  ),
  'case.verdict': channel<typeof verdictInput, OutboxEntry>(verdictInput),
  /** A verdict waiting in `needs_code`: goes again under its original key with a fresh code. */
  'case.verdictCode': channel<z.ZodType<{ commandId: string; totp: string }>, OutboxEntry>(freshCode),
  // Compliance (DESIGN §4): holds are outbox commands like verdicts; lifting one carries a fresh code.
  'case.placeHold': channel<z.ZodType<{ caseId: string; reason: string }>, OutboxEntry>(
    z.strictObject({ caseId, reason: text(2000) }),
  ),
  'case.liftHold': channel<z.ZodType<{ caseId: string; reason: string; totp: string }>, OutboxEntry>(
    z.strictObject({ caseId, reason: text(2000), totp }),
  ),
  /** A hold lift waiting in `needs_code`: goes again under its original key with a fresh code. */
  'case.liftHoldCode': channel<z.ZodType<{ commandId: string; totp: string }>, OutboxEntry>(freshCode),
  // Four-eyes (DESIGN §4, supervisors): approving a proposed verdict and sending it back carry a fresh code
  // each, like a verdict; a reassignment names the agent and why. All three are outbox commands.
  'case.approve': channel<z.ZodType<{ caseId: string; totp: string }>, OutboxEntry>(z.strictObject({ caseId, totp })),
  'case.sendBack': channel<z.ZodType<{ caseId: string; reason: string; totp: string }>, OutboxEntry>(
    z.strictObject({ caseId, reason: text(2000), totp }),
  ),
  /** An approval or a send-back waiting in `needs_code`: goes again under its original key with a fresh code. */
  'case.approvalCode': channel<z.ZodType<{ commandId: string; totp: string }>, OutboxEntry>(freshCode),
  'case.reassign': channel<z.ZodType<{ caseId: string; assigneeId: string; reason: string }>, OutboxEntry>(
    z.strictObject({ caseId, assigneeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a user id'), reason: text(2000) }),
  ),
  /** The agents a case can be reassigned to, with the cases each holds unresolved: read live from the server. */
  'users.agents': channel<typeof none, UserWorkload[]>(none),
  // Supervisors (issue #11): the people's accounts, read live; each change is a direct call with the
  // supervisor's fresh code (a repeat is refused as totp_replayed, so it needs no outbox).
  'accounts.list': channel<typeof none, Account[]>(none),
  'accounts.create': channel<typeof createAccountBody, InvitedAccount>(createAccountBody),
  'accounts.disable': channel<z.ZodType<{ userId: string; totp: string }>, Account>(z.strictObject({ userId, totp })),
  'accounts.enable': channel<z.ZodType<{ userId: string; totp: string }>, Account>(z.strictObject({ userId, totp })),
  'accounts.resetTotp': channel<z.ZodType<{ userId: string; totp: string }>, InvitedAccount>(
    z.strictObject({ userId, totp }),
  ),
  // KYT alerts are read live from the server (an alert without a case is not in the sync feed).
  'kyt.alerts': channel<typeof kytAlertsQuery, KytAlertsPage>(kytAlertsQuery),
  'kyt.alert': channel<z.ZodType<{ alertId: string }>, KytAlertView>(z.strictObject({ alertId })),
  'kyt.rules': channel<typeof none, KytRuleSet>(none),
  'kyt.assign': channel<z.ZodType<{ alertId: string }>, OutboxEntry>(z.strictObject({ alertId })),
  'kyt.decide': channel<typeof kytDecisionInput, OutboxEntry>(kytDecisionInput),
  'kyt.report': channel<z.ZodType<{ reportId: string; format: 'pdf' | 'json' }>, ReportFile>(
    z.strictObject({ reportId, format: z.enum(REPORT_DOWNLOAD_FORMATS) }),
  ),
  // A decided case's sealed dossier (issue #9), fetched live: supervisors and compliance.
  'case.dossier': channel<z.ZodType<{ caseId: string; format: 'pdf' | 'json' }>, ReportFile>(
    z.strictObject({ caseId, format: z.enum(REPORT_DOWNLOAD_FORMATS) }),
  ),
  // Supervisors (issue #9): the verdict history, its CSV, per-agent figures and the weekly quality review,
  // read live from the server (reviews and figures are not in the case feed).
  'verdicts.list': channel<typeof verdictListInput, VerdictPage>(verdictListInput),
  'verdicts.csv': channel<typeof verdictFilter, ReportFile>(verdictFilter),
  'verdicts.agents': channel<typeof figuresWindow, VerdictFigures>(figuresWindow),
  'reviews.week': channel<typeof reviewWeekInput, ReviewWeek>(reviewWeekInput),
  // Supervisors (issue #10): the log of events delivered to the exchange, read live, and sending a given-up
  // one again (a direct call: the server's 409 delivery_not_failed tells a repeat apart).
  'deliveries.list': channel<typeof deliveryListInput, DeliveryLog>(deliveryListInput),
  'deliveries.retry': channel<typeof deliveryRetryInput, Delivery>(deliveryRetryInput),
  /** A scorecard, sent at once under a fresh Idempotency-Key; a second one for the same verdict is refused. */
  'reviews.submit': channel<typeof reviewScorecardInput, ReviewItem>(reviewScorecardInput),
  'drafts.get': channel<z.ZodType<{ caseId: string }>, Draft>(z.strictObject({ caseId })),
  // Typed by both sides of its schema: the renderer may leave fields out, the handler gets them filled in.
  'drafts.save': channel<
    z.ZodType<{ caseId: string; draft: Draft }, { caseId: string; draft: z.input<typeof draft> }>,
    Draft
  >(z.strictObject({ caseId, draft })),
  /** How many drafts the signed-in user has: signing out deletes them, and the sign-out button says so first. */
  'drafts.count': channel<typeof none, { count: number }>(none),
  'evidence.url': channel<z.ZodType<{ sha256: string }>, { url: string }>(
    z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
  'sync.status': channel<typeof none, SyncStatus>(none),
  'sync.now': channel<typeof none, SyncStatus>(none),
  // Supervisors: the desk's own check of the audit chain against the server's signed checkpoints (issue #9).
  'audit.status': channel<typeof none, AuditStatus>(none),
  'audit.verify': channel<typeof none, AuditStatus>(none),
  /** Pins the key the server now signs with, after a key change: the user types its fingerprint's start. */
  'audit.trustKey': channel<z.ZodType<{ fingerprint: string }, { fingerprint: string }>, AuditStatus>(trustKeyInput),
  'settings.get': channel<typeof none, Settings>(none),
  'settings.set': channel<typeof settingsChange, Settings>(settingsChange),
  /**
   * Asks to point the desk at another platform server (null: the bundled one), used from the next start.
   * The renderer only asks: the Electron shell shows the address in a native dialog and saves it only when
   * the user confirms there; the browser host has no such dialog and refuses (`--server` on its command
   * line chooses its server). README "The desk's server".
   */
  'server.change': channel<typeof serverChangeInput, ServerChange>(serverChangeInput),
  /** Which server the desk talks to, and whether one has been chosen yet (the first-run choice). */
  'server.info': channel<typeof none, ServerInfo>(none),
  /**
   * Checks an organisation's server before it is saved: the address rule, then GET /v1/health with a
   * timeout and the answer's shape. Saves nothing.
   */
  'server.check': channel<typeof serverCheckInput, ServerCheck>(serverCheckInput),
  /**
   * "Try the demo": keeps the bundled server the desk already talks to and records the choice. Refused
   * (`server_change_needed`) when the desk talks to another server: that is a 'server.change' to null.
   */
  'server.chooseDemo': channel<typeof none, ServerInfo>(none),
} as const;

export type DeskChannel = keyof typeof deskChannels;
export type DeskInput<C extends DeskChannel> = z.input<(typeof deskChannels)[C]['input']>;
export type DeskOutput<C extends DeskChannel> = (typeof deskChannels)[C]['output'];

export interface DeskEvents {
  'sync.status': SyncStatus;
  'cases.changed': { caseIds: string[]; summaries?: CaseSummary[] };
  'outbox.changed': OutboxEntry;
  /** `idleMinutes` when the server ended the session after that long without activity. */
  'session.expired': { reason: string; idleMinutes?: number };
  /** The server took a command on these alerts: views of them read again. */
  'alerts.changed': { alertIds: string[] };
  /** The desk's verdict on the audit chain changed (a check started or ended, a key was trusted). */
  'audit.changed': AuditStatus;
}
export type DeskEvent = keyof DeskEvents;
export const DESK_EVENTS: readonly DeskEvent[] = [
  'sync.status',
  'cases.changed',
  'outbox.changed',
  'session.expired',
  'alerts.changed',
  'audit.changed',
];

export type { DeskResult } from './schemas';

/** What the renderer sees as `window.desk`, in Electron and in the browser host alike. */
export interface DeskBridge {
  invoke<C extends DeskChannel>(
    channel: C,
    ...input: DeskInput<C> extends undefined ? [] : [DeskInput<C>]
  ): Promise<DeskResult<DeskOutput<C>>>;
  on<E extends DeskEvent>(event: E, listener: (payload: DeskEvents[E]) => void): () => void;
}
