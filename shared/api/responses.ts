// Response bodies of the platform API v1 (DESIGN §2, a contract) as zod schemas. The server's handlers are
// typed from them, the desk's client parses every answer with them, and tests/server/route-contract.test.ts
// checks that what the server really sends parses. Amounts are decimal strings, times ISO 8601 UTC.
import { z } from 'zod';
import {
  CASE_STATUSES,
  ESCROW_STATES,
  EVIDENCE_KINDS,
  KYC_STATUSES,
  KYT_ALERT_STATUSES,
  KYT_LEVELS,
  LIVENESS_STATUSES,
  MESSAGE_SENDERS,
  REASON_CODES,
  ROLES,
  VERDICT_OUTCOMES,
} from '../domain/dispute';
import { DOSSIER_FORMAT, DOSSIER_SIGNED_TEXT } from '../domain/dossier';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string');
const time = z.string().min(1);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const userRef = z.object({ id: z.string(), username: z.string(), displayName: z.string() });
export const me = userRef.extend({ role: z.enum(ROLES) });

/** POST /v1/auth/login: the password was right; a TOTP code (or a backup code) comes next. */
/** GET /v1/users: a person with the number of cases they hold that are not resolved yet. */
export const userWorkload = me.extend({ openCases: z.number().int().nonnegative() });
export const userList = z.object({ users: z.array(userWorkload) });

// A user without confirmed 2FA is refused (403 enrolment_required): they enrol by invitation.
export const loginResult = z.object({ status: z.literal('totp_required'), loginToken: z.string().min(1) });

/** POST /v1/auth/invitation: one enrolment attempt, with its own fresh secret; the code step comes next. */
export const invitationResult = z.object({
  status: z.literal('totp_enrollment_required'),
  username: z.string(),
  loginToken: z.string().min(1),
  otpauthUrl: z.string(),
});

/** GET /v1/accounts: a person's account as a supervisor administers it. Never a secret or a hash. */
export const account = me.extend({
  createdAt: time,
  enrolled: z.boolean(),
  disabledAt: time.nullable(),
  /** The expiry of the account's live invitation, if one is waiting to be redeemed. */
  invitationExpiresAt: time.nullable(),
});
export const accountList = z.object({ accounts: z.array(account) });

/** POST /v1/accounts and /v1/accounts/{id}/totp-reset: the invitation token, shown this once. */
export const invitedAccount = z.object({
  account,
  invitation: z.object({ token: z.string().min(1), expiresAt: time }),
});

/** POST /v1/me/backup-codes: ten new codes, shown this once; the old ones are dead. */
export const backupCodeSet = z.object({ backupCodes: z.array(z.string()) });

/** POST /v1/auth/totp: a session. `backupCodes` only in the answer that confirms an enrolment. */
export const signInResult = z.object({
  accessToken: z.string().min(1),
  expiresAt: time,
  user: me,
  backupCodes: z.array(z.string()).optional(),
});

export const partyRef = z.object({ id: z.string(), displayName: z.string() });

export const caseFlags = z.object({
  kyt: z.boolean(),
  livenessFailed: z.boolean(),
  fourEyes: z.boolean(),
  onHold: z.boolean(),
});

export const caseSummary = z.object({
  id: z.string(),
  status: z.enum(CASE_STATUSES),
  version: z.number().int().nonnegative(),
  openedAt: time,
  slaDueAt: time,
  asset: z.string(),
  amount: decimal,
  fiatCurrency: z.string(),
  fiatAmount: decimal,
  paymentMethod: z.string(),
  buyer: partyRef,
  seller: partyRef,
  assignee: userRef.nullable(),
  flags: caseFlags,
});

export const party = partyRef.extend({
  kycStatus: z.enum(KYC_STATUSES),
  country: z.string(),
  accountCreatedAt: time,
  accountAgeDays: z.number(),
  tradeCount: z.number(),
  disputeCount: z.number(),
});

export const trade = z.object({
  id: z.string(),
  asset: z.string(),
  amount: decimal,
  fiatCurrency: z.string(),
  fiatAmount: decimal,
  price: decimal,
  paymentMethod: z.string(),
  createdAt: time,
  paidAt: time.nullable(),
  disputedAt: time,
});

export const escrowHold = z.object({ reason: z.string(), by: userRef, at: time });

