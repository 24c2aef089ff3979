// trade.message and trade.receipt: what the buyer and the seller say and show each other. Before a dispute
// there is no case: lines and receipts are kept per trade, and copied into the case when one opens
// (dispute-opened.ts). Once the case exists they go straight into it as a change, so agents see them live.
import type { z } from 'zod';
import type { tradeMessageData, tradeReceiptData } from '../../../shared/api/platform-events';
import { attachEvidence, putEvidence } from '../evidence/store';
import { sniffMime } from '../evidence/sniff';
import { invalidRequest } from '../errors';
import { monitorNewTrades } from '../kyt/monitor';
import { insertMessage } from '../sql/messages';
import { insertTradeMessage, insertTradeReceipt } from '../sql/platform-events';
import { caseMessageId } from './dispute-opened';
import { applied, recordEventChange, requireTrade, unchanged, type EventInput, type EventResult } from './event-context';

type TradeMessage = z.infer<typeof tradeMessageData>;
type TradeReceipt = z.infer<typeof tradeReceiptData>;

export function applyTradeMessage(input: EventInput, message: TradeMessage): EventResult {
  const { db } = input.ctx;
  const trade = requireTrade(input, message.tradeId);
  const line = {
    tradeId: trade.id,
    messageId: message.messageId,
    sender: message.sender,
    body: message.body,
    evidence: message.evidence ?? [],
    at: input.at,
  };
  // The exchange's message id says whether this line is new: the same line sent twice is one line.
  if (!insertTradeMessage(db, line)) return unchanged(trade.caseId);
  if (trade.caseId) {
    insertMessage(db, { ...line, id: caseMessageId(trade.id, message.messageId), caseId: trade.caseId, authorId: null });
  }
  recordEventChange(input, trade, 'message.received', { messageId: message.messageId, sender: message.sender });
  return applied(trade.caseId);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The receipt's bytes; strict base64, because Node's decoder skips what it does not understand. */
function receiptBytes(receipt: TradeReceipt): Buffer {
  if (!BASE64.test(receipt.contentBase64)) throw invalidRequest('data.contentBase64: not base64');
  const bytes = Buffer.from(receipt.contentBase64, 'base64');
  if (!sniffMime(bytes)) {
    throw invalidRequest('data.contentBase64: not a PNG, JPEG, WebP, PDF, MP4 or WebM file');
  }
  return bytes;
}

export function applyTradeReceipt(input: EventInput, receipt: TradeReceipt): EventResult {
  const { ctx } = input;
  const bytes = receiptBytes(receipt);
  const trade = requireTrade(input, receipt.tradeId);
  const stored = putEvidence(ctx.db, bytes, input.now);
  const fileName = receipt.fileName || null;
  const row = { tradeId: trade.id, sha256: stored.sha256, uploadedBy: receipt.uploadedBy, fileName, at: input.at };
  if (!insertTradeReceipt(ctx.db, row)) return unchanged(trade.caseId);
  if (trade.caseId) {
    attachEvidence(ctx.db, {
      caseId: trade.caseId,
      sha256: stored.sha256,
      kind: 'receipt',
      uploader: receipt.uploadedBy,
      fileName,
      at: new Date(input.at),
    });
  }
  recordEventChange(input, trade, 'evidence.received', {
    sha256: stored.sha256,
    mime: stored.mime,
    size: stored.size,
    uploadedBy: receipt.uploadedBy,
  });
  // A receipt is an instrument transaction monitoring follows: the same file given for two trades is a rule.
  monitorNewTrades(ctx, [trade.id]);
  return applied(trade.caseId);
}
