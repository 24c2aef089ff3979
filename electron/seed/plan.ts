// The demo data set as plain data, before anything is rendered or written: building it is pure and
// deterministic (a function of the seed string and the moment of seeding), which the tests rely on.
import type { KycStatus, KytLevel, MessageSender, ReasonCode, VerdictOutcome } from '../../shared/domain/dispute';
import type { EvidenceKind } from '../../shared/domain/dispute';
import type { TradeAmounts } from './amounts';
import type { ScenarioKind } from './chat';
import type { ReceiptSpec, StatementSpec, SyntheticPersonSpec } from './images';
import type { Person } from './people';
import type { Market } from './world';
import type { NewDispute } from '../server/cases/create';
import type { AddressHop, RiskAddress } from '../server/kyt/engine/types';
import type { LivenessCheckFields } from '../server/sql/liveness';

export type DemoUsername = 'ana' | 'bruno' | 'carla' | 'sofia' | 'diego';

/** A file the seed renders; frames render `count` files keyed `${key}#${index}`. */
export type EvidenceSource =
  | { type: 'receipt'; format: 'png' | 'jpeg'; spec: ReceiptSpec }
  | { type: 'statement'; spec: StatementSpec }
  | { type: 'id_photo'; person: SyntheticPersonSpec }
  | { type: 'frames'; person: SyntheticPersonSpec; count: number; differentPerson: boolean };

export const frameKey = (key: string, index: number) => `${key}#${index}`;

/** A check as the plan holds it: who asked by demo username, times as Dates, files by the keys they render. */
export type PlannedCheck = LivenessCheckFields<DemoUsername, Date>;

export interface PlannedParty {
  id: string;
  /** Seed of everything drawn about this party (person, accounts, face). */
  seed: string;
  person: Person;
  kycStatus: KycStatus;
  accountCreatedAt: Date;
  tradeCount: number;
  disputeCount: number;
  onboarding: PlannedCheck;
}

export interface PlannedMessage {
  id: string;
  sender: MessageSender;
  author: DemoUsername | null;
  body: string;
  at: Date;
  evidence: string[];
}

export interface PlannedEvidence {
  key: string;
  kind: EvidenceKind;
  uploader: MessageSender;
  fileName: string;
  at: Date;
}

/** An alert the rules engine must raise from the seeded trades, and where compliance has taken it since. */
export interface ExpectedAlert {
  ruleId: string;
  partyId: string;
  /** The case the alert links to; null for a party whose own trade has no dispute. */
  caseId: string | null;
  level: KytLevel;
  status: 'open' | 'in_review' | 'dismissed' | 'escalated';
  decisionReason: string | null;
}

/** The instruments a trade used, as transaction monitoring follows them. */
export interface TradeInstruments {
  /** The address the seller funded the escrow from. */
  depositAddress: string;
  /** The address the buyer withdrew the crypto to. */
  payoutAddress: string;
  /** The seller's receiving account. */
  payoutAccount: string;
}

/** A trade of the parties' history that completed without a dispute. */
export interface PlannedTrade extends TradeInstruments {
  id: string;
  buyerId: string;
  sellerId: string;
  market: Market;
  amounts: TradeAmounts;
  at: Date;
  /** Keys of the receipt files the buyer gave. */
  receipts: string[];
}

export interface PlannedRiskAddress extends RiskAddress {
  listedAt: Date;
}

export interface PlannedNote {
  id: string;
  author: DemoUsername;
  body: string;
  at: Date;
}

export interface PlannedVerdict {
  id: string;
  outcome: VerdictOutcome;
  reasonCode: ReasonCode;
  rationale: string;
  state: 'proposed' | 'executed';
  proposedBy: DemoUsername;
  proposedAt: Date;
  approvedBy: DemoUsername | null;
  approvedAt: Date | null;
  /** Earlier proposals on the case that Sofia sent back (four-eyes), oldest first. */
  sentBack: { id: string; proposedAt: Date; rejectedAt: Date; reason: string }[];
}

type PlannedDispute = Pick<
  NewDispute,
  'buyerId' | 'sellerId' | 'tradeCreatedAt' | 'paidAt' | 'openedAt' | 'slaDueAt' | 'reason' | 'openedBy'
>;

export type PlannedStatus = 'open' | 'in_review' | 'pending_approval' | 'resolved';

/** The dispute as openDispute takes it (the ids, parties, times and reason), then what happens in it. */
export interface PlannedCase extends PlannedDispute {
  id: string;
  tradeId: string;
  escrowId: string;
  kind: ScenarioKind;
  market: Market;
  amounts: TradeAmounts;
  status: PlannedStatus;
  assignee: DemoUsername | null;
  claimedAt: Date | null;
  messages: PlannedMessage[];
  evidence: PlannedEvidence[];
  checks: PlannedCheck[];
  instruments: TradeInstruments;
  /** What the KYT monitor must raise on this case once the history is written. */
  expectedAlerts: ExpectedAlert[];
  /** Whether one of those alerts freezes the escrow (an open case's SEVERE or HIGH alert). */
  expectHold: boolean;
  notes: PlannedNote[];
  verdict: PlannedVerdict | null;
}

export interface DemoPlan {
  parties: PlannedParty[];
  cases: PlannedCase[];
  /** Trades without a dispute: the parties' history the KYT monitor reads beside the disputed ones. */
  history: PlannedTrade[];
  riskAddresses: PlannedRiskAddress[];
  hops: AddressHop[];
  /** Alerts the monitor must raise on parties' own undisputed trades (no case to show them on). */
  unlinkedAlerts: ExpectedAlert[];
  files: Map<string, EvidenceSource>;
}