/** What took the escrow out of `held`: the `verdict`, or the exchange's own release or cancel. */
export const ESCROW_SETTLEMENT_CAUSES = ['verdict', 'trade.released', 'trade.cancelled'] as const;

/**
 * What settled the escrow and when: for `trade.released` / `trade.cancelled`, the time it happened on the
 * exchange (a move that happened before the dispute opened and arrived after it resolves the case without
 * a verdict); for `verdict`, when the escrow moved.
 */
export const escrowSettlement = z.object({ cause: z.enum(ESCROW_SETTLEMENT_CAUSES), at: time });

export const escrow = z.object({
  id: z.string(),
  state: z.enum(ESCROW_STATES),
  asset: z.string(),
  amount: decimal,
  hold: escrowHold.nullable(),
  /** Null while the escrow is held. Optional: a desk's cache holds details from servers that did not send it. */
  settlement: escrowSettlement.nullable().optional(),
});

export const message = z.object({
  id: z.string(),
  sender: z.enum(MESSAGE_SENDERS),
  author: userRef.nullable(),
  body: z.string(),
  at: time,
  evidence: z.array(z.string()),
});

export const evidence = z.object({
  sha256,
  kind: z.enum(EVIDENCE_KINDS),
  mime: z.string(),
  size: z.number().int().nonnegative(),
  uploader: z.enum(MESSAGE_SENDERS),
  uploadedAt: time,
  fileName: z.string().nullable(),
});

export const livenessCheck = z.object({
  id: z.string(),
  partyId: z.string(),
  caseId: z.string().nullable(),
  trigger: z.enum(['onboarding', 'trade']),
  status: z.enum(LIVENESS_STATUSES),
  livenessScore: z.number().nullable(),
  faceMatchScore: z.number().nullable(),
  documentType: z.string().nullable(),
  idPhoto: z.string().nullable(),
  frames: z.array(z.string()),
  errorCode: z.string().nullable(),
  provider: z.literal('metamap'),
  providerVerificationId: z.string().nullable(),
  requestedBy: userRef.nullable(),
  createdAt: time,
  completedAt: time.nullable(),
});

export const kytAlert = z.object({
  id: z.string(),
  /** The dispute the alert links to; null for an alert on trades that were never disputed. */
  caseId: z.string().nullable(),
  partyId: z.string(),
  /** The rule's title, as a reviewer reads it; `ruleId` and `ruleVersion` say which limits raised it. */
  rule: z.string(),
  ruleId: z.string(),
  ruleVersion: z.number().int(),
  level: z.enum(KYT_LEVELS),
  score: z.number(),
  category: z.string(),
  exposure: z.enum(['DIRECT', 'INDIRECT']),
  asset: z.string(),
  amount: decimal,
  details: z.string(),
  /** The trades the alert is about, oldest first, and the time they span. */
  tradeIds: z.array(z.string()),
  windowStart: time,
  windowEnd: time,
  status: z.enum(KYT_ALERT_STATUSES),
  assignee: userRef.nullable(),
  reviewer: userRef.nullable(),
  reviewedAt: time.nullable(),
  decisionReason: z.string().nullable(),
  /** The suspicious activity report filed with a `report` decision. */
  reportId: z.string().nullable(),
  createdAt: time,
});

export const note = z.object({ id: z.string(), author: userRef, body: z.string(), at: time });

export const verdict = z.object({
  outcome: z.enum(VERDICT_OUTCOMES),
  reasonCode: z.enum(REASON_CODES),
  rationale: z.string(),
  state: z.enum(['proposed', 'executed', 'rejected']),
  proposedBy: userRef,
  proposedAt: time,
  approvedBy: userRef.nullable(),
  approvedAt: time.nullable(),
  rejectedBy: userRef.nullable(),
  rejectedAt: time.nullable(),
  rejectReason: z.string().nullable(),
});

export const fourEyes = z.object({ required: z.boolean(), thresholdUsd: decimal, usdEquivalent: decimal });

export const caseDetail = caseSummary.extend({
  reason: z.string(),
  trade,
  escrow,
  buyer: party,
  seller: party,
  messages: z.array(message),
  evidence: z.array(evidence),
  liveness: z.array(livenessCheck),
  kytAlerts: z.array(kytAlert),
  notes: z.array(note),
  verdict: verdict.nullable(),
  fourEyes,
});

