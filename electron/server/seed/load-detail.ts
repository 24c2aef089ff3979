// The feed row of a generated load case, built from the rows the seed writes instead of read back from
// the store: reading 100,000 cases back one by one would cost most of the one-minute budget. It must be
// exactly what readCaseDetail returns for the case (same fields, same order, same values): the seed
// tests compare the two for a sample. Load cases are open, unassigned, unflagged and have no notes,
// verdict or trade checks; their parties' only checks are their onboarding ones.
import type { CaseDetail, Evidence, LivenessCheck, Party } from '../../../shared/api/types';
import type { MessageSender } from '../../../shared/domain/dispute';
import { assetAmount, fiatAmount, type DetailContext } from '../cases/detail';
import type { LoadParty } from './load-world';

export interface LoadCaseRows {
  id: string;
  tradeId: string;
  escrowId: string;
  buyer: LoadParty;
  seller: LoadParty;
  asset: string;
  amountMinor: bigint;
  fiatCurrency: string;
  fiatMinor: bigint;
  price: string;
  paymentMethod: string;
  tradeCreatedAt: string;
  paidAt: string;
  openedAt: string;
  slaDueAt: string;
  reason: string;
  openedBy: 'buyer' | 'seller';
  fourEyes: boolean;
  usdEquivalent: string;
  messages: { id: string; sender: MessageSender; body: string; at: string; evidence: string[] }[];
  /** In upload order; the detail lists them by time, then sha256. */
  evidence: Evidence[];
}

const DAY_MS = 86_400_000;

function party(row: LoadParty, now: Date): Party {
  return {
    id: row.id,
    displayName: row.person.displayName,
    kycStatus: row.kycStatus,
    country: row.person.country,
    accountCreatedAt: row.accountCreatedAt,
    accountAgeDays: Math.max(0, Math.floor((now.getTime() - Date.parse(row.accountCreatedAt)) / DAY_MS)),
    tradeCount: row.tradeCount,
    disputeCount: row.disputeCount,
  };
}

function onboardingCheck(row: LoadParty): LivenessCheck {
  return {
    id: row.check.id,
    partyId: row.id,
    caseId: null,
    trigger: 'onboarding',
    status: row.check.status,
    livenessScore: row.check.livenessScore,
    faceMatchScore: row.check.faceMatchScore,
    documentType: row.person.documentType,
    idPhoto: row.check.idPhoto,
    frames: [row.check.frame],
    errorCode: null,
    provider: 'metamap',
    providerVerificationId: row.check.providerVerificationId,
    requestedBy: null,
    createdAt: row.check.createdAt,
    completedAt: row.check.completedAt,
  };
}

const byKeys = <T>(...keys: ((item: T) => string)[]) => (a: T, b: T) => {
  for (const key of keys) {
    const [x, y] = [key(a), key(b)];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

export function loadCaseDetail(rows: LoadCaseRows, context: DetailContext): CaseDetail {
  const amount = assetAmount(rows.amountMinor, rows.asset);
  const fiat = fiatAmount(rows.fiatMinor);
  // Both parties' checks, newest first, as readLiveness orders them (created_at DESC, id).
  const liveness = [onboardingCheck(rows.buyer), onboardingCheck(rows.seller)].sort((a, b) =>
    a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? -1 : 1,
  );
  return {
    id: rows.id,
    status: 'open',
    version: 1,
    openedAt: rows.openedAt,
    slaDueAt: rows.slaDueAt,
    asset: rows.asset,
    amount,
    fiatCurrency: rows.fiatCurrency,
    fiatAmount: fiat,
    paymentMethod: rows.paymentMethod,
    buyer: party(rows.buyer, context.now),
    seller: party(rows.seller, context.now),
    assignee: null,
    flags: { kyt: false, livenessFailed: false, fourEyes: rows.fourEyes, onHold: false },
    reason: rows.reason,
    trade: {
      id: rows.tradeId,
      asset: rows.asset,
      amount,
      fiatCurrency: rows.fiatCurrency,
      fiatAmount: fiat,
      price: rows.price,
      paymentMethod: rows.paymentMethod,
      createdAt: rows.tradeCreatedAt,
      paidAt: rows.paidAt,
      disputedAt: rows.openedAt,
    },
    escrow: { id: rows.escrowId, state: 'held', asset: rows.asset, amount, hold: null },
    messages: [...rows.messages]
      .sort(byKeys((message) => message.at, (message) => message.id))
      .map((message) => ({ id: message.id, sender: message.sender, author: null, body: message.body, at: message.at, evidence: message.evidence })),
    evidence: [...rows.evidence].sort(byKeys((item) => item.uploadedAt, (item) => item.sha256)),
    liveness,
    kytAlerts: [],
    notes: [],
    verdict: null,
    fourEyes: { required: rows.fourEyes, thresholdUsd: context.fourEyesThresholdUsd, usdEquivalent: rows.usdEquivalent },
  };
}
