// Writes a demo plan into the store in one transaction: accounts, evidence files, parties with their
// onboarding checks, the parties' trade history and the risk list, then each dispute through the server's
// own writers (openDispute, recordTrade, settleEscrow, putEvidence, appendAudit and the repositories of
// electron/server/sql). Then the real KYT monitor runs over all of it: the demo's alerts and automatic
// holds are its output, checked against what the plan's stories expect, and compliance's reviews of them
// are applied after. Finally one feed row per finished case.
import { appendAudit, type AuditEvent } from '../server/audit/chain';
import { createParty, openDispute, recordTrade } from '../server/cases/create';
import type { ServerContext } from '../server/context';
import { decideKytAlert } from '../server/kyt/alerts';
import { monitorWithinWrite, type MonitorResult } from '../server/kyt/monitor';
import { putEvidence, attachEvidence } from '../server/evidence/store';
import { recordCaseChanges } from '../server/feed/changes';
import { settleEscrow } from '../server/ledger/escrow';
import { setCaseState } from '../server/sql/cases';
import { alertKeys, insertAddressHop, insertRiskAddress, startAlertReview } from '../server/sql/kyt-monitor';
import { insertLivenessCheck } from '../server/sql/liveness';
import { insertMessage } from '../server/sql/messages';
import { insertNote } from '../server/sql/notes';
import { insertRejectedVerdict, insertVerdict } from '../server/sql/verdicts';
import { createDemoAccounts, demoUserId } from './accounts';
import { partyRecord } from './people';
import type { DemoPlan, DemoUsername, ExpectedAlert, PlannedCase, PlannedCheck, PlannedTrade } from './plan';

export interface DemoCounts {
  cases: number;
  parties: number;
  files: number;
  livenessChecks: number;
  trades: number;
  kytAlerts: number;
  holds: number;
  verdicts: number;
}

interface TimedAuditEvent extends AuditEvent {
  at: Date;
}

const userId = (username: DemoUsername | null) => (username ? demoUserId(username) : null);

function writeCheck(ctx: ServerContext, check: PlannedCheck, sha: (key: string) => string): void {
  insertLivenessCheck(ctx.db, {
    id: check.id,
    partyId: check.partyId,
    caseId: check.caseId,
    trigger: check.trigger,
    status: check.status,
    livenessScore: check.livenessScore,
    faceMatchScore: check.faceMatchScore,
    documentType: check.documentType,
    idPhoto: check.idPhoto ? sha(check.idPhoto) : null,
    frames: check.frames.map(sha),
    errorCode: check.errorCode,
    providerVerificationId: check.providerVerificationId,
    requestedBy: userId(check.requestedBy),
    createdAt: check.createdAt.toISOString(),
    completedAt: check.completedAt?.toISOString() ?? null,
  });
}

