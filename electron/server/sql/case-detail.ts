// The case read model (DESIGN §2): how a case is assembled from its tables. The routes, the moves' answers
// and the seed go through it. readCaseDetails reads any number of cases with one query per table, so the
// answer to a single move and a batch of verdicts share it. /v1/sync's pages have the database make the same
// detail as JSON (case-detail-json.ts): a change to the detail's shape is made in both, and a test
// (tests/server/case-detail-json.test.ts) holds them to the same details.
import type {
  CaseDetail,
  CaseSummary,
  EscrowSettlement,
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
import { prepared } from './statements';

/** The columns of a case summary (SummaryRow); the detail's select adds its own after them. */
const SUMMARY_COLUMNS = `
  c.id, c.status, c.version, c.opened_at, c.sla_due_at, c.reason, c.four_eyes, c.usd_equivalent,
  c.trade_id, c.escrow_id,
  t.asset, t.amount_minor, t.fiat_currency, t.fiat_amount_minor, t.payment_method,
  t.buyer_id, b.display_name AS buyer_name, t.seller_id, s.display_name AS seller_name,
  u.id AS assignee_id, u.username AS assignee_username, u.display_name AS assignee_name,
  e.hold_reason IS NOT NULL AS on_hold,
  EXISTS (SELECT 1 FROM kyt_alerts k WHERE k.case_id = c.id AND k.status <> 'dismissed') AS kyt,
  EXISTS (SELECT 1 FROM liveness_checks l WHERE l.case_id = c.id AND l.status = 'rejected') AS liveness_failed`;

/** A case with its trade, parties, escrow and assignee, as both the summary and the detail read it. */
const CASE_FROM = `
  FROM cases c
  JOIN trades t ON t.id = c.trade_id
  JOIN parties b ON b.id = t.buyer_id
  JOIN parties s ON s.id = t.seller_id
  JOIN escrows e ON e.id = c.escrow_id
  LEFT JOIN users u ON u.id = c.assignee_id`;

const SUMMARY_SELECT = `SELECT ${SUMMARY_COLUMNS} ${CASE_FROM}`;

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
  return (prepared(db, sql).all(params) as SummaryRow[]).map(toSummary);
}


const USER_JOIN = (alias: string, column: string) =>
  `LEFT JOIN users ${alias} ON ${alias}.id = ${column}`;

/** Binds a list of ids as one parameter: `IN (SELECT value FROM json_each(?))` with JSON.stringify(ids). */
const IN_IDS = 'IN (SELECT value FROM json_each(?))';

const DETAIL_SELECT = `
  SELECT ${SUMMARY_COLUMNS},
         t.price, t.created_at AS trade_created_at, t.paid_at, t.disputed_at, t.settled_at, t.settled_by,
         e.state AS escrow_state, e.asset AS escrow_asset, e.amount_minor AS escrow_amount_minor,
         e.updated_at AS escrow_updated_at,
         e.hold_reason, e.hold_by, e.hold_at, h.username AS hold_username, h.display_name AS hold_name
  ${CASE_FROM}
  ${USER_JOIN('h', 'e.hold_by')}
  WHERE c.id ${IN_IDS}`;

interface DetailRow extends SummaryRow {
  price: string;
  trade_created_at: string;
  paid_at: string | null;
  disputed_at: string;
  settled_at: string | null;
  settled_by: 'trade.released' | 'trade.cancelled' | null;
  escrow_state: EscrowState;
  escrow_updated_at: string;
  escrow_asset: string;
  escrow_amount_minor: number | bigint;
  hold_reason: string | null;
  hold_by: string | null;
  hold_at: string | null;
  hold_username: string | null;
  hold_name: string | null;
}

/**
 * What took the escrow out of `held`. The exchange's own release or cancel is recorded on the trade with
 * the time it happened there (platform events); any other move of a disputed escrow is a verdict's.
 */
function toSettlement(row: DetailRow): EscrowSettlement | null {
  if (row.escrow_state === 'held') return null;
  if (row.settled_by && row.settled_at) return { cause: row.settled_by, at: row.settled_at };
  return { cause: 'verdict', at: row.escrow_updated_at };
}

