// What each kind of dispute is: who opens it, what the receipt shows, how the case reason reads in the
// queue, and the verdict the evidence supports (used for the seeded decided cases).
import type { ReasonCode, VerdictOutcome } from '../../shared/domain/dispute';
import type { ScenarioKind } from './chat';

/** How the buyer's receipt relates to the trade. */
export type ReceiptKind =
  | 'genuine'
  | 'none'
  | 'wrong_payee'
  | 'edited_amount'
  | 'edited_payer'
  | 'partial'
  | 'third_party'
  | 'reused';

export interface ReasonFacts {
  fiat: string;
  method: string;
  receiptFiat: string;
  receiptPayer: string;
  receiptAccount: string;
  reference: string;
  /** The other case a reused receipt was first sent in. */
  otherCaseId: string;
}

export interface Scenario {
  openedBy: 'buyer' | 'seller';
  receipt: ReceiptKind;
  /** The buyer's Proof of Life at trade start failed this way. */
  buyerProofOfLife?: 'face_mismatch' | 'selfie_fraud';
  reason: (facts: ReasonFacts) => string;
  verdict: { outcome: VerdictOutcome; reasonCode: ReasonCode; rationale: string };
}

export const SCENARIOS: Record<ScenarioKind, Scenario> = {
  paid_not_released: {
    openedBy: 'buyer',
    receipt: 'genuine',
    reason: (f) => `Paid but not released: the buyer says they paid ${f.fiat} by ${f.method}; the seller says nothing has arrived.`,
    verdict: {
      outcome: 'release',
      reasonCode: 'payment_confirmed',
      rationale: "The receipt matches the seller's account and the trade amount, and the seller's statement shows the credit.",
    },
  },
  seller_unresponsive: {
    openedBy: 'buyer',
    receipt: 'genuine',
    reason: (f) => `Seller unresponsive: the buyer paid ${f.fiat} by ${f.method} and uploaded a receipt; the seller has not answered since.`,
    verdict: {
      outcome: 'release',
      reasonCode: 'seller_unresponsive',
      rationale: 'The receipt is consistent with the trade and the seller did not answer within the response window.',
    },
  },
  buyer_unresponsive: {
    openedBy: 'seller',
    receipt: 'none',
    reason: () => 'Buyer unresponsive: the buyer marked the order as paid without a receipt and stopped answering; the seller received nothing.',
    verdict: {
      outcome: 'refund',
      reasonCode: 'buyer_unresponsive',
      rationale: 'No proof of payment and no answer from the buyer within the response window.',
    },
  },
  underpayment: {
    openedBy: 'buyer',
    receipt: 'partial',
    reason: (f) => `Underpayment: the buyer sent ${f.receiptFiat} of ${f.fiat}; the seller will not release.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'underpayment',
      rationale: 'The buyer paid less than the trade amount; the seller returns the partial payment.',
    },
  },
  fake_receipt: {
    openedBy: 'buyer',
    receipt: 'wrong_payee',
    reason: (f) =>
      `Fake receipt: the receipt shows a payment to ${f.receiptAccount}, which is not the seller's account; the seller received nothing.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'fake_or_edited_receipt',
      rationale: "The receipt names an account that is not the seller's; no payment reached the seller.",
    },
  },
  edited_amount: {
    openedBy: 'seller',
    receipt: 'edited_amount',
    reason: (f) =>
      `Edited receipt: the receipt shows ${f.receiptFiat} while the trade is ${f.fiat}, and the seller's statement shows no such credit.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'fake_or_edited_receipt',
      rationale: "The receipt's amount differs from the trade and the seller's statement has no matching credit.",
    },
  },
  edited_payer: {
    openedBy: 'seller',
    receipt: 'edited_payer',
    reason: (f) =>
      `Edited receipt: the payer on the receipt (${f.receiptPayer}) is not the buyer, and the seller's bank has no transfer with reference ${f.reference}.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'fake_or_edited_receipt',
      rationale: 'The payer name on the receipt was altered and the reference does not exist at the bank.',
    },
  },
  reused_receipt: {
    openedBy: 'seller',
    receipt: 'reused',
    reason: (f) =>
      `Reused receipt: the buyer sent the same receipt (ref. ${f.reference}) as in ${f.otherCaseId}; the seller received one payment for two orders.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'fake_or_edited_receipt',
      rationale: 'The receipt is the same file as the one of an earlier order that it paid; this order was never paid.',
    },
  },
  third_party: {
    openedBy: 'seller',
    receipt: 'third_party',
    reason: (f) => `Third-party payment: the money came from ${f.receiptPayer}, not the buyer; the seller wants to return it and cancel.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'third_party_payment',
      rationale: 'The payment came from an account not in the buyer’s name; the seller returns it to the payer.',
    },
  },
  mutual_cancellation: {
    openedBy: 'seller',
    receipt: 'none',
    reason: () => 'Mutual cancellation: the buyer marked the order as paid by mistake and never paid; both ask to cancel.',
    verdict: {
      outcome: 'refund',
      reasonCode: 'mutual_cancellation',
      rationale: 'Both parties confirmed in the chat that no payment was made and asked to cancel.',
    },
  },
  face_mismatch: {
    openedBy: 'buyer',
    receipt: 'genuine',
    buyerProofOfLife: 'face_mismatch',
    reason: (f) =>
      `Failed face match: the buyer's Proof of Life does not match their ID; the buyer says they paid ${f.fiat}, the seller will not release.`,
    verdict: {
      outcome: 'refund',
      reasonCode: 'other',
      rationale: 'The person trading is not the account holder (face match failed); the seller returns the payment to its sender.',
    },
  },
  selfie_fraud: {
    openedBy: 'seller',
    receipt: 'genuine',
    buyerProofOfLife: 'selfie_fraud',
    reason: () =>
      "Selfie fraud attempt: the buyer's Proof of Life was rejected as a spoof; the seller received the payment but will not release to a possibly taken-over account.",
    verdict: {
      outcome: 'refund',
      reasonCode: 'other',
      rationale: 'Proof of Life rejected as a fraud attempt; the seller returns the payment to its sender.',
    },
  },
};
