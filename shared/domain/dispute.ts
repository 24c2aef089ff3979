// The vocabulary of disputes shared by the server, the desk and the renderer (DESIGN §2–§4).

export const ROLES = ['agent', 'compliance', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const CASE_STATUSES = ['open', 'in_review', 'pending_approval', 'resolved'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ESCROW_STATES = ['held', 'released', 'refunded'] as const;
export type EscrowState = (typeof ESCROW_STATES)[number];

export const VERDICT_OUTCOMES = ['release', 'refund'] as const;
export type VerdictOutcome = (typeof VERDICT_OUTCOMES)[number];

export const REASON_CODES = [
  'payment_confirmed',
  'payment_not_received',
  'fake_or_edited_receipt',
  'third_party_payment',
  'underpayment',
  'seller_unresponsive',
  'buyer_unresponsive',
  'mutual_cancellation',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export const MESSAGE_SENDERS = ['buyer', 'seller', 'agent', 'system'] as const;
export type MessageSender = (typeof MESSAGE_SENDERS)[number];

export const LIVENESS_STATUSES = ['verified', 'reviewNeeded', 'rejected', 'pending'] as const;
export type LivenessStatus = (typeof LIVENESS_STATUSES)[number];

export const KYC_STATUSES = ['verified', 'reviewNeeded', 'rejected', 'pending'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const KYT_LEVELS = ['SEVERE', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type KytLevel = (typeof KYT_LEVELS)[number];

export const KYT_ALERT_STATUSES = ['open', 'in_review', 'dismissed', 'escalated', 'reported'] as const;
export type KytAlertStatus = (typeof KYT_ALERT_STATUSES)[number];

export const KYT_DECISIONS = ['dismiss', 'escalate', 'report'] as const;
export type KytDecision = (typeof KYT_DECISIONS)[number];

export const EVIDENCE_KINDS = ['receipt', 'statement', 'id_photo', 'selfie', 'liveness_frame', 'video', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const PAYMENT_METHODS = ['Pago Móvil', 'Zelle', 'Nequi', 'Mercado Pago', 'PIX', 'Bank transfer'] as const;
