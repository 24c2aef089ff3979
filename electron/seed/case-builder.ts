// Turns one dispute's description (scenario, market, size, lifecycle, flags) into the full planned case:
// a trade whose amounts add up, a chat placed in time, receipts that show what the scenario says,
// Proof of Life checks, KYT alerts, a compliance hold and the agents' work on it.
import type { Asset } from '../../shared/domain/money';
import type { ServerConfig } from '../server/config';
import { requiresFourEyes, usdEquivalent } from '../server/cases/create';
import { pendingTradeCheck } from '../server/sql/liveness';
import { fromMinorUnits, toMinorUnits, FIAT_DECIMALS } from '../../shared/domain/money';
import { marketPrice, partialFiat, retailUsd, tradeAmounts, type TradeAmounts } from './amounts';
import { agentGreeting, EMPTY_FACTS, systemSays, systemText, type ChatFacts, type ChatLine, type ScenarioKind } from './chat';
import { chatFor } from './chat-scripts';
import { metamapVerificationId, type IdSequence, type PartyRegistry, type PartyTraits } from './demo-parties';
import { forgedAmount, formatCrypto, formatFiat, localIso, methodLabel } from './format';
import type { ReceiptSpec } from './images';
import type { KytStory } from './kyt-stories';
import { paymentReference, receiptFileName, sellerStatement } from './paperwork';
import { paymentAccount, personFor, receivingDetails, syntheticPersonSpec, type Person } from './people';
import {
  frameKey,
  type DemoUsername,
  type EvidenceSource,
  type PlannedCase,
  type PlannedCheck,
  type PlannedEvidence,
  type PlannedMessage,
  type PlannedParty,
  type PlannedVerdict,
} from './plan';
import { Prng } from './prng';
import { SCENARIOS, type ReasonFacts, type ReceiptKind } from './scenarios';
import { chatMoments, lineTime, MINUTE_MS, slaTimes, type SlaBucket } from './timeline';
import { walletAddress } from './wallets';
import { ASSET_WEIGHTS, localeOf, market as marketByKey, type ChatLocale, type Market } from './world';

export type AgentName = 'ana' | 'bruno';

/** What Sofia writes when she sends a four-eyes proposal back (staff write in English). */
const SENT_BACK_REASON =
  'Before a payout this size, ask the seller for the bank statement of that day: the receipt alone does not show the credit.';
export type Lifecycle =
  | { status: 'open' }
  | { status: 'in_review'; agent: AgentName }
  | { status: 'pending_approval'; agent: AgentName }
  | {
      status: 'resolved';
      agent: AgentName;
      /** Opened about this many days before the seeding (the verdict history spans weeks); 2 to 5 when absent. */
      daysAgo?: number;
      /** Four-eyes proposals a supervisor sent back before the one that was approved. */
      sentBack?: number;
    };

export interface CaseSpec {
  /** A name other specs use to refer to this case. */
  ref?: string;
  kind: ScenarioKind;
  market: string;
  asset?: Asset;
  /** The trade's approximate worth in USD; a retail size is drawn when absent. */
  usd?: number;
  sla?: SlaBucket;
  lifecycle?: Lifecycle;
  buyer?: { name?: string; traits?: PartyTraits };
  seller?: { name?: string; traits?: PartyTraits };
  /** What the parties did that transaction monitoring must catch (kyt-stories.ts writes the history). */
  kyt?: KytStory[];
  /** The monitor holds the escrow because of a SEVERE or HIGH alert of those stories. */
  hold?: boolean;
  /** The seller asked for the buyer's Proof of Life at the start and it passed. */
  sellerAskedProofOfLife?: boolean;
  /** The case holder asked this party for a new Proof of Life; it is still pending. */
  agentAskedProofOfLife?: 'buyer' | 'seller';
  /** Replaces the scenario's case reason. */
  reason?: (facts: ReasonFacts) => string;
  /** A second order paid with the same receipt: same amounts, same file. */
  sameTradeAs?: string;
  notes?: { author: DemoUsername; body: string }[];
  chatVariant?: number;
}

