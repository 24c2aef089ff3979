// Writes a demo plan into the store in one transaction: accounts, evidence files, parties with their
// onboarding checks, then each dispute through the server's own writers (openDispute, settleEscrow,
// putEvidence, appendAudit and the repositories of electron/server/sql), and finally one feed row per
// finished case.
import { appendAudit, type AuditEvent } from '../server/audit/chain';
import { createParty, openDispute } from '../server/cases/create';
import type { ServerContext } from '../server/context';
import { putEvidence, attachEvidence } from '../server/evidence/store';
import { recordCaseChanges } from '../server/feed/changes';
import { settleEscrow } from '../server/ledger/escrow';
import { setCaseState } from '../server/sql/cases';
import { holdEscrow } from '../server/sql/escrow';
import { insertKytAlert } from '../server/sql/kyt';
import { insertLivenessCheck } from '../server/sql/liveness';
import { insertMessage } from '../server/sql/messages';
import { insertNote } from '../server/sql/notes';
import { insertVerdict } from '../server/sql/verdicts';
import { createDemoAccounts, demoUserId } from './accounts';
import { partyRecord } from './people';
import type { DemoPlan, DemoUsername, PlannedCase, PlannedCheck } from './plan';

export interface DemoCounts {
  cases: number;
  parties: number;
  files: number;
  livenessChecks: number;
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
  openDispute(
    ctx,
    {
      ...planned,
      caseId: planned.id,
      asset: planned.amounts.asset,
      amount: planned.amounts.amount,
      fiatCurrency: planned.market.currency,
      fiatAmount: planned.amounts.fiatAmount,
      price: planned.amounts.price,
      paymentMethod: planned.market.method,
    },
    { recordChange: false },
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
  for (const alert of planned.alerts) {
    insertKytAlert(ctx.db, {
      ...alert,
      caseId: planned.id,
      asset: planned.amounts.asset,
      amountMinor: planned.amounts.amountMinor,
      reviewerId: userId(alert.reviewer),
      reviewedAt: alert.reviewedAt?.toISOString() ?? null,
      createdAt: alert.createdAt.toISOString(),
    });
    if (alert.reviewer && alert.reviewedAt) {
      events.push({
        at: alert.reviewedAt,
        actor: demoUserId(alert.reviewer),
        action: 'kyt.alert_decided',
        subject: alert.id,
        data: { caseId: planned.id, status: alert.status, reason: alert.decisionReason },
      });
    }
  }
  if (planned.hold) {
    const hold = { reason: planned.hold.reason, by: demoUserId(planned.hold.by), at: planned.hold.at.toISOString() };
    if (!holdEscrow(ctx.db, planned.escrowId, hold)) throw new Error(`Seed: escrow ${planned.escrowId} could not be held`);
    events.push({
      at: planned.hold.at,
      actor: demoUserId(planned.hold.by),
      action: 'escrow.hold_placed',
      subject: planned.id,
      data: { escrowId: planned.escrowId, reason: planned.hold.reason },
    });
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
  const events = plan.cases.flatMap((planned) => writeCase(ctx, planned, sha));
  // The seeded history enters the audit chain in the order it happened, then the seeding itself.
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const { at, ...event } of events) appendAudit(ctx.db, at, event);
  const counts: DemoCounts = {
    cases: plan.cases.length,
    parties: plan.parties.length,
    files: shas.size,
    livenessChecks: plan.parties.length + plan.cases.reduce((sum, planned) => sum + planned.checks.length, 0),
    kytAlerts: plan.cases.reduce((sum, planned) => sum + planned.alerts.length, 0),
    holds: plan.cases.filter((planned) => planned.hold).length,
    verdicts: plan.cases.filter((planned) => planned.verdict).length,
  };
  appendAudit(ctx.db, now, { actor: 'system', action: 'seed.demo', subject: 'demo', data: { ...counts } });
  // Only now is every case complete (later cases add checks to parties of earlier ones): one feed row each.
  recordCaseChanges(
    ctx,
    plan.cases.map((planned) => planned.id),
    { bumpVersion: false },
  );
  return counts;
}
