// The case detail (DESIGN §2) as JSON made by SQLite itself: one statement per batch of cases, each case's
// detail built with json_object and jsonb_group_array from its tables, and handed back as UTF-8 bytes. The
// feed serves its pages from these bytes as they are (feed/changes.ts): no row becomes a JavaScript object
// and no object is serialised again, which is most of what a page of 500 cases cost the server (issue #13).
//
// It says what readCaseDetails in case-detail.ts says, field for field and in the same order: a test holds
// the two to the same details over every case of a seeded store (tests/server/case-detail-json.test.ts).
// A change to the detail's shape is made in both.
import { ASSET_DECIMALS, FIAT_DECIMALS, InvalidAmountError } from '../../../shared/domain/money';
import type { Db } from '../db/open';
import type { DetailContext } from './case-detail';
import { prepared } from './statements';

/**
 * `minor` (an integer column) as a decimal string with `decimals` places, `scale` being 10^decimals, as
 * fromMinorUnits prints it.
 */
const decimalOf = (minor: string, decimals: string, scale: string) =>
  `(CASE WHEN ${minor} < 0 THEN '-' ELSE '' END || (abs(${minor}) / ${scale})
    || CASE WHEN ${decimals} > 0
         THEN '.' || substr('000000000000000000' || (abs(${minor}) % ${scale}), -${decimals}) ELSE '' END)`;

/**
 * What ASSET_DECIMALS says of the asset in `column` (`of` picks the figure); NULL for any other asset, which
 * the statement reports in its `unknown_asset` column (readCaseDetailJson then throws, as assetDecimals does).
 */
const byAsset = (column: string, of: (decimals: number) => string) =>
  `(CASE ${column} ${Object.entries(ASSET_DECIMALS)
    .map(([asset, decimals]) => `WHEN '${asset}' THEN ${of(decimals)}`)
    .join(' ')} END)`;

const assetAmount = (minor: string, asset: string) =>
  decimalOf(minor, byAsset(asset, String), byAsset(asset, (decimals) => String(10 ** decimals)));
/** The assets ASSET_DECIMALS knows, as an SQL list. */
const KNOWN_ASSETS = `(${Object.keys(ASSET_DECIMALS)
  .map((asset) => `'${asset}'`)
  .join(', ')})`;

const fiatAmount = (minor: string) => decimalOf(minor, String(FIAT_DECIMALS), String(10 ** FIAT_DECIMALS));

/** JSON true or false from an SQL condition. */
const bool = (condition: string) => `iif(${condition}, json('true'), json('false'))`;

/** A UserRef of the user whose columns these are (`alias.id`, `.username`, `.display_name` unless named). */
const userObject = (alias: string, id = `${alias}.id`) =>
  `jsonb_object('id', ${id}, 'username', ${alias}.username, 'displayName', ${alias}.display_name)`;

/** Whether all three of a UserRef's fields are non-empty, as userRef in case-detail.ts asks. */
const isUserRef = (alias: string, id = `${alias}.id`) =>
  `${id} <> '' AND ${alias}.username <> '' AND ${alias}.display_name <> ''`;

/** A UserRef, or null unless all three fields are non-empty (userRef in case-detail.ts). */
const userRef = (alias: string, id = `${alias}.id`) =>
  `CASE WHEN ${isUserRef(alias, id)} THEN ${userObject(alias, id)} END`;

/** Milliseconds since the epoch of an ISO time, as Date.parse reads it (to the millisecond). */
const epochMs = (iso: string) => `CAST(round(unixepoch(${iso}, 'subsec') * 1000) AS INTEGER)`;

const party = (alias: string) => `jsonb_object(
    'id', ${alias}.id, 'displayName', ${alias}.display_name, 'kycStatus', ${alias}.kyc_status,
    'country', ${alias}.country, 'accountCreatedAt', ${alias}.account_created_at,
    'accountAgeDays', max(0, (CAST(@nowMs AS INTEGER) - ${epochMs(`${alias}.account_created_at`)}) / 86400000),
    'tradeCount', ${alias}.trade_count, 'disputeCount', ${alias}.dispute_count)`;

const MESSAGES = `(SELECT jsonb_group_array(jsonb_object(
      'id', m.id, 'sender', m.sender, 'author', ${userRef('mu', 'm.author_id')},
      'body', m.body, 'at', m.at, 'evidence', jsonb(m.evidence)) ORDER BY m.at, m.id)
    FROM messages m LEFT JOIN users mu ON mu.id = m.author_id WHERE m.case_id = c.id)`;