interface ReceiptPlan {
  key: string;
  spec: ReceiptSpec;
  fileName: string;
}

interface BuiltCase {
  planned: PlannedCase;
  receipt: ReceiptPlan | null;
}

const AGENT_FIRST_NAMES: Record<AgentName, string> = { ana: 'Ana', bruno: 'Bruno' };

/** Given names without the two surnames: "Luis Fernando Ortiz Reyes" → "Luis Fernando". */
const givenNames = (person: Person) => person.fullName.split(' ').slice(0, -2).join(' ');
const surnames = (person: Person) => person.fullName.split(' ').slice(-2);

export class DemoCaseBuilder {
  private readonly byRef = new Map<string, BuiltCase>();

  constructor(
    private readonly now: Date,
    private readonly config: Pick<ServerConfig, 'usdRates' | 'fourEyesThresholdUsd'>,
    private readonly parties: PartyRegistry,
    private readonly files: Map<string, EvidenceSource>,
    private readonly checkIds: IdSequence,
  ) {}

  build(spec: CaseSpec, caseNumber: number): PlannedCase {
    const id = `DSP-${caseNumber}`;
    const prng = new Prng(`demo-case:${id}`);
    const market = marketByKey(spec.market);
    const locale = localeOf(market.country);
    const scenario = SCENARIOS[spec.kind];
    const origin = spec.sameTradeAs ? this.byRef.get(spec.sameTradeAs) : undefined;
    if (spec.sameTradeAs && !origin?.receipt) throw new Error(`${id}: no earlier case ${spec.sameTradeAs} with a receipt`);
    const amounts = origin?.planned.amounts ?? this.amountsFor(prng, spec, market);
    const buyer = this.parties.party(market.country, spec.buyer?.name, spec.buyer?.traits);
    const seller = this.parties.party(market.country, spec.seller?.name, spec.seller?.traits);
    if (buyer.id === seller.id) throw new Error(`${id}: buyer and seller are the same party`);
    buyer.disputeCount += 1;
    seller.disputeCount += 1;
    const usd = usdEquivalent(this.config, market.currency, amounts.fiatAmount);
    const fourEyes = requiresFourEyes(this.config, usd);
    const lifecycle = spec.lifecycle ?? { status: 'open' };
    if (lifecycle.status === 'pending_approval' && !fourEyes) throw new Error(`${id}: pending approval needs four-eyes`);
    if (lifecycle.status === 'resolved' && lifecycle.sentBack && !fourEyes) throw new Error(`${id}: only four-eyes verdicts are sent back`);

    // Times: the SLA first, then the chat's moments backwards from the opening of the dispute.
    const { openedAt, slaDueAt } = slaTimes(prng, this.now, {
      bucket: spec.sla,
      decided: lifecycle.status === 'resolved',
      ...(lifecycle.status === 'resolved' && lifecycle.daysAgo !== undefined ? { daysAgo: lifecycle.daysAgo } : {}),
      longWindow: fourEyes || Boolean(spec.kyt?.length),
    });
    const extraLines = (facts: ChatFacts) => this.proofOfLifeLines(locale, spec, facts);
    const skeleton = [...chatFor(locale, spec.kind, spec.chatVariant ?? 0, EMPTY_FACTS), ...extraLines(EMPTY_FACTS)];
    const moments = chatMoments(prng, skeleton, openedAt);
    const { tradeCreatedAt, paidAt } = moments;
    const anchorTime = (line: ChatLine) => lineTime(moments, line);

    // The receipt is printed a few minutes before the buyer posts it.
    const receiptLine = skeleton.find((line) => line.attach === 'receipt');
    const printedAt = receiptLine ? new Date(anchorTime(receiptLine).getTime() - prng.int(60, 240) * 1000) : paidAt;
    const sellerAccount = paymentAccount(seller.person, seller.seed, market);
    const receipt =
      scenario.receipt === 'none'
        ? null
        : origin?.receipt ?? this.receiptFor(prng, id, scenario.receipt, market, locale, amounts, buyer, seller, printedAt);
    const facts: ChatFacts = {
      buyer: buyer.person.firstName,
      seller: seller.person.firstName,
      buyerName: buyer.person.displayName,
      sellerName: seller.person.displayName,
      crypto: formatCrypto(amounts.amount, amounts.asset),
      asset: amounts.asset,
      fiat: formatFiat(amounts.fiatAmount, market.currency),
      receiptFiat: formatFiat(receipt?.spec.amount ?? amounts.fiatAmount, market.currency),
      shortFiat: formatFiat(
        fromMinorUnits(amounts.fiatMinor - toMinorUnits(receipt?.spec.amount ?? amounts.fiatAmount, FIAT_DECIMALS), FIAT_DECIMALS),
        market.currency,
      ),
      method: methodLabel(market.method, locale),
      sellerAccount: receivingDetails(market, sellerAccount, seller.person),
      receiptAccount: receipt?.spec.payeeAccount ?? '',
      receiptPayer: receipt?.spec.payerName ?? '',
      reference: receipt?.spec.reference ?? '',
      openedBy: scenario.openedBy,
    };
    const lines = [...chatFor(locale, spec.kind, spec.chatVariant ?? 0, facts), ...extraLines(facts)];

    const evidence: PlannedEvidence[] = [];
    const messages: Omit<PlannedMessage, 'id'>[] = lines.map((line) => {
      const at = anchorTime(line);
      const attached: string[] = [];
      if (line.attach === 'receipt' && receipt) {
        attached.push(receipt.key);
        evidence.push({ key: receipt.key, kind: 'receipt', uploader: 'buyer', fileName: receipt.fileName, at });
      }
      if (line.attach === 'statement') {
        const credit = scenario.receipt === 'partial' && receipt ? { amount: receipt.spec.amount, from: buyer.person.fullName, at: printedAt } : null;
        const statement = this.statementFor(prng, id, market, locale, seller, amounts, at, credit);
        attached.push(statement.key);
        evidence.push(statement);
      }
      return { sender: line.from, author: null, body: line.text, at, evidence: attached };
    });

    const checks = this.tradeChecks(prng, id, spec, buyer, tradeCreatedAt);
    // The monitor holds the escrow when it runs over the seeded history, at the moment of seeding.
    if (spec.hold) messages.push({ sender: 'system', author: null, body: systemText(locale, 'hold', facts), at: this.now, evidence: [] });

    const work = this.agentWork(prng, id, spec, lifecycle, fourEyes, openedAt, locale, facts);
    messages.push(...work.messages);
    if (spec.agentAskedProofOfLife && work.claimedAt && lifecycle.status !== 'open') {
      const party = spec.agentAskedProofOfLife === 'buyer' ? buyer : seller;
      checks.push(this.pendingCheck(id, party, lifecycle.agent, this.clamp(new Date(work.claimedAt.getTime() + prng.int(15, 30) * MINUTE_MS))));
    }
    const notesBase = work.claimedAt ?? new Date(openedAt.getTime() + 30 * MINUTE_MS);
    const notes = (spec.notes ?? []).map((note, index) => ({
      id: `NTE-${caseNumber}-${index + 1}`,
      author: note.author,
      body: note.body,
      // Notes on a held escrow are about the hold, which the monitor places at the moment of seeding.
      at: spec.hold ? this.now : this.clamp(new Date(notesBase.getTime() + (index + 1) * 7 * MINUTE_MS)),
    }));

    messages.sort((a, b) => a.at.getTime() - b.at.getTime());
    const planned: PlannedCase = {
      id,
      tradeId: `TRD-${caseNumber}`,
      escrowId: `ESC-${caseNumber}`,
      kind: spec.kind,
      market,
      amounts,
      buyerId: buyer.id,
      sellerId: seller.id,
      tradeCreatedAt,
      paidAt,
      openedAt,
      slaDueAt,
      reason: (spec.reason ?? scenario.reason)({
        fiat: facts.fiat,
        method: market.method,
        receiptFiat: facts.receiptFiat,
        receiptPayer: facts.receiptPayer,
        receiptAccount: facts.receiptAccount,
        reference: facts.reference,
        otherCaseId: origin?.planned.id ?? '',
      }),
      openedBy: scenario.openedBy,
      status: lifecycle.status,
      assignee: lifecycle.status === 'open' ? null : lifecycle.agent,
      claimedAt: work.claimedAt,
      messages: messages.map((message, index) => ({ ...message, id: `MSG-${caseNumber}-${String(index + 1).padStart(2, '0')}` })),
      evidence,
      checks,
      instruments: {
        depositAddress: walletAddress(seller.id, amounts.asset),
        payoutAddress: walletAddress(buyer.id, amounts.asset),
        payoutAccount: sellerAccount.account,
      },
      expectedAlerts: [],
      expectHold: false,
      notes,
      verdict: work.verdict,
    };
    if (spec.ref) this.byRef.set(spec.ref, { planned, receipt });
    return planned;
  }

