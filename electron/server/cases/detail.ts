// Reads cases into the API's shapes (DESIGN §2). The one place that knows how a case is assembled from
// its tables; the routes, the change feed and the seed all go through it.
import type {
  CaseDetail,
  CaseSummary,
  Evidence,
  KytAlert,
  LivenessCheck,
  Message,
  Note,
  Party,
  UserRef,
  Verdict,
} from '../../../shared/api/types';
import type { CaseStatus, EscrowState, ReasonCode, VerdictOutcome } from '../../../shared/domain/dispute';
import { assetDecimals, FIAT_DECIMALS, fromMinorUnits } from '../../../shared/domain/money';
import type { Db } from '../db/open';

const SUMMARY_SELECT = `
  SELECT c.id, c.status, c.version, c.opened_at, c.sla_due_at, c.reason, c.four_eyes, c.usd_equivalent,
         c.trade_id, c.escrow_id,
         t.asset, t.amount_minor, t.fiat_currency, t.fiat_amount_minor, t.payment_method,
         t.buyer_id, b.display_name AS buyer_name, t.seller_id, s.display_name AS seller_name,
         u.id AS assignee_id, u.username AS assignee_username, u.display_name AS assignee_name,
         e.hold_reason IS NOT NULL AS on_hold,
         EXISTS (SELECT 1 FROM kyt_alerts k WHERE k.case_id = c.id AND k.status <> 'dismissed') AS kyt,
         EXISTS (SELECT 1 FROM liveness_checks l WHERE l.case_id = c.id AND l.status = 'rejected') AS liveness_failed
  FROM cases c
  JOIN trades t ON t.id = c.trade_id
  JOIN parties b ON b.id = t.buyer_id
  JOIN parties s ON s.id = t.seller_id
  JOIN escrows e ON e.id = c.escrow_id
  LEFT JOIN users u ON u.id = c.assignee_id`;

export interface SummaryRow {
  id: string;
  status: CaseStatus;
  version: number;
  opened_at: string;
  sla_due_at: string;
  reason: string;
  four_eyes: number;
  usd_equivalent: string;
  trade_id: string;
  escrow_id: string;
  asset: string;
  amount_minor: number | bigint;
  fiat_currency: string;
  fiat_amount_minor: number | bigint;
  payment_method: string;
  buyer_id: string;
  buyer_name: string;
  seller_id: string;
  seller_name: string;
  assignee_id: string | null;
  assignee_username: string | null;
  assignee_name: string | null;
  on_hold: number;
  kyt: number;
  liveness_failed: number;
}

export const assetAmount = (minor: number | bigint, asset: string) =>
  fromMinorUnits(BigInt(minor), assetDecimals(asset));
export const fiatAmount = (minor: number | bigint) => fromMinorUnits(BigInt(minor), FIAT_DECIMALS);

function userRef(id: string | null, username: string | null, displayName: string | null): UserRef | null {
  return id && username && displayName ? { id, username, displayName } : null;
}

export function toSummary(row: SummaryRow): CaseSummary {
  return {
    id: row.id,
    status: row.status,
    version: row.version,
    openedAt: row.opened_at,
    slaDueAt: row.sla_due_at,
    asset: row.asset,
    amount: assetAmount(row.amount_minor, row.asset),
    fiatCurrency: row.fiat_currency,
    fiatAmount: fiatAmount(row.fiat_amount_minor),
    paymentMethod: row.payment_method,
    buyer: { id: row.buyer_id, displayName: row.buyer_name },
    seller: { id: row.seller_id, displayName: row.seller_name },
    assignee: userRef(row.assignee_id, row.assignee_username, row.assignee_name),
    flags: {
      kyt: row.kyt === 1,
      livenessFailed: row.liveness_failed === 1,
      fourEyes: row.four_eyes === 1,
      onHold: row.on_hold === 1,
    },
  };
}

export interface CaseListQuery {
  status?: CaseStatus | undefined;
  limit: number;
  /** Opaque to clients: the (slaDueAt, id) of the last row of the previous page. */
  after?: { slaDueAt: string; id: string } | undefined;
}

export function listCaseSummaries(db: Db, query: CaseListQuery): CaseSummary[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: query.limit };
  if (query.status) {
    where.push('c.status = @status');
    params.status = query.status;
  }
  if (query.after) {
    where.push('(c.sla_due_at, c.id) > (@afterSla, @afterId)');
    params.afterSla = query.after.slaDueAt;
    params.afterId = query.after.id;
  }
  const sql = `${SUMMARY_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY c.sla_due_at, c.id LIMIT @limit`;
  return (db.prepare(sql).all(params) as SummaryRow[]).map(toSummary);
}

const USER_JOIN = (alias: string, column: string) =>
  `LEFT JOIN users ${alias} ON ${alias}.id = ${column}`;

function daysBetween(fromIso: string, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - Date.parse(fromIso)) / 86_400_000));
}