/** POST /v1/cases/{id}/verdict, /verdict/approve and /verdict/reject: the case after the change. */
export const verdictResponse = z.object({ case: caseDetail, escrow, verdict: verdict.nullable() });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const casePage = pageOf(caseSummary);

/** One rule of the KYT rule set: what it measures and the bands (lower inclusive, upper exclusive). */
export const kytRule = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  title: z.string(),
  category: z.string(),
  description: z.string(),
  measures: z.string(),
  bands: z.array(z.object({ level: z.enum(KYT_LEVELS), lower: z.number(), upper: z.number().nullable() })),
  /** Windows, limits and the like, by name (durations in hours, money in USD). */
  params: z.record(z.string(), z.number()),
});

/** GET /v1/kyt/rules */
export const kytRuleSet = z.object({ rules: z.array(kytRule) });

/** A trade of the alert's party, as the reviewer reads its history. */
export const partyTrade = z.object({
  id: z.string(),
  caseId: z.string().nullable(),
  /** The party's side of the trade. */
  side: z.enum(['buyer', 'seller']),
  counterparty: partyRef,
  asset: z.string(),
  amount: decimal,
  fiatCurrency: z.string(),
  fiatAmount: decimal,
  usdEquivalent: decimal,
  paymentMethod: z.string(),
  createdAt: time,
  disputedAt: time.nullable(),
  depositAddress: z.string().nullable(),
  payoutAddress: z.string().nullable(),
  payoutAccount: z.string().nullable(),
  /** True for the trades the alert is about. */
  flagged: z.boolean(),
});

export const counterparty = partyRef.extend({
  tradeCount: z.number().int().nonnegative(),
  usdVolume: decimal,
  firstTradeAt: time,
  lastTradeAt: time,
});

/** GET /v1/kyt/alerts/{id}: the alert with the party, its trade history and counterparties, and its case. */
export const kytAlertDetail = kytAlert.extend({
  party,
  /** Newest first, at most 200. */
  trades: z.array(partyTrade),
  counterparties: z.array(counterparty),
  /** The linked dispute, read-only here; null for an alert on trades never disputed. */
  case: caseDetail.nullable(),
  /** The rule as it stood in the version that raised the alert; null for an alert raised by hand. */
  ruleConfig: kytRule.nullable(),
});

/** A suspicious activity report (STR): what the reviewer filed, frozen at filing. */
export const report = z.object({
  id: z.string(),
  code: z.literal('STR'),
  alertId: z.string(),
  caseId: z.string().nullable(),
  createdAt: time,
  createdBy: userRef,
  reportingEntity: z.object({ id: z.string(), name: z.string(), country: z.string() }),
  // The subject with the KYC data the platform holds; `documentType` is the identity document its KYC read
  // (MetaMap's document reading: `passport`, `national-id`, …), null when no check read one.
  subject: party.extend({ documentType: z.string().nullable() }),
  activity: z.object({ from: time, to: time }),
  reason: z.string(),
  narrative: z.string(),
  transactions: z.array(partyTrade.omit({ flagged: true })),
  evidence: z.array(
    z.object({
      sha256,
      caseId: z.string(),
      kind: z.enum(EVIDENCE_KINDS),
      mime: z.string(),
      fileName: z.string().nullable(),
      size: z.number().int().nonnegative(),
    }),
  ),
  alerts: z.array(
    z.object({
      id: z.string(),
      rule: z.string(),
      ruleId: z.string(),
      ruleVersion: z.number().int(),
      level: z.enum(KYT_LEVELS),
      details: z.string(),
      createdAt: time,
    }),
  ),
});
export const kytAlertPage = pageOf(kytAlert);

export const syncChange = z.object({
  seq: z.number().int().positive(),
  type: z.literal('case'),
  id: z.string(),
  data: caseDetail,
});

export const syncPage = z.object({
  changes: z.array(syncChange),
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});