  /** The seller's statement for the day, as counter-evidence: it shows what did (or did not) arrive. */
  private statementFor(
    prng: Prng,
    caseId: string,
    market: Market,
    locale: ChatLocale,
    seller: PlannedParty,
    amounts: TradeAmounts,
    at: Date,
    credit: { amount: string; from: string; at: Date } | null,
  ): PlannedEvidence {
    const key = `statement:${caseId}`;
    const account = paymentAccount(seller.person, seller.seed, market);
    this.files.set(key, {
      type: 'statement',
      spec: sellerStatement(prng, {
        market,
        locale,
        holder: seller.person.fullName,
        bank: account.bank,
        accountNumber: account.account,
        tradeFiatMinor: amounts.fiatMinor,
        others: [1, 2, 3].map((n) => personFor(`${caseId}:other:${n}`, market.country).fullName),
        until: at,
        credit,
      }),
    });
    const bankSlug = account.bank.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\W+/g, '_');
    const fileName = `${locale === 'pt' ? 'extrato' : 'extracto'}_${bankSlug}_${at.toISOString().slice(0, 10)}.pdf`;
    return { key, kind: 'statement', uploader: 'seller', fileName, at };
  }

  /** Never later than a minute before the moment of seeding: the seed does not write the future. */
  private clamp(at: Date): Date {
    const latest = this.now.getTime() - MINUTE_MS;
    return at.getTime() > latest ? new Date(latest) : at;
  }

  private amountsFor(prng: Prng, spec: CaseSpec, market: Market): TradeAmounts {
    const asset = spec.asset ?? prng.weighted(ASSET_WEIGHTS);
    const price = marketPrice(asset, market, this.config.usdRates, prng.int(-60, 60));
    return tradeAmounts(asset, price, spec.usd ?? retailUsd(prng));
  }

  private proofOfLifeLines(locale: ChatLocale, spec: CaseSpec, facts: ChatFacts): ChatLine[] {
    if (!spec.sellerAskedProofOfLife) return [];
    return [systemSays(locale, 'pol_requested', 'created', 1, facts), systemSays(locale, 'pol_verified', 'created', 8, facts)];
  }

  private receiptFor(
    prng: Prng,
    caseId: string,
    kind: Exclude<ReceiptKind, 'none'>,
    market: Market,
    locale: ChatLocale,
    amounts: TradeAmounts,
    buyer: PlannedParty,
    seller: PlannedParty,
    printedAt: Date,
  ): ReceiptPlan {
    const buyerAccount = paymentAccount(buyer.person, buyer.seed, market);
    const sellerAccount = paymentAccount(seller.person, seller.seed, market);
    let payerName = buyer.person.fullName;
    let payerAccount = buyerAccount.account;
    let payeeAccount = sellerAccount.account;
    let amount = amounts.fiatAmount;
    const bank = buyerAccount.bank;
    switch (kind) {
      case 'wrong_payee': {
        // Money sent to a mule's account (another person's, often at another bank).
        const mule = personFor(`${caseId}:mule`, market.country);
        payeeAccount = paymentAccount(mule, `${caseId}:mule`, market).account;
        break;
      }
      case 'edited_amount':
        amount = forgedAmount(amounts.fiatAmount);
        break;
      case 'edited_payer': {
        const other = personFor(`${caseId}:payer`, market.country);
        const otherSurnames = surnames(other).filter((name) => !surnames(buyer.person).includes(name));
        payerName = `${givenNames(buyer.person)} ${[...otherSurnames, 'Ortega', 'Salas'].slice(0, 2).join(' ')}`;
        break;
      }
      case 'partial':
        amount = partialFiat(amounts.fiatMinor, prng.int(78, 93));
        break;
      case 'third_party': {
        // A relative: another given name, the buyer's first surname.
        const relative = personFor(`${caseId}:relative`, market.country);
        payerName = `${givenNames(relative)} ${surnames(buyer.person)[0]} ${surnames(relative)[1]}`;
        payerAccount = paymentAccount(relative, `${caseId}:relative`, market).account;
        break;
      }
      case 'genuine':
      case 'reused':
        break;
    }
    // Screenshots are PNG; a receipt that went through an editor or a messenger arrives as JPEG.
    const format = kind === 'genuine' || kind === 'reused' ? (prng.chance(0.8) ? 'png' : 'jpeg') : 'jpeg';
    const spec: ReceiptSpec = {
      bank,
      method: market.method,
      amount,
      currency: market.currency,
      payerName,
      payerAccount,
      payeeName: seller.person.fullName,
      payeeAccount,
      reference: paymentReference(prng, market, printedAt),
      paidAt: localIso(printedAt, market.country),
      locale,
      seed: caseId,
    };
    const key = `receipt:${caseId}`;
    this.files.set(key, { type: 'receipt', format, spec });
    return { key, spec, fileName: receiptFileName(prng, format, printedAt, market.country) };
  }

  private tradeChecks(
    prng: Prng,
    caseId: string,
    spec: CaseSpec,
    buyer: PlannedParty,
    tradeCreatedAt: Date,
  ): PlannedCheck[] {
    const outcome = SCENARIOS[spec.kind].buyerProofOfLife ?? (spec.sellerAskedProofOfLife ? 'verified' : null);
    if (!outcome) return [];
    const key = `pol:${caseId}`;
    const frameCount = 3;
    this.files.set(key, {
      type: 'frames',
      person: syntheticPersonSpec(buyer.person, buyer.seed),
      count: frameCount,
      differentPerson: outcome === 'face_mismatch',
    });
    const createdAt = new Date(tradeCreatedAt.getTime() + 2 * MINUTE_MS + prng.int(0, 50) * 1000);
    const scores = {
      verified: { status: 'verified', liveness: prng.score(0.9, 0.99), face: prng.score(0.85, 0.97), error: null },
      face_mismatch: { status: 'rejected', liveness: prng.score(0.88, 0.97), face: prng.score(0.08, 0.24), error: 'facematch.differentPerson' },
      selfie_fraud: { status: 'rejected', liveness: prng.score(0.03, 0.14), face: prng.score(0.7, 0.84), error: 'selfieFraudDetection.fraudAttempt' },
    }[outcome];
    return [
      {
        id: this.checkIds.take(),
        partyId: buyer.id,
        caseId,
        trigger: 'trade',
        status: scores.status as PlannedCheck['status'],
        livenessScore: scores.liveness,
        faceMatchScore: scores.face,
        documentType: buyer.person.documentType,
        idPhoto: `id:${buyer.id}`,
        frames: Array.from({ length: frameCount }, (_, index) => frameKey(key, index)),
        errorCode: scores.error,
        providerVerificationId: metamapVerificationId(prng),
        requestedBy: null,
        createdAt,
        completedAt: new Date(createdAt.getTime() + prng.int(5, 8) * MINUTE_MS),
      },
    ];
  }

  private pendingCheck(caseId: string, party: PlannedParty, agent: DemoUsername, createdAt: Date): PlannedCheck {
    return pendingTradeCheck({ id: this.checkIds.take(), partyId: party.id, caseId, requestedBy: agent, createdAt });
  }

  /** The agents' part: claim, a first message to the parties, and the verdict with its approval. */
  private agentWork(
    prng: Prng,
    caseId: string,
    spec: CaseSpec,
    lifecycle: Lifecycle,
    fourEyes: boolean,
    openedAt: Date,
    locale: ChatLocale,
    facts: ChatFacts,
  ): { claimedAt: Date | null; messages: Omit<PlannedMessage, 'id'>[]; verdict: PlannedVerdict | null } {
    if (lifecycle.status === 'open') return { claimedAt: null, messages: [], verdict: null };
    const agent = lifecycle.agent;
    const claimedAt = this.clamp(new Date(openedAt.getTime() + prng.int(20, 90) * MINUTE_MS));
    const messages: Omit<PlannedMessage, 'id'>[] = [
      {
        sender: 'agent',
        author: agent,
        body: agentGreeting(locale, AGENT_FIRST_NAMES[agent], facts),
        at: this.clamp(new Date(claimedAt.getTime() + prng.int(3, 8) * MINUTE_MS)),
        evidence: [],
      },
    ];
    if (lifecycle.status === 'in_review') return { claimedAt, messages, verdict: null };
    const suggested = SCENARIOS[spec.kind].verdict;
    let proposedAt = this.clamp(new Date(claimedAt.getTime() + prng.int(30, 120) * MINUTE_MS));
    // Proposals sent back first: each was proposed, rejected by Sofia a little later, and proposed again.
    const sentBack: PlannedVerdict['sentBack'] = [];
    const timesSentBack = lifecycle.status === 'resolved' ? (lifecycle.sentBack ?? 0) : 0;
    for (let round = 1; round <= timesSentBack; round += 1) {
      const rejectedAt = this.clamp(new Date(proposedAt.getTime() + prng.int(20, 60) * MINUTE_MS));
      sentBack.push({ id: `VRD-${caseId.slice(4)}-${round}`, proposedAt, rejectedAt, reason: SENT_BACK_REASON });
      proposedAt = this.clamp(new Date(rejectedAt.getTime() + prng.int(30, 90) * MINUTE_MS));
    }
    const verdict: PlannedVerdict = {
      id: `VRD-${caseId.slice(4)}`,
      outcome: suggested.outcome,
      reasonCode: suggested.reasonCode,
      rationale: suggested.rationale,
      state: lifecycle.status === 'resolved' ? 'executed' : 'proposed',
      proposedBy: agent,
      proposedAt,
      approvedBy: null,
      approvedAt: null,
      sentBack,
    };
    if (lifecycle.status === 'resolved') {
      if (fourEyes) {
        verdict.approvedBy = 'sofia';
        verdict.approvedAt = this.clamp(new Date(proposedAt.getTime() + prng.int(20, 90) * MINUTE_MS));
      }
      messages.push({
        sender: 'system',
        author: null,
        body: systemText(locale, verdict.outcome === 'release' ? 'released' : 'refunded', facts),
        at: verdict.approvedAt ?? proposedAt,
        evidence: [],
      });
    }
    return { claimedAt, messages, verdict };
  }
}