function readParty(db: Db, id: string, now: Date): Party {
  const row = db.prepare('SELECT * FROM parties WHERE id = ?').get(id) as {
    id: string;
    display_name: string;
    kyc_status: Party['kycStatus'];
    country: string;
    account_created_at: string;
    trade_count: number;
    dispute_count: number;
  };
  return {
    id: row.id,
    displayName: row.display_name,
    kycStatus: row.kyc_status,
    country: row.country,
    accountCreatedAt: row.account_created_at,
    accountAgeDays: daysBetween(row.account_created_at, now),
    tradeCount: row.trade_count,
    disputeCount: row.dispute_count,
  };
}

function readMessages(db: Db, caseId: string): Message[] {
  const rows = db
    .prepare(
      `SELECT m.*, u.username, u.display_name FROM messages m ${USER_JOIN('u', 'm.author_id')}
       WHERE m.case_id = ? ORDER BY m.at, m.id`,
    )
    .all(caseId) as {
    id: string;
    sender: Message['sender'];
    author_id: string | null;
    username: string | null;
    display_name: string | null;
    body: string;
    evidence: string;
    at: string;
  }[];
  return rows.map((row) => ({
    id: row.id,
    sender: row.sender,
    author: userRef(row.author_id, row.username, row.display_name),
    body: row.body,
    at: row.at,
    evidence: JSON.parse(row.evidence) as string[],
  }));
}

function readEvidence(db: Db, caseId: string): Evidence[] {
  const rows = db
    .prepare(
      `SELECT ce.sha256, ce.kind, ce.uploader, ce.file_name, ce.uploaded_at, f.mime, f.size
       FROM case_evidence ce JOIN evidence_files f ON f.sha256 = ce.sha256
       WHERE ce.case_id = ? ORDER BY ce.uploaded_at, ce.sha256`,
    )
    .all(caseId) as {
    sha256: string;
    kind: Evidence['kind'];
    uploader: Evidence['uploader'];
    file_name: string | null;
    uploaded_at: string;
    mime: string;
    size: number;
  }[];
  return rows.map((row) => ({
    sha256: row.sha256,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    uploader: row.uploader,
    uploadedAt: row.uploaded_at,
    fileName: row.file_name,
  }));
}

interface LivenessRow {
  id: string;
  party_id: string;
  case_id: string | null;
  trigger: LivenessCheck['trigger'];
  status: LivenessCheck['status'];
  liveness_score: number | null;
  face_match_score: number | null;
  document_type: string | null;
  id_photo: string | null;
  frames: string;
  error_code: string | null;
  provider_verification_id: string | null;
  requested_by: string | null;
  username: string | null;
  display_name: string | null;
  created_at: string;
  completed_at: string | null;
}