export const auditEntry = z.object({
  seq: z.number().int().positive(),
  at: time,
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  data: z.unknown(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

export const auditPage = z.object({ entries: z.array(auditEntry) });

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int().nonnegative(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  firstBad: z.number().int().nullable(),
});

/**
 * GET /v1/audit/verify: the DESIGN fields, plus how the log stands against its newest signed checkpoint
 * (issue #9). `ok` is false and `problem` says why when the chain breaks or no longer matches what the server
 * signed; `firstBad` is then the first entry that fails either test.
 */
export const auditVerificationReport = auditVerification.extend({
  checkpoint: z.object({ seq: z.number().int().positive(), ok: z.boolean() }).nullable(),
  problem: z.string().nullable(),
});

/**
 * GET /v1/audit/checkpoint (issue #9): the server's ed25519 signature over the chain's head, modelled on
 * C2SP checkpoints. `publicKey` is the raw 32-byte key in base64; `signature` is the base64 signature of
 * the UTF-8 text `${origin}\n${seq}\n${hash}\n${at}\n` (see checkpointText in shared/domain/audit.ts).
 */
export const checkpoint = z.object({
  origin: z.string(),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: time,
  keyId: z.string(),
  publicKey: z.string(),
  signature: z.string(),
});

/** GET /v1/audit/checkpoints?after=: earlier checkpoints, ascending by seq. */
export const checkpointList = z.object({ checkpoints: z.array(checkpoint) });

/** One verdict of a case as the verdicts table keeps it, rejected proposals included. */
export const dossierVerdict = verdict.extend({ id: z.string() });

/**
 * A run of the audit chain that ends in a signed checkpoint: every entry from `entries[0]` (one of the
 * case's) to `checkpoint.seq`, whole, in order. A verifier recomputes each entry's hash, checks that each
 * `prevHash` is the hash before it, that the last hash is the checkpoint's, and the checkpoint's signature.
 * Entries about other subjects are included whole because the chain's hash covers whole entries.
 */
export const dossierProof = z.object({ checkpoint, entries: z.array(auditEntry).min(1) });

/** GET /v1/cases/{id}/dossier: a decided case as the server stands behind it (issue #9). */
export const caseDossier = z.object({
  format: z.literal(DOSSIER_FORMAT),
  /** The audit log's origin, as its checkpoints name it. */
  origin: z.string(),
  generatedAt: time,
  generatedBy: me,
  case: caseDetail.pick({
    id: true,
    status: true,
    version: true,
    openedAt: true,
    slaDueAt: true,
    reason: true,
    assignee: true,
    flags: true,
    fourEyes: true,
    trade: true,
    escrow: true,
  }),
  parties: z.object({ buyer: party, seller: party }),
  messages: z.array(message),
  evidence: z.array(evidence),
  identityChecks: z.array(livenessCheck),
  kytAlerts: z.array(kytAlert),
  notes: z.array(note),
  /** The executed verdict. */
  verdict: dossierVerdict,
  /** Every proposal on the case, oldest first: the ones supervisors sent back (with their reasons) too. */
  verdictHistory: z.array(dossierVerdict),
  audit: z.object({
    /** Every entry whose subject is the case or whose data names it (`caseId`), ascending. */
    entries: z.array(auditEntry),
    /** Runs of the chain from the case's entries to the checkpoints that cover them, ascending. */
    proofs: z.array(dossierProof),
  }),
});

export const dossierSignature = z.object({
  algorithm: z.literal('ed25519'),
  keyId: z.string(),
  /** The raw 32-byte ed25519 public key, base64: the same key that signs the audit checkpoints. */
  publicKey: z.string(),
  signedText: z.literal(DOSSIER_SIGNED_TEXT),
  /** base64 signature. */
  value: z.string(),
});

export const signedDossier = z.object({ dossier: caseDossier, signature: dossierSignature });

export const health = z.object({ status: z.literal('ok'), version: z.string() });

/** POST /v1/webhooks/metamap: what became of the event (MetaMap only needs the 200). */
export const webhookOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied'), checkId: z.string() }),
  // Already taken into account, older than what the check holds, or saying what it already says.
  z.object({
    status: z.literal('unchanged'),
    checkId: z.string(),
    reason: z.enum(['duplicate', 'older_than_current', 'no_change']),
  }),
  z.object({
    status: z.literal('ignored'),
    reason: z.enum(['no_party', 'unknown_party', 'unknown_case', 'unhandled_event']),
  }),
]);

/** A 204 or a byte stream: nothing for a schema to read. */
export const noBody = z.undefined();

