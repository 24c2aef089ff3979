// dispute.opened: the buyer or the seller disputes the trade. The case opens on the trade's existing
// escrow, which from then on only a verdict moves (settlement.ts). The chat and the receipts the exchange
// sent before are copied into the case, so the agent sees the whole conversation, and the Proofs of Life it
// asked for on the trade join the case; then the desks are told
// and transaction monitoring runs over the trade's parties, as for any new case.
import type { z } from 'zod';
import type { disputeOpenedData } from '../../../shared/api/platform-events';
import { FIAT_DECIMALS, fromMinorUnits } from '../../../shared/domain/money';
import { openCase } from '../cases/create';
import { usdEquivalent, requiresFourEyes } from '../cases/usd';
import { attachEvidence } from '../evidence/store';
import { recordCaseChange } from '../feed/changes';
import { appendAudit } from '../audit/chain';
import { monitorNewTrades } from '../kyt/monitor';
import { linkTradeChecksToCase } from '../sql/liveness';
import { insertMessage } from '../sql/messages';
import {
  countPartyTrade,
  markTradeDisputed,
  readTradeMessages,
  readTradeReceipts,
  tradeOfCase,
  type PlatformTrade,
} from '../sql/platform-events';
import { tradeAlreadySettled, tradeConflict } from './errors';
import {
  applied,
  PLATFORM_USER_ID,
  refused,
  requireTrade,
  unchanged,
  type EventInput,
  type EventResult,
} from './event-context';

type DisputeOpened = z.infer<typeof disputeOpenedData>;

const HOUR_MS = 3_600_000;
export const caseIdOf = (tradeId: string) => `DSP-${tradeId}`;
/**
 * The chat line of a trade in its case; unique because a trade's message ids are. The exchange's ids
 * never hold `:` (nor do the seed's or the platform's own message ids), so no other pair of trade and
 * message ids gives the same one (with `-`, trade `T1` line `x-1` and trade `T1-x` line `1` would).
 */
export const caseMessageId = (tradeId: string, messageId: string) => `MSG-${tradeId}:${messageId}`;

/** The SLA window from the dispute's opening on the exchange: longer for cases that need four eyes. */
function slaDueAt(input: EventInput, trade: PlatformTrade): Date {
  const { config } = input.ctx;
  const fourEyes = requiresFourEyes(config, usdEquivalent(config, trade.fiatCurrency, fiatAmountOf(trade)));
  const hours = fourEyes ? config.fourEyesDisputeSlaHours : config.disputeSlaHours;
  return new Date(new Date(input.at).getTime() + hours * HOUR_MS);
}

const fiatAmountOf = (trade: PlatformTrade) => fromMinorUnits(trade.fiatAmountMinor, FIAT_DECIMALS);

/** What the trade gathered before it had a case: its chat lines and its receipts. */
function copyTradeHistory(input: EventInput, tradeId: string, caseId: string): void {
  const { db } = input.ctx;
  for (const line of readTradeMessages(db, tradeId)) {
    insertMessage(db, {
      id: caseMessageId(tradeId, line.messageId),
      caseId,
      sender: line.sender,
      authorId: null,
      body: line.body,
      evidence: line.evidence,
      at: line.at,
    });
  }
  for (const receipt of readTradeReceipts(db, tradeId)) {
    attachEvidence(db, {
      caseId,
      sha256: receipt.sha256,
      kind: 'receipt',
      uploader: receipt.uploadedBy,
      fileName: receipt.fileName,
      at: new Date(receipt.at),
    });
  }
}

export function applyDisputeOpened(input: EventInput, dispute: DisputeOpened): EventResult {
  const { ctx } = input;
  const trade = requireTrade(input, dispute.tradeId);
  if (trade.caseId) return unchanged(trade.caseId);
  // The escrow moved already (a release or cancel the exchange sent earlier): no case can move it back.
  if (trade.escrowState !== 'held') return refused(tradeAlreadySettled(trade.escrowState, trade.settledAt));
  const caseId = caseIdOf(trade.id);
  // trade.opened made sure the id was free; something else may have taken it since (a seed run later).
  const caseHolder = tradeOfCase(ctx.db, caseId);
  if (caseHolder !== null) throw tradeConflict(`data.tradeId: case ${caseId} belongs to trade ${caseHolder}.`);
  markTradeDisputed(ctx.db, trade.id, input.at);
  openCase(
    ctx,
    {
      caseId,
      tradeId: trade.id,
      escrowId: trade.escrowId,
      fiatCurrency: trade.fiatCurrency,
      fiatAmount: fiatAmountOf(trade),
      openedAt: new Date(input.at),
      slaDueAt: slaDueAt(input, trade),
      reason: dispute.reason,
      openedBy: dispute.openedBy,
    },
    // The first feed row is recorded below, once the case holds the trade's history.
    { recordChange: false, monitor: false },
  );
  copyTradeHistory(input, trade.id, caseId);
  // Proofs of Life the exchange asked for before the dispute are this case's: the agent judges them here.
  const livenessChecks = linkTradeChecksToCase(ctx.db, trade.id, caseId);
  countPartyTrade(ctx.db, [trade.buyerId, trade.sellerId], 'dispute_count');
  appendAudit(ctx.db, input.now, {
    actor: PLATFORM_USER_ID,
    action: 'case.opened',
    subject: caseId,
    data: {
      eventId: input.eventId,
      tradeId: trade.id,
      escrowId: trade.escrowId,
      openedBy: dispute.openedBy,
      reason: dispute.reason,
      occurredAt: input.at,
      ...(livenessChecks.length > 0 ? { livenessChecks } : {}),
    },
  });
  recordCaseChange(ctx, caseId, { bumpVersion: false });
  monitorNewTrades(ctx, [trade.id]);
  return applied(caseId);
}