function daysBetween(fromIso: string, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - Date.parse(fromIso)) / 86_400_000));
}

/**
 * Runs one batch read over the cases whose ids `caseIds` binds (IN_IDS) and groups its rows by case, in
 * the query's order: the child rows of a case (messages, evidence, alerts, notes) are all read this way.
 */
function readByCase<Row extends { case_id: string }, Item>(
  db: Db,
  sql: string,
  caseIds: string,
  item: (row: Row) => Item,
): Map<string, Item[]> {
  return groupBy(prepared(db, sql).all(caseIds) as Row[], (row) => row.case_id, item);
}

/** Groups rows by a key, keeping the query's order within each group. */
function groupBy<Row, Item>(rows: readonly Row[], key: (row: Row) => string, item: (row: Row) => Item): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(item(row));
    else groups.set(key(row), [item(row)]);
  }
  return groups;
}

interface PartyRow {
  id: string;
  display_name: string;
  kyc_status: Party['kycStatus'];
  country: string;
  account_created_at: string;
  trade_count: number;
  dispute_count: number;
}

export function readParties(db: Db, ids: readonly string[], now: Date): Map<string, Party> {
  const rows = prepared(db, `SELECT * FROM parties WHERE id ${IN_IDS}`).all(JSON.stringify(ids)) as PartyRow[];
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        displayName: row.display_name,
        kycStatus: row.kyc_status,
        country: row.country,
        accountCreatedAt: row.account_created_at,
        accountAgeDays: daysBetween(row.account_created_at, now),
        tradeCount: row.trade_count,
        disputeCount: row.dispute_count,
      },
    ]),
  );
}

interface MessageRow {
  case_id: string;
  id: string;
  sender: Message['sender'];
  author_id: string | null;
  username: string | null;
  display_name: string | null;
  body: string;
  evidence: string;
  at: string;
}

const MESSAGES_BY_CASE = `SELECT m.*, u.username, u.display_name FROM messages m ${USER_JOIN('u', 'm.author_id')}
  WHERE m.case_id ${IN_IDS} ORDER BY m.case_id, m.at, m.id`;

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    sender: row.sender,
    author: userRef(row.author_id, row.username, row.display_name),
    body: row.body,
    at: row.at,
    evidence: JSON.parse(row.evidence) as string[],
  };
}

interface EvidenceRow {
  case_id: string;
  sha256: string;
  kind: Evidence['kind'];
  uploader: Evidence['uploader'];
  file_name: string | null;
  uploaded_at: string;
  mime: string;
  size: number;
}

const EVIDENCE_BY_CASE = `SELECT ce.case_id, ce.sha256, ce.kind, ce.uploader, ce.file_name, ce.uploaded_at, f.mime, f.size
  FROM case_evidence ce JOIN evidence_files f ON f.sha256 = ce.sha256
  WHERE ce.case_id ${IN_IDS} ORDER BY ce.case_id, ce.uploaded_at, ce.sha256`;