/** The case's rows beyond the trade and escrow; returns the audit events its seeded history implies. */
function writeCase(ctx: ServerContext, planned: PlannedCase, sha: (key: string) => string): TimedAuditEvent[] {
  const events: TimedAuditEvent[] = [];
  const buyerReceipts = planned.evidence.filter((item) => item.kind === 'receipt' && item.uploader === 'buyer');
  openDispute(
    ctx,
    {
      ...planned,
      ...planned.instruments,
      caseId: planned.id,
      asset: planned.amounts.asset,
      amount: planned.amounts.amount,
      fiatCurrency: planned.market.currency,
      fiatAmount: planned.amounts.fiatAmount,
      price: planned.amounts.price,
      paymentMethod: planned.market.method,
      receiptSha256s: buyerReceipts.map((item) => sha(item.key)),
    },
    // The monitor runs once over the whole history when everything is written.
    { recordChange: false, monitor: false },
  );
  for (const message of planned.messages) {
    insertMessage(ctx.db, {
      id: message.id,
      caseId: planned.id,
      sender: message.sender,
      authorId: userId(message.author),
      body: message.body,
      evidence: message.evidence.map(sha),
      at: message.at.toISOString(),
    });
    if (message.author) {
      events.push({ at: message.at, actor: demoUserId(message.author), action: 'case.message_sent', subject: planned.id, data: { messageId: message.id } });
    }
  }
  for (const item of planned.evidence) {
    attachEvidence(ctx.db, { caseId: planned.id, sha256: sha(item.key), kind: item.kind, uploader: item.uploader, fileName: item.fileName, at: item.at });
  }
  for (const check of planned.checks) {
    writeCheck(ctx, check, sha);
    if (check.requestedBy) {
      events.push({
        at: check.createdAt,
        actor: demoUserId(check.requestedBy),
        action: 'liveness.requested',
        subject: planned.id,
        data: { checkId: check.id, partyId: check.partyId },
      });
    }
  }
  for (const note of planned.notes) {
    insertNote(ctx.db, { id: note.id, caseId: planned.id, authorId: demoUserId(note.author), body: note.body, at: note.at.toISOString() });
    events.push({ at: note.at, actor: demoUserId(note.author), action: 'case.note_added', subject: planned.id, data: { noteId: note.id } });
  }
  if (planned.assignee && planned.claimedAt) {
    events.push({ at: planned.claimedAt, actor: demoUserId(planned.assignee), action: 'case.claimed', subject: planned.id, data: {} });
  }
  let updatedAt = planned.messages.at(-1)?.at ?? planned.openedAt;
  const verdict = planned.verdict;
  if (verdict) {
    insertVerdict(ctx.db, {
      id: verdict.id,
      caseId: planned.id,
      outcome: verdict.outcome,
      reasonCode: verdict.reasonCode,
      rationale: verdict.rationale,
      state: verdict.state,
      proposedBy: demoUserId(verdict.proposedBy),
      proposedAt: verdict.proposedAt.toISOString(),
      approvedBy: userId(verdict.approvedBy),
      approvedAt: verdict.approvedAt?.toISOString() ?? null,
    });
    for (const earlier of verdict.sentBack) {
      insertRejectedVerdict(ctx.db, {
        id: earlier.id,
        caseId: planned.id,
        outcome: verdict.outcome,
        reasonCode: verdict.reasonCode,
        rationale: verdict.rationale,
        proposedBy: demoUserId(verdict.proposedBy),
        proposedAt: earlier.proposedAt.toISOString(),
        rejectedBy: demoUserId('sofia'),
        rejectedAt: earlier.rejectedAt.toISOString(),
        reason: earlier.reason,
      });
      const proposal = { verdictId: earlier.id, outcome: verdict.outcome, reasonCode: verdict.reasonCode };
      events.push({ at: earlier.proposedAt, actor: demoUserId(verdict.proposedBy), action: 'verdict.proposed', subject: planned.id, data: proposal });
      events.push({ at: earlier.rejectedAt, actor: demoUserId('sofia'), action: 'verdict.rejected', subject: planned.id, data: { verdictId: earlier.id, reason: earlier.reason } });
    }
    const decision = { verdictId: verdict.id, outcome: verdict.outcome, reasonCode: verdict.reasonCode };
    events.push({ at: verdict.proposedAt, actor: demoUserId(verdict.proposedBy), action: 'verdict.proposed', subject: planned.id, data: decision });
    if (verdict.state === 'executed') {
      const executedAt = verdict.approvedAt ?? verdict.proposedAt;
      const settled = settleEscrow(ctx.db, planned.escrowId, verdict.outcome, executedAt);
      if (!settled.moved) throw new Error(`Seed: escrow ${planned.escrowId} did not move (${settled.reason})`);
      if (verdict.approvedBy) {
        events.push({ at: executedAt, actor: demoUserId(verdict.approvedBy), action: 'verdict.approved', subject: planned.id, data: decision });
      }
      events.push({
        at: executedAt,
        actor: demoUserId(verdict.approvedBy ?? verdict.proposedBy),
        action: 'verdict.executed',
        subject: planned.id,
        data: { ...decision, escrowId: planned.escrowId, movementId: settled.movementId },
      });
      if (executedAt > updatedAt) updatedAt = executedAt;
    }
  }
  setCaseState(ctx.db, planned.id, planned.status, userId(planned.assignee), updatedAt.toISOString());
  return events;
}

