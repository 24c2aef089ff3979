// Filing a suspicious activity report (STR) with a `report` decision: everything the report says is read
// and frozen at filing, in the decision's transaction, so the JSON, the PDF and the goAML XML rendered
// later say exactly what the reviewer saw and wrote, whatever happens to the data afterwards.
import { randomUUID } from 'node:crypto';
import { report as reportSchema } from '../../../shared/api/responses';
import type { KytAlert, Report } from '../../../shared/api/types';
import { appendAudit } from '../audit/chain';
import type { ServerContext } from '../context';
import type { AuthUser } from '../http/session';
import { withUsd } from '../kyt/review';
import { readParties } from '../sql/case-detail';
import {
  insertReport,
  readEvidenceOfCases,
  readPartyAlerts,
  readPartyDocumentType,
  readPartyTradesBetween,
  readPartyTradesById,
  type PartyTradeFacts,
} from '../sql/kyt-review';

/** A report lists at most this many trades of the alert's window (the alert's own trades always). */
export const REPORT_TRADE_LIMIT = 1000;

export interface ReportFiling {
  alert: KytAlert;
  reviewer: Pick<AuthUser, 'id' | 'username' | 'displayName'>;
  reason: string;
  narrative: string;
  at: Date;
}

const byTime = (a: PartyTradeFacts, b: PartyTradeFacts) =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The alert's trades and the party's other trades in the alert's window, oldest first. */
function reportedTrades(ctx: ServerContext, alert: KytAlert): PartyTradeFacts[] {
  const flagged = readPartyTradesById(ctx.db, alert.partyId, alert.tradeIds);
  const window = { from: alert.windowStart, to: alert.windowEnd };
  const inWindow = readPartyTradesBetween(ctx.db, alert.partyId, window, REPORT_TRADE_LIMIT);
  const trades = new Map([...flagged, ...inWindow].map((trade) => [trade.id, trade]));
  return [...trades.values()].sort(byTime);
}

/** Builds the report from the store as it stands. Call inside the decision's ctx.write(). */
function composeReport(ctx: ServerContext, id: string, filing: ReportFiling): Report {
  const { alert } = filing;
  const trades = reportedTrades(ctx, alert);
  const times = [alert.windowStart, alert.windowEnd, ...trades.map((trade) => trade.createdAt)].sort();
  const party = readParties(ctx.db, [alert.partyId], filing.at).get(alert.partyId)!;
  const caseIds = [...new Set([alert.caseId, ...trades.map((trade) => trade.caseId)])].filter(
    (caseId): caseId is string => caseId !== null,
  );
  return {
    id,
    code: 'STR',
    alertId: alert.id,
    caseId: alert.caseId,
    createdAt: filing.at.toISOString(),
    createdBy: { id: filing.reviewer.id, username: filing.reviewer.username, displayName: filing.reviewer.displayName },
    reportingEntity: { ...ctx.config.reportingEntity },
    subject: { ...party, documentType: readPartyDocumentType(ctx.db, alert.partyId) },
    activity: { from: times[0]!, to: times.at(-1)! },
    reason: filing.reason,
    narrative: filing.narrative,
    transactions: trades.map((trade) => withUsd(ctx.config, trade)),
    evidence: readEvidenceOfCases(ctx.db, caseIds).map((file) => ({
      sha256: file.sha256,
      caseId: file.caseId,
      kind: file.kind,
      mime: file.mime,
      fileName: file.fileName,
      size: file.size,
    })),
    alerts: readPartyAlerts(ctx.db, alert.partyId).map((partyAlert) => ({
      id: partyAlert.id,
      rule: partyAlert.rule,
      ruleId: partyAlert.ruleId,
      ruleVersion: partyAlert.ruleVersion,
      level: partyAlert.level,
      details: partyAlert.details,
      createdAt: partyAlert.createdAt,
    })),
  };
}

/**
 * Files the report on a `report` decision and audits it (`report.filed`). Call inside the decision's
 * ctx.write(), after the alert was decided: the report and the decision stand or fall together.
 */
export function fileReport(ctx: ServerContext, filing: ReportFiling): Report {
  const id = `STR-${randomUUID()}`;
  // Checked against the contract before it is frozen: a report that could not be read back must not exist.
  const report = reportSchema.parse(composeReport(ctx, id, filing));
  insertReport(ctx.db, {
    id,
    alertId: filing.alert.id,
    partyId: filing.alert.partyId,
    createdBy: filing.reviewer.id,
    createdAt: report.createdAt,
    content: JSON.stringify(report),
  });
  appendAudit(ctx.db, filing.at, {
    actor: filing.reviewer.id,
    action: 'report.filed',
    subject: id,
    data: {
      alertId: filing.alert.id,
      caseId: filing.alert.caseId,
      partyId: filing.alert.partyId,
      transactions: report.transactions.length,
      evidence: report.evidence.length,
    },
  });
  return report;
}