const EVIDENCE = `(SELECT jsonb_group_array(jsonb_object(
      'sha256', ce.sha256, 'kind', ce.kind, 'mime', f.mime, 'size', f.size, 'uploader', ce.uploader,
      'uploadedAt', ce.uploaded_at, 'fileName', ce.file_name) ORDER BY ce.uploaded_at, ce.sha256)
    FROM case_evidence ce JOIN evidence_files f ON f.sha256 = ce.sha256 WHERE ce.case_id = c.id)`;

/** Every check of the case's parties, onboarding ones and those of any trade, newest first, then by id. */
const LIVENESS = `(SELECT jsonb_group_array(jsonb_object(
      'id', l.id, 'partyId', l.party_id, 'caseId', l.case_id, 'trigger', l.trigger, 'status', l.status,
      'livenessScore', l.liveness_score, 'faceMatchScore', l.face_match_score, 'documentType', l.document_type,
      'idPhoto', l.id_photo, 'frames', jsonb(l.frames), 'errorCode', l.error_code, 'provider', 'metamap',
      'providerVerificationId', l.provider_verification_id,
      'requestedBy', ${userRef('lu', 'l.requested_by')},
      'createdAt', l.created_at, 'completedAt', l.completed_at) ORDER BY l.created_at DESC, l.id)
    FROM liveness_checks l LEFT JOIN users lu ON lu.id = l.requested_by
    WHERE l.party_id IN (t.buyer_id, t.seller_id))`;

const KYT_ALERTS = `(SELECT jsonb_group_array(jsonb_object(
      'id', k.id, 'caseId', k.case_id, 'partyId', k.party_id, 'rule', k.rule, 'ruleId', k.rule_id,
      'ruleVersion', k.rule_version, 'level', k.level, 'score', k.score, 'category', k.category,
      'exposure', k.exposure, 'asset', k.asset, 'amount', ${assetAmount('k.amount_minor', 'k.asset')},
      'details', k.details, 'tradeIds', jsonb(k.trade_ids), 'windowStart', k.window_start,
      'windowEnd', k.window_end, 'status', k.status,
      'assignee', ${userRef('ka', 'k.assignee_id')}, 'reportId', r.id,
      'reviewer', ${userRef('kr', 'k.reviewer_id')}, 'reviewedAt', k.reviewed_at,
      'decisionReason', k.decision_reason, 'createdAt', k.created_at) ORDER BY k.created_at, k.id)
    FROM kyt_alerts k LEFT JOIN users kr ON kr.id = k.reviewer_id LEFT JOIN users ka ON ka.id = k.assignee_id
    LEFT JOIN reports r ON r.alert_id = k.id WHERE k.case_id = c.id)`;

const NOTES = `(SELECT jsonb_group_array(jsonb_object(
      'id', n.id, 'author', ${userObject('nu')},
      'body', n.body, 'at', n.at) ORDER BY n.at, n.id)
    FROM notes n JOIN users nu ON nu.id = n.author_id WHERE n.case_id = c.id)`;

/** The case's current verdict: the live one, or else the latest rejected proposal. */
const VERDICT = `(SELECT jsonb_object(
      'outcome', v.outcome, 'reasonCode', v.reason_code, 'rationale', v.rationale, 'state', v.state,
      'proposedBy', ${userObject('p', 'v.proposed_by')},
      'proposedAt', v.proposed_at,
      'approvedBy', ${userRef('a', 'v.approved_by')}, 'approvedAt', v.approved_at,
      'rejectedBy', ${userRef('rj', 'v.rejected_by')}, 'rejectedAt', v.rejected_at,
      'rejectReason', v.reject_reason)
    FROM verdicts v JOIN users p ON p.id = v.proposed_by LEFT JOIN users a ON a.id = v.approved_by
    LEFT JOIN users rj ON rj.id = v.rejected_by
    WHERE v.case_id = c.id ORDER BY v.state = 'rejected', v.proposed_at DESC, v.id LIMIT 1)`;

const summaryFields = `'id', c.id, 'status', c.status, 'version', c.version, 'openedAt', c.opened_at,
    'slaDueAt', c.sla_due_at, 'asset', t.asset, 'amount', ${assetAmount('t.amount_minor', 't.asset')},
    'fiatCurrency', t.fiat_currency, 'fiatAmount', ${fiatAmount('t.fiat_amount_minor')},
    'paymentMethod', t.payment_method`;