/** Writes the plan. Call inside ctx.write(); `files` holds the rendered bytes of every key the plan uses. */
export function writeDemoPlan(ctx: ServerContext, plan: DemoPlan, files: ReadonlyMap<string, Buffer>): DemoCounts {
  const now = ctx.now();
  createDemoAccounts(ctx);
  const shas = new Map<string, string>();
  for (const [key, bytes] of files) shas.set(key, putEvidence(ctx.db, bytes, now).sha256);
  const sha = (key: string) => {
    const found = shas.get(key);
    if (!found) throw new Error(`Seed: no rendered file for ${key}`);
    return found;
  };
  for (const party of plan.parties) {
    createParty(ctx, partyRecord(party));
    writeCheck(ctx, party.onboarding, sha);
  }
  for (const entry of plan.riskAddresses) insertRiskAddress(ctx.db, { ...entry, listedAt: entry.listedAt.toISOString() });
  for (const hop of plan.hops) insertAddressHop(ctx.db, hop);
  for (const trade of plan.history) writeHistoryTrade(ctx, trade, sha);
  const events = plan.cases.flatMap((planned) => writeCase(ctx, planned, sha));
  // The seeded history enters the audit chain in the order it happened, then the seeding itself.
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  // Each entry gets its own signed checkpoint, as a live server's write would: a case's dossier then proves
  // its entries with their own checkpoints, not with the rest of the seed in between.
  for (const { at, ...event } of events) {
    appendAudit(ctx.db, at, event);
    ctx.checkpoints.signHead(now);
  }
  const counts = {
    cases: plan.cases.length,
    parties: plan.parties.length,
    files: shas.size,
    livenessChecks: plan.parties.length + plan.cases.reduce((sum, planned) => sum + planned.checks.length, 0),
    trades: plan.cases.length + plan.history.length,
    verdicts: plan.cases.filter((planned) => planned.verdict).length,
  };
  appendAudit(ctx.db, now, { actor: 'system', action: 'seed.demo', subject: 'demo', data: { ...counts } });
  // The cases' feed rows come below, once compliance's reviews are in: one complete row per case.
  const monitored = monitorWithinWrite(ctx, { recordFeed: false });
  checkMonitorAgainstPlan(ctx, plan, monitored);
  applyReviews(ctx, plan.cases.flatMap((planned) => planned.expectedAlerts));
  // Only now is every case complete (later cases add checks to parties of earlier ones): one feed row each.
  recordCaseChanges(
    ctx,
    plan.cases.map((planned) => planned.id),
    { bumpVersion: false },
  );
  return { ...counts, kytAlerts: monitored.raised.length, holds: monitored.heldCases.length };
}

function writeHistoryTrade(ctx: ServerContext, trade: PlannedTrade, sha: (key: string) => string): void {
  recordTrade(
    ctx,
    {
      ...trade,
      tradeId: trade.id,
      asset: trade.amounts.asset,
      amount: trade.amounts.amount,
      fiatCurrency: trade.market.currency,
      fiatAmount: trade.amounts.fiatAmount,
      price: trade.amounts.price,
      paymentMethod: trade.market.method,
      tradeCreatedAt: trade.at,
      paidAt: new Date(trade.at.getTime() + 6 * 60_000),
      receiptSha256s: trade.receipts.map(sha),
    },
    { monitor: false },
  );
}

const alertKey = (alert: { caseId: string | null; partyId: string; ruleId: string; level: string }) =>
  `${alert.caseId ?? '-'} ${alert.partyId} ${alert.ruleId} ${alert.level}`;

/**
 * The plan's stories say which alerts the engine must raise and which escrows it must hold. A difference
 * means a rule or a story changed: the seed stops rather than show a demo that tells another story.
 */
function checkMonitorAgainstPlan(ctx: ServerContext, plan: DemoPlan, monitored: MonitorResult): void {
  const expected = [...plan.cases.flatMap((planned) => planned.expectedAlerts), ...plan.unlinkedAlerts].map(alertKey).sort();
  const raised = alertKeys(ctx.db).map(alertKey).sort();
  const missing = expected.filter((key) => !raised.includes(key));
  const unexpected = raised.filter((key) => !expected.includes(key));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new Error(`Seed: the KYT monitor's alerts differ from the plan; missing [${missing.join('; ')}], unexpected [${unexpected.join('; ')}]`);
  }
  const held = plan.cases.filter((planned) => planned.expectHold).map((planned) => planned.id).sort();
  if (JSON.stringify([...monitored.heldCases].sort()) !== JSON.stringify(held)) {
    throw new Error(`Seed: the KYT monitor held ${monitored.heldCases.join(', ')}; the plan expects ${held.join(', ')}`);
  }
}

/** Compliance's work on the raised alerts since the run: Carla took some into review and decided others. */
function applyReviews(ctx: ServerContext, expected: readonly ExpectedAlert[]): void {
  const now = ctx.now();
  const carla = demoUserId('carla');
  const stored = alertKeys(ctx.db);
  for (const alert of expected) {
    if (alert.status === 'open') continue;
    const { id } = stored.find((candidate) => alertKey(candidate) === alertKey(alert))!;
    const data = { caseId: alert.caseId, partyId: alert.partyId };
    if (alert.status === 'in_review') {
      if (!startAlertReview(ctx.db, id, carla, now.toISOString())) throw new Error(`Seed: alert ${id} is not open`);
      appendAudit(ctx.db, now, { actor: carla, action: 'kyt_alert.assigned', subject: id, data: { ...data, assigneeId: carla } });
      continue;
    }
    const reason = alert.decisionReason ?? 'Reviewed.';
    const decision = alert.status === 'escalated' ? 'escalate' : 'dismiss';
    const result = decideKytAlert(ctx.db, { alertId: id, decision, reason, reviewerId: carla, at: now });
    if (result !== 'decided') throw new Error(`Seed: alert ${id} could not be decided (${result})`);
    appendAudit(ctx.db, now, { actor: carla, action: `kyt_alert.${alert.status}`, subject: id, data: { ...data, decision, reason } });
  }
}
