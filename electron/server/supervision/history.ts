// The verdict history's rows as the API gives them, and its opaque keyset cursor.
import { z } from 'zod';
import type { VerdictRecord } from '../../../shared/api/types';
import { invalidRequest } from '../errors';
import { assetAmount, fiatAmount } from '../sql/case-detail';
import type { HistoryRow } from '../sql/verdict-history';

export function toVerdictRecord(row: HistoryRow): VerdictRecord {
  const seconds = Math.round((Date.parse(row.decidedAt) - Date.parse(row.openedAt)) / 1000);
  return {
    caseId: row.caseId,
    agent: { id: row.agentId, username: row.agentUsername, displayName: row.agentName },
    outcome: row.outcome,
    reasonCode: row.reasonCode,
    asset: row.asset,
    amount: assetAmount(row.amountMinor, row.asset),
    fiatCurrency: row.fiatCurrency,
    fiatAmount: fiatAmount(row.fiatAmountMinor),
    openedAt: row.openedAt,
    decidedAt: row.decidedAt,
    // A clock skew between the case's opening and its verdict must not make a negative duration.
    timeToResolveSeconds: Math.max(0, seconds),
    approver:
      row.approverId && row.approverUsername && row.approverName
        ? { id: row.approverId, username: row.approverUsername, displayName: row.approverName }
        : null,
    sentBackCount: row.sentBackCount,
  };
}

const cursorShape = z.tuple([z.string().min(1).max(64), z.string().min(1).max(128)]);

/** The (decidedAt, caseId) of a page's last row, as base64url JSON. */
export function encodeHistoryCursor(record: Pick<VerdictRecord, 'decidedAt' | 'caseId'>): string {
  return Buffer.from(JSON.stringify([record.decidedAt, record.caseId])).toString('base64url');
}

export function decodeHistoryCursor(cursor: string): { decidedAt: string; caseId: string } {
  try {
    const [decidedAt, caseId] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { decidedAt, caseId };
  } catch {
    throw invalidRequest('cursor: not a cursor this server handed out.');
  }
}