export const DETAIL_JSON = `
  SELECT c.id, CAST(json_object(${summaryFields},
    'buyer', ${party('b')}, 'seller', ${party('s')},
    'assignee', ${userRef('u')},
    'flags', jsonb_object(
      'kyt', ${bool(`EXISTS (SELECT 1 FROM kyt_alerts kf WHERE kf.case_id = c.id AND kf.status <> 'dismissed')`)},
      'livenessFailed', ${bool(`EXISTS (SELECT 1 FROM liveness_checks lf WHERE lf.case_id = c.id AND lf.status = 'rejected')`)},
      'fourEyes', ${bool('c.four_eyes = 1')}, 'onHold', ${bool('e.hold_reason IS NOT NULL')}),
    'reason', c.reason,
    'trade', jsonb_object('id', t.id, 'asset', t.asset, 'amount', ${assetAmount('t.amount_minor', 't.asset')},
      'fiatCurrency', t.fiat_currency, 'fiatAmount', ${fiatAmount('t.fiat_amount_minor')}, 'price', t.price,
      'paymentMethod', t.payment_method, 'createdAt', t.created_at, 'paidAt', t.paid_at,
      'disputedAt', t.disputed_at),
    'escrow', jsonb_object('id', c.escrow_id, 'state', e.state, 'asset', e.asset,
      'amount', ${assetAmount('e.amount_minor', 'e.asset')},
      'hold', CASE WHEN e.hold_reason <> '' AND e.hold_at <> '' AND ${isUserRef('h')}
                   THEN jsonb_object('reason', e.hold_reason, 'by', ${userObject('h')}, 'at', e.hold_at) END,
      'settlement', CASE WHEN e.state = 'held' THEN NULL
                         WHEN t.settled_by <> '' AND t.settled_at <> ''
                           THEN jsonb_object('cause', t.settled_by, 'at', t.settled_at)
                         ELSE jsonb_object('cause', 'verdict', 'at', e.updated_at) END),
    'messages', ${MESSAGES}, 'evidence', ${EVIDENCE}, 'liveness', ${LIVENESS}, 'kytAlerts', ${KYT_ALERTS},
    'notes', ${NOTES}, 'verdict', ${VERDICT},
    'fourEyes', jsonb_object('required', ${bool('c.four_eyes = 1')}, 'thresholdUsd', @thresholdUsd,
      'usdEquivalent', c.usd_equivalent)) AS BLOB) AS json,
    NOT (t.asset IN ${KNOWN_ASSETS} AND e.asset IN ${KNOWN_ASSETS} AND NOT EXISTS (
      SELECT 1 FROM kyt_alerts ku WHERE ku.case_id = c.id AND ku.asset NOT IN ${KNOWN_ASSETS})) AS unknown_asset
  FROM cases c
  JOIN trades t ON t.id = c.trade_id
  JOIN parties b ON b.id = t.buyer_id
  JOIN parties s ON s.id = t.seller_id
  JOIN escrows e ON e.id = c.escrow_id
  LEFT JOIN users u ON u.id = c.assignee_id
  LEFT JOIN users h ON h.id = e.hold_by
  WHERE c.id IN (SELECT value FROM json_each(@ids))`;

/**
 * Each case's detail as the UTF-8 bytes of its JSON, by id; unknown ids are left out. One statement whatever
 * the number of cases, the account ages as of `context.now`. An amount in an asset ASSET_DECIMALS does not
 * know throws InvalidAmountError, as readCaseDetails does.
 */
export function readCaseDetailJson(
  db: Db,
  caseIds: readonly string[],
  context: DetailContext,
): Map<string, Buffer> {
  if (caseIds.length === 0) return new Map();
  const rows = prepared(db, DETAIL_JSON).all({
    ids: JSON.stringify(caseIds),
    nowMs: context.now.getTime(),
    thresholdUsd: context.fourEyesThresholdUsd,
  }) as { id: string; json: Buffer; unknown_asset: number }[];
  const unreadable = rows.find((row) => row.unknown_asset === 1);
  if (unreadable) throw new InvalidAmountError(`Case ${unreadable.id} has an amount in an unknown asset`);
  return new Map(rows.map((row) => [row.id, row.json]));
}