function toEvidence(row: EvidenceRow): Evidence {
  return {
    sha256: row.sha256,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    uploader: row.uploader,
    uploadedAt: row.uploaded_at,
    fileName: row.file_name,
  };
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

function toLivenessCheck(row: LivenessRow): LivenessCheck {
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

/** Newest first, then by id: the order a case lists its parties' checks in. */
const newestCheckFirst = (a: LivenessCheck, b: LivenessCheck) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Every check of these parties (onboarding ones and those of any trade), newest first, by party. */
function readLivenessByParty(db: Db, partyIds: readonly string[]): Map<string, LivenessCheck[]> {
  const rows = prepared(
    db,
    `SELECT l.*, u.username, u.display_name FROM liveness_checks l ${USER_JOIN('u', 'l.requested_by')}
     WHERE l.party_id ${IN_IDS} ORDER BY l.created_at DESC, l.id`,
  ).all(JSON.stringify(partyIds)) as LivenessRow[];
  return groupBy(rows, (row) => row.party_id, toLivenessCheck);
}

export interface KytRow {
  id: string;
  case_id: string | null;
  party_id: string;
  rule: string;
  rule_id: string;
  rule_version: number;
  level: KytAlert['level'];
  score: number;
  category: string;
  exposure: KytAlert['exposure'];
  asset: string;
  amount_minor: number | bigint;
  details: string;
  trade_ids: string;
  window_start: string;
  window_end: string;
  status: KytAlert['status'];
  assignee_id: string | null;
  assignee_username: string | null;
  assignee_display_name: string | null;
  reviewer_id: string | null;
  username: string | null;
  display_name: string | null;
  reviewed_at: string | null;
  decision_reason: string | null;
  report_id: string | null;
  created_at: string;
}

export const KYT_SELECT = `SELECT k.*, u.username, u.display_name, a.username AS assignee_username,
    a.display_name AS assignee_display_name, r.id AS report_id
  FROM kyt_alerts k ${USER_JOIN('u', 'k.reviewer_id')} ${USER_JOIN('a', 'k.assignee_id')}
  LEFT JOIN reports r ON r.alert_id = k.id`;

export function toKytAlert(row: KytRow): KytAlert {
  return {
    id: row.id,
    caseId: row.case_id,
    partyId: row.party_id,
    rule: row.rule,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    level: row.level,
    score: row.score,
    category: row.category,
    exposure: row.exposure,
    asset: row.asset,
    amount: assetAmount(row.amount_minor, row.asset),
    details: row.details,
    tradeIds: JSON.parse(row.trade_ids) as string[],
    windowStart: row.window_start,
    windowEnd: row.window_end,
    status: row.status,
    assignee: userRef(row.assignee_id, row.assignee_username, row.assignee_display_name),
    reportId: row.report_id,
    reviewer: userRef(row.reviewer_id, row.username, row.display_name),
    reviewedAt: row.reviewed_at,
    decisionReason: row.decision_reason,
    createdAt: row.created_at,
  };
}

const KYT_ALERTS_BY_CASE = `${KYT_SELECT} WHERE k.case_id ${IN_IDS} ORDER BY k.case_id, k.created_at, k.id`;
/** A row of KYT_ALERTS_BY_CASE: found by its case, so it has one. */
type CaseKytRow = KytRow & { case_id: string };

interface NoteRow {
  case_id: string;
  id: string;
  body: string;
  at: string;
  author_id: string;
  username: string;
  display_name: string;
}

const NOTES_BY_CASE = `SELECT n.case_id, n.id, n.body, n.at, u.id AS author_id, u.username, u.display_name
  FROM notes n JOIN users u ON u.id = n.author_id WHERE n.case_id ${IN_IDS} ORDER BY n.case_id, n.at, n.id`;

function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    author: { id: row.author_id, username: row.username, displayName: row.display_name },
    body: row.body,
    at: row.at,
  };
}

