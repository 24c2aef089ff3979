// Response shapes of the platform API v1 (DESIGN §2, a contract). Amounts are decimal strings, times ISO 8601 UTC.
import type {
  CaseStatus,
  EscrowState,
  EvidenceKind,
  KycStatus,
  KytAlertStatus,
  KytLevel,
  LivenessStatus,
  MessageSender,
  ReasonCode,
  Role,
  VerdictOutcome,
} from '../domain/dispute';

export interface UserRef {
  id: string;
  username: string;
  displayName: string;
}

export interface Me extends UserRef {
  role: Role;
}

/** POST /v1/auth/login: the password was right; a TOTP code (or a backup code) comes next. */
export type LoginResult =
  | { status: 'totp_required'; loginToken: string }
  | { status: 'totp_enrollment_required'; loginToken: string; otpauthUrl: string };

/** POST /v1/auth/totp: a session. `backupCodes` only in the answer that confirms an enrolment. */
export interface SignInResult {
  accessToken: string;
  expiresAt: string;
  user: Me;
  backupCodes?: string[];
}

export interface PartyRef {
  id: string;
  displayName: string;
}

export interface CaseFlags {
  kyt: boolean;
  livenessFailed: boolean;
  fourEyes: boolean;
  onHold: boolean;
}

export interface CaseSummary {
  id: string;
  status: CaseStatus;
  version: number;
  openedAt: string;
  slaDueAt: string;
  asset: string;
  amount: string;
  fiatCurrency: string;
  fiatAmount: string;
  paymentMethod: string;
  buyer: PartyRef;
  seller: PartyRef;
  assignee: UserRef | null;
  flags: CaseFlags;
}

export interface Party extends PartyRef {
  kycStatus: KycStatus;
  country: string;
  accountCreatedAt: string;
  accountAgeDays: number;
  tradeCount: number;
  disputeCount: number;
}

export interface Trade {
  id: string;
  asset: string;
  amount: string;
  fiatCurrency: string;
  fiatAmount: string;
  price: string;
  paymentMethod: string;
  createdAt: string;
  paidAt: string | null;
  disputedAt: string;
}

export interface EscrowHold {
  reason: string;
  by: UserRef;
  at: string;
}

export interface Escrow {
  id: string;
  state: EscrowState;
  asset: string;
  amount: string;
  hold: EscrowHold | null;
}

export interface Message {
  id: string;
  sender: MessageSender;
  author: UserRef | null;
  body: string;
  at: string;
  evidence: string[];
}

export interface Evidence {
  sha256: string;
  kind: EvidenceKind;
  mime: string;
  size: number;
  uploader: MessageSender;
  uploadedAt: string;
  fileName: string | null;
}

export interface LivenessCheck {
  id: string;
  partyId: string;
  caseId: string | null;
  trigger: 'onboarding' | 'trade';
  status: LivenessStatus;
  livenessScore: number | null;
  faceMatchScore: number | null;
  documentType: string | null;
  idPhoto: string | null;
  frames: string[];
  errorCode: string | null;
  provider: 'metamap';
  providerVerificationId: string | null;
  requestedBy: UserRef | null;
  createdAt: string;
  completedAt: string | null;
}

export interface KytAlert {
  id: string;
  caseId: string;
  partyId: string;
  rule: string;
  level: KytLevel;
  score: number;
  category: string;
  exposure: 'DIRECT' | 'INDIRECT';
  asset: string;
  amount: string;
  details: string;
  status: KytAlertStatus;
  reviewer: UserRef | null;
  reviewedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
}

export interface Note {
  id: string;
  author: UserRef;
  body: string;
  at: string;
}

export interface Verdict {
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  rationale: string;
  state: 'proposed' | 'executed' | 'rejected';
  proposedBy: UserRef;
  proposedAt: string;
  approvedBy: UserRef | null;
  approvedAt: string | null;
  rejectedBy: UserRef | null;
  rejectedAt: string | null;
  rejectReason: string | null;
}

export interface FourEyes {
  required: boolean;
  thresholdUsd: string;
  usdEquivalent: string;
}

export interface CaseDetail extends CaseSummary {
  reason: string;
  trade: Trade;
  escrow: Escrow;
  buyer: Party;
  seller: Party;
  messages: Message[];
  evidence: Evidence[];
  liveness: LivenessCheck[];
  kytAlerts: KytAlert[];
  notes: Note[];
  verdict: Verdict | null;
  fourEyes: FourEyes;
}

/** POST /v1/cases/{id}/verdict, /verdict/approve and /verdict/reject: the case after the change. */
export interface VerdictResponse {
  case: CaseDetail;
  escrow: Escrow;
  verdict: Verdict | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SyncChange {
  seq: number;
  type: 'case';
  id: string;
  data: CaseDetail;
}

export interface SyncPage {
  changes: SyncChange[];
  cursor: number;
  hasMore: boolean;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | null;
  firstBad: number | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