export function toLivenessCheck(row: LivenessRow): LivenessCheck {
  return {
    id: row.id,
    partyId: row.party_id,
    caseId: row.case_id,
    trigger: row.trigger,
    status: row.status,
    livenessScore: row.liveness_score,
    faceMatchScore: row.face_match_score,
    documentType: row.document_type,
    idPhoto: row.id_photo,
    frames: JSON.parse(row.frames) as string[],
    errorCode: row.error_code,
    provider: 'metamap',
    providerVerificationId: row.provider_verification_id,
    requestedBy: userRef(row.requested_by, row.username, row.display_name),
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

/** Every check of both parties: onboarding ones and the ones of this and earlier trades, newest first. */
function readLiveness(db: Db, buyerId: string, sellerId: string): LivenessCheck[] {
  const rows = db
    .prepare(
      `SELECT l.*, u.username, u.display_name FROM liveness_checks l ${USER_JOIN('u', 'l.requested_by')}
       WHERE l.party_id IN (?, ?) ORDER BY l.created_at DESC, l.id`,
    )
    .all(buyerId, sellerId) as LivenessRow[];
  return rows.map(toLivenessCheck);
}

export interface KytRow {
  id: string;
  case_id: string;
  party_id: string;
  rule: string;
  level: KytAlert['level'];
  score: number;
  category: string;
  exposure: KytAlert['exposure'];
  asset: string;
  amount_minor: number | bigint;
  details: string;
  status: KytAlert['status'];
  reviewer_id: string | null;
  username: string | null;
  display_name: string | null;
  reviewed_at: string | null;
  decision_reason: string | null;
  created_at: string;
}

export const KYT_SELECT = `SELECT k.*, u.username, u.display_name FROM kyt_alerts k ${USER_JOIN('u', 'k.reviewer_id')}`;

export function toKytAlert(row: KytRow): KytAlert {
  return {
    id: row.id,
    caseId: row.case_id,
    partyId: row.party_id,
    rule: row.rule,
    level: row.level,
    score: row.score,
    category: row.category,
    exposure: row.exposure,
    asset: row.asset,
    amount: assetAmount(row.amount_minor, row.asset),
    details: row.details,
    status: row.status,
    reviewer: userRef(row.reviewer_id, row.username, row.display_name),
    reviewedAt: row.reviewed_at,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
  };
}

function readNotes(db: Db, caseId: string): Note[] {
  const rows = db
    .prepare(
      `SELECT n.id, n.body, n.at, u.id AS author_id, u.username, u.display_name
       FROM notes n JOIN users u ON u.id = n.author_id WHERE n.case_id = ? ORDER BY n.at, n.id`,
    )
    .all(caseId) as { id: string; body: string; at: string; author_id: string; username: string; display_name: string }[];
  return rows.map((row) => ({
    id: row.id,
    author: { id: row.author_id, username: row.username, displayName: row.display_name },
    body: row.body,
    at: row.at,
  }));
}

/** The case's current verdict: the live one, or else the latest rejected proposal. */
function readVerdict(db: Db, caseId: string): Verdict | null {
  const row = db
    .prepare(
      `SELECT v.*, p.username AS p_username, p.display_name AS p_name,
              a.username AS a_username, a.display_name AS a_name,
              r.username AS r_username, r.display_name AS r_name
       FROM verdicts v JOIN users p ON p.id = v.proposed_by
       ${USER_JOIN('a', 'v.approved_by')} ${USER_JOIN('r', 'v.rejected_by')}
       WHERE v.case_id = ? ORDER BY v.state = 'rejected', v.proposed_at DESC LIMIT 1`,
    )
    .get(caseId) as
    | {
        outcome: VerdictOutcome;
        reason_code: ReasonCode;
        rationale: string;
        state: Verdict['state'];
        proposed_by: string;
        p_username: string;
        p_name: string;
        proposed_at: string;
        approved_by: string | null;
        a_username: string | null;
        a_name: string | null;
        approved_at: string | null;
        rejected_by: string | null;
        r_username: string | null;
        r_name: string | null;
        rejected_at: string | null;
        reject_reason: string | null;
      }
    | undefined;
  if (!row) return null;
  return {
    outcome: row.outcome,
    reasonCode: row.reason_code,
    rationale: row.rationale,
    state: row.state,
    proposedBy: { id: row.proposed_by, username: row.p_username, displayName: row.p_name },
    proposedAt: row.proposed_at,
    approvedBy: userRef(row.approved_by, row.a_username, row.a_name),
    approvedAt: row.approved_at,
    rejectedBy: userRef(row.rejected_by, row.r_username, row.r_name),
    rejectedAt: row.rejected_at,
    rejectReason: row.reject_reason,
  };
}

export interface DetailContext {
  now: Date;
  fourEyesThresholdUsd: string;
}

export function readCaseSummary(db: Db, caseId: string): CaseSummary | null {
  const row = db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`).get(caseId) as SummaryRow | undefined;
  return row ? toSummary(row) : null;
}

export function readCaseDetail(db: Db, caseId: string, context: DetailContext): CaseDetail | null {
  const row = db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`).get(caseId) as SummaryRow | undefined;
  if (!row) return null;
  const summary = toSummary(row);
  const trade = db.prepare('SELECT * FROM trades WHERE id = ?').get(row.trade_id) as {
    id: string;
    price: string;
    created_at: string;
    paid_at: string | null;
    disputed_at: string;
  };
  const escrow = db
    .prepare(
      `SELECT e.*, u.username, u.display_name FROM escrows e ${USER_JOIN('u', 'e.hold_by')} WHERE e.id = ?`,
    )
    .get(row.escrow_id) as {
    id: string;
    state: EscrowState;
    asset: string;
    amount_minor: number | bigint;
    hold_reason: string | null;
    hold_by: string | null;
    hold_at: string | null;
    username: string | null;
    display_name: string | null;
  };
  const holdBy = userRef(escrow.hold_by, escrow.username, escrow.display_name);
  return {
    ...summary,
    reason: row.reason,
    trade: {
      id: trade.id,
      asset: summary.asset,
      amount: summary.amount,
      fiatCurrency: summary.fiatCurrency,
      fiatAmount: summary.fiatAmount,
      price: trade.price,
      paymentMethod: summary.paymentMethod,
      createdAt: trade.created_at,
      paidAt: trade.paid_at,
      disputedAt: trade.disputed_at,
    },
    escrow: {
      id: escrow.id,
      state: escrow.state,
      asset: escrow.asset,
      amount: assetAmount(escrow.amount_minor, escrow.asset),
      hold:
        escrow.hold_reason && holdBy && escrow.hold_at
          ? { reason: escrow.hold_reason, by: holdBy, at: escrow.hold_at }
          : null,
    },
    buyer: readParty(db, row.buyer_id, context.now),
    seller: readParty(db, row.seller_id, context.now),
    messages: readMessages(db, caseId),
    evidence: readEvidence(db, caseId),
    liveness: readLiveness(db, row.buyer_id, row.seller_id),
    kytAlerts: (db.prepare(`${KYT_SELECT} WHERE k.case_id = ? ORDER BY k.created_at, k.id`).all(caseId) as KytRow[]).map(
      toKytAlert,
    ),
    notes: readNotes(db, caseId),
    verdict: readVerdict(db, caseId),
    fourEyes: {
      required: row.four_eyes === 1,
      thresholdUsd: context.fourEyesThresholdUsd,
      usdEquivalent: row.usd_equivalent,
    },
  };
}