export const apiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** One executed verdict of the supervisor's history (GET /v1/verdicts). */
export const verdictRecord = z.object({
  caseId: z.string(),
  agent: userRef,
  outcome: z.enum(VERDICT_OUTCOMES),
  reasonCode: z.enum(REASON_CODES),
  asset: z.string(),
  amount: decimal,
  fiatCurrency: z.string(),
  fiatAmount: decimal,
  openedAt: time,
  /** When the escrow moved: the approval of a four-eyes verdict, the verdict itself otherwise. */
  decidedAt: time,
  timeToResolveSeconds: z.number().int().nonnegative(),
  approver: userRef.nullable(),
  /** Proposals on this case a supervisor sent back before this one was carried out. */
  sentBackCount: z.number().int().nonnegative(),
});
export const verdictPage = pageOf(verdictRecord);

/** One agent's figures over a window (GET /v1/verdicts/agents). Ratios and averages are null without data. */
export const agentFigures = z.object({
  agent: userRef,
  resolved: z.number().int().nonnegative(),
  medianTimeToResolveSeconds: z.number().int().nonnegative().nullable(),
  releases: z.number().int().nonnegative(),
  refunds: z.number().int().nonnegative(),
  /** releases / resolved, 0..1. */
  releaseShare: z.number().min(0).max(1).nullable(),
  /** The agent's four-eyes proposals a supervisor sent back. */
  sentBack: z.number().int().nonnegative(),
  reviewsDone: z.number().int().nonnegative(),
  /** Reviews that found the payout wrong. */
  overturned: z.number().int().nonnegative(),
  /** The mean of the reviews' scores, each the number of "yes" answers out of 4. */
  averageReviewScore: z.number().min(0).max(4).nullable(),
});
export const verdictFigures = z.object({ from: time.nullable(), to: time.nullable(), agents: z.array(agentFigures) });

export const reviewScorecard = z.object({
  evidenceSufficient: z.boolean(),
  reasonCodeRight: z.boolean(),
  rationaleClear: z.boolean(),
  payoutRight: z.boolean(),
  comment: z.string().nullable(),
  /** "Yes" answers out of 4. */
  score: z.number().int().min(0).max(4),
  reviewer: userRef,
  reviewedAt: time,
});

/** One sampled verdict of a week's quality review. */
export const reviewItem = z.object({
  id: z.string(),
  week: z.string(),
  status: z.enum(['pending', 'done']),
  verdict: verdictRecord,
  rationale: z.string(),
  /** Whether the caller may score it: pending, and the caller neither approved nor sent back a proposal on it. */
  canReview: z.boolean(),
  scorecard: reviewScorecard.nullable(),
});
/**
 * A week's quality review. `open`: the week has not ended; its sample is drawn once it has (at `to`), and
 * until then `drawnAt` is null and `items` empty. `drawn`: the sample, fixed at `drawnAt`. `empty`: the week
 * ended with no verdict to sample; nothing is stored, `drawnAt` is null.
 */
export const reviewWeek = z.discriminatedUnion('status', [
  z.object({
    week: z.string(),
    from: time,
    to: time,
    status: z.literal('drawn'),
    drawnAt: time,
    items: z.array(reviewItem),
  }),
  z.object({
    week: z.string(),
    from: time,
    to: time,
    status: z.enum(['open', 'empty']),
    drawnAt: z.null(),
    items: z.array(reviewItem).length(0),
  }),
]);

/** One outbound event in the delivery log (GET /v1/platform/deliveries): never its body or the secret. */
export const delivery = z.object({
  /** The event's `webhook-id`, the exchange's key to dedupe on. */
  id: z.string(),
  type: z.string(),
  tradeId: z.string(),
  caseId: z.string().nullable(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int().nonnegative(),
  /** The HTTP status of the last attempt; null before the first or when it got no answer. */
  lastStatus: z.number().int().nullable(),
  /** Why the last attempt failed, in a few words (`the exchange answered 503`, `no answer within 10 s`). */
  lastError: z.string().nullable(),
  createdAt: time,
  /** The next attempt of a pending event (null once delivered or given up). */
  nextAttemptAt: time.nullable(),
  deliveredAt: time.nullable(),
  /**
   * A pending event waits for an earlier event of its trade that is not delivered yet (pending, or given
   * up until a supervisor retries it): that event's id. Null otherwise.
   */
  waitingFor: z.string().nullable(),
});

export const deliveryLog = pageOf(delivery).extend({
  /** Whether outbound delivery is on, and to which host (never the path, a query or the secret). */
  outbound: z.object({ configured: z.boolean(), host: z.string().nullable() }),
  counts: z.object({
    pending: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
});