/** A verdicts row with its three people's names (`p_`, `a_`, `r_`), as VERDICT_COLUMNS selects it. */
export interface VerdictRow {
  id: string;
  case_id: string;
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

/** The verdicts table (`v`) with the names of who proposed, approved and rejected: add a WHERE and order. */
export const VERDICT_COLUMNS = `SELECT v.*, p.username AS p_username, p.display_name AS p_name,
            a.username AS a_username, a.display_name AS a_name,
            r.username AS r_username, r.display_name AS r_name
     FROM verdicts v JOIN users p ON p.id = v.proposed_by
     ${USER_JOIN('a', 'v.approved_by')} ${USER_JOIN('r', 'v.rejected_by')}`;

export function toVerdict(row: VerdictRow): Verdict {
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

/** Each case's current verdict: the live one, or else the latest rejected proposal. */
function readVerdicts(db: Db, caseIds: string): Map<string, Verdict> {
  const rows = prepared(
    db,
    `${VERDICT_COLUMNS}
     WHERE v.case_id ${IN_IDS} ORDER BY v.case_id, v.state = 'rejected', v.proposed_at DESC, v.id`,
  ).all(caseIds) as VerdictRow[];
  const verdicts = new Map<string, Verdict>();
  for (const row of rows) {
    if (!verdicts.has(row.case_id)) verdicts.set(row.case_id, toVerdict(row));
  }
  return verdicts;
}

export interface DetailContext {
  now: Date;
  fourEyesThresholdUsd: string;
}

/** A server's detail context: its four-eyes threshold, and account ages as of `now`. */
export const detailContextOf = (
  server: { config: { fourEyesThresholdUsd: string } },
  now: Date,
): DetailContext => ({ now, fourEyesThresholdUsd: server.config.fourEyesThresholdUsd });

/**
 * The details of the given cases, in the order asked; unknown ids are left out. One query per table
 * whatever the number of cases: a single case and a batch of ten thousand take the same path.
 */
export function readCaseDetails(db: Db, caseIds: readonly string[], context: DetailContext): CaseDetail[] {
  if (caseIds.length === 0) return [];
  const ids = JSON.stringify(caseIds);
  const rows = new Map(
    (prepared(db, DETAIL_SELECT).all(ids) as DetailRow[]).map((row) => [row.id, row] as const),
  );
  if (rows.size === 0) return [];
  const partyIds = [...new Set([...rows.values()].flatMap((row) => [row.buyer_id, row.seller_id]))];
  const parties = readParties(db, partyIds, context.now);
  const liveness = readLivenessByParty(db, partyIds);
  const messages = readByCase(db, MESSAGES_BY_CASE, ids, toMessage);
  const evidence = readByCase(db, EVIDENCE_BY_CASE, ids, toEvidence);
  const kytAlerts = readByCase(db, KYT_ALERTS_BY_CASE, ids, (row: CaseKytRow) => toKytAlert(row));
  const notes = readByCase(db, NOTES_BY_CASE, ids, toNote);
  const verdicts = readVerdicts(db, ids);
  const details: CaseDetail[] = [];
  for (const caseId of caseIds) {
    const row = rows.get(caseId);
    if (!row) continue;
    const summary = toSummary(row);
    const holdBy = userRef(row.hold_by, row.hold_username, row.hold_name);
    const checks =
      row.buyer_id === row.seller_id
        ? (liveness.get(row.buyer_id) ?? [])
        : [...(liveness.get(row.buyer_id) ?? []), ...(liveness.get(row.seller_id) ?? [])].sort(newestCheckFirst);
    details.push({
      ...summary,
      reason: row.reason,
      trade: {
        id: row.trade_id,
        asset: summary.asset,
        amount: summary.amount,
        fiatCurrency: summary.fiatCurrency,
        fiatAmount: summary.fiatAmount,
        price: row.price,
        paymentMethod: summary.paymentMethod,
        createdAt: row.trade_created_at,
        paidAt: row.paid_at,
        disputedAt: row.disputed_at,
      },
      escrow: {
        id: row.escrow_id,
        state: row.escrow_state,
        asset: row.escrow_asset,
        amount: assetAmount(row.escrow_amount_minor, row.escrow_asset),
        hold: row.hold_reason && holdBy && row.hold_at ? { reason: row.hold_reason, by: holdBy, at: row.hold_at } : null,
        settlement: toSettlement(row),
      },
      buyer: parties.get(row.buyer_id)!,
      seller: parties.get(row.seller_id)!,
      messages: messages.get(caseId) ?? [],
      evidence: evidence.get(caseId) ?? [],
      liveness: checks,
      kytAlerts: kytAlerts.get(caseId) ?? [],
      notes: notes.get(caseId) ?? [],
      verdict: verdicts.get(caseId) ?? null,
      fourEyes: {
        required: row.four_eyes === 1,
        thresholdUsd: context.fourEyesThresholdUsd,
        usdEquivalent: row.usd_equivalent,
      },
    });
  }
  return details;
}

export function readCaseDetail(db: Db, caseId: string, context: DetailContext): CaseDetail | null {
  return readCaseDetails(db, [caseId], context)[0] ?? null;
}
