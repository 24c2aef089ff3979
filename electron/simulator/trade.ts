// One simulated trade planned from what it is (who trades, how much, how it ends): its chat in the parties'
// language, the receipt the buyer uploads, and the platform events and MetaMap webhooks in their order.
import { createHash } from 'node:crypto';
import {
  assetDecimals,
  FIAT_DECIMALS,
  fromMinorUnits,
  toMinorUnits,
  type Asset,
} from '../../shared/domain/money';
import type { PlatformEventDraft, Step, TradeOutcome, TradePlan } from './plan';
import {
  fiatFor,
  marketPrice,
  partialFiat,
  retailUsd,
  tradeAmounts,
  type TradeAmounts,
} from '../seed/amounts';
import { SCENARIOS, type ReceiptKind } from '../seed/scenarios';
import type { ChatFacts, ScenarioKind } from '../seed/chat';
import { chatFor } from '../seed/chat-scripts';
import { forgedAmount, formatCrypto, formatFiat, localIso, methodLabel } from '../seed/format';
import { renderReceiptJpeg, renderReceiptPng, type ReceiptSpec } from '../seed/images';
import { paymentReference, receiptFileName } from '../seed/paperwork';
import { paymentAccount, personFor, receivingDetails } from '../seed/people';
import { Prng } from '../seed/prng';
import { walletAddress } from '../seed/wallets';
import { ASSET_WEIGHTS, localeOf, type ChatLocale, type Market } from '../seed/world';
import { proofOfLifeEvents, type ProofOfLifeOutcome } from './metamap';
import {
  cancelledScript,
  completedScript,
  fromSeedScript,
  refusedAfterProofOfLife,
  releaseAnyway,
  type ScriptLine,
} from './script';
import { accountOf, platformParty, type Trader } from './world';

/** A receipt file as the buyer uploads it, kept so that a later buyer can pass the same file off as theirs. */
export interface Receipt {
  bytes: Buffer;
  fileName: string;
  sha256: string;
  buyerId: string;
  tradeId: string;
  marketKey: string;
  reference: string;
}

export type TradeEnding =
  | { kind: 'completed'; proofOfLife?: 'verified' }
  | { kind: 'cancelled' }
  | { kind: 'disputed'; scenario: ScenarioKind; lateRelease?: boolean; releaseAnyway?: boolean }
  /** The buyer's Proof of Life fails and the seller calls the trade off. */
  | { kind: 'refused'; proofOfLife: 'face_mismatch' | 'selfie_fraud' };

export interface TradeSpec {
  tradeId: string;
  market: Market;
  buyer: Trader;
  seller: Trader;
  ending: TradeEnding;
  asset?: Asset;
  /** About what the trade is worth in USD; a retail size when absent. */
  usd?: number;
  /** An exact crypto amount in minor units (a trader selling on what they just bought). */
  amountMinor?: bigint;
  /** The seller's receiving account, when it is not their own (one account given by two sellers). */
  payoutAccount?: string;
  kytStory?: string;
  /** A receipt of someone else's trade, for a buyer who reuses it. */
  reusableReceipt?: Receipt;
}

/** Waits between steps, in ms at pace 1: a trade lasts about half a minute to two minutes. */
const WAIT = {
  message: [1_500, 6_000],
  moment: [2_000, 8_000],
  metamap: [800, 2_500],
} as const;

export function planTrade(
  spec: TradeSpec,
  usdRates: Record<string, string>,
): { plan: TradePlan; receipt: Receipt | null } {
  return new TradePlanner(spec, usdRates).plan();
}

class TradePlanner {
  private readonly prng: Prng;
  private readonly locale: ChatLocale;
  private readonly amounts: TradeAmounts;
  private readonly steps: Step[] = [];
  private eventCount = 0;
  private messageCount = 0;
  private readonly sellerAccount: string;
  private readonly reference: string;

  constructor(
    private readonly spec: TradeSpec,
    usdRates: Record<string, string>,
  ) {
    this.prng = new Prng(`trade:${spec.tradeId}`);
    this.locale = localeOf(spec.market.country);
    this.amounts = this.amountsFor(usdRates);
    this.sellerAccount = spec.payoutAccount ?? accountOf(spec.seller, spec.market).account;
    this.reference = paymentReference(this.prng, spec.market, new Date(0));
  }

  plan(): { plan: TradePlan; receipt: Receipt | null } {
    const { spec } = this;
    const scenario = spec.ending.kind === 'disputed' ? SCENARIOS[spec.ending.scenario] : null;
    const receiptKind: ReceiptKind = scenario ? scenario.receipt : 'genuine';
    const receipt = receiptKind === 'none' ? null : this.receipt(receiptKind);
    const facts = this.facts(receipt, receiptKind);
    const { lines, cancelReason, disputeReason } = this.script(facts, receipt);
    const verificationId = this.prng.hex(24);
    const proofOfLife = this.proofOfLifeOutcome();

    this.platform(0, this.opened());
    for (const line of lines) {
      if (!('moment' in line)) {
        this.say(line, receipt);
        continue;
      }
      switch (line.moment) {
        case 'paid':
          this.platform(this.wait('moment'), { type: 'trade.paid', data: { tradeId: spec.tradeId } });
          break;
        case 'released':
          this.platform(this.wait('moment'), { type: 'trade.released', data: { tradeId: spec.tradeId } });
          break;
        case 'cancelled':
          this.platform(this.wait('moment'), {
            type: 'trade.cancelled',
            data: { tradeId: spec.tradeId, reason: cancelReason },
          });
          break;
        case 'opened':
          this.openDispute(disputeReason);
          break;
        case 'pol_requested':
          this.platform(this.wait('moment'), {
            type: 'liveness.requested',
            data: { tradeId: spec.tradeId, partyId: spec.buyer.id, verificationId },
          });
          break;
        case 'pol_result':
          for (const body of proofOfLifeEvents(this.prng, {
            verificationId,
            partyId: spec.buyer.id,
            tradeId: spec.tradeId,
            outcome: proofOfLife!,
          })) {
            this.steps.push({ afterMs: this.wait('metamap'), delivery: { channel: 'metamap', body } });
          }
          break;
      }
    }
    if (spec.ending.kind === 'disputed' && spec.ending.releaseAnyway) {
      this.say({ from: 'seller', text: releaseAnyway[this.locale] }, null);
      this.platform(
        this.wait('moment'),
        { type: 'trade.released', data: { tradeId: spec.tradeId } },
        { expectRefusal: true },
      );
    }
    const outcome: TradeOutcome = spec.ending.kind === 'refused' ? 'cancelled' : spec.ending.kind;
    return {
      plan: {
        tradeId: spec.tradeId,
        outcome,
        buyer: spec.buyer,
        seller: spec.seller,
        proofOfLife,
        kytStory: spec.kytStory ?? null,
        steps: this.steps,
      },
      receipt,
    };
  }

  private proofOfLifeOutcome(): ProofOfLifeOutcome | null {
    const { ending } = this.spec;
    if (ending.kind === 'refused') return ending.proofOfLife;
    if (ending.kind === 'completed') return ending.proofOfLife ?? null;
    if (ending.kind === 'disputed') return SCENARIOS[ending.scenario].buyerProofOfLife ?? null;
    return null;
  }

  private script(
    facts: ChatFacts,
    receipt: Receipt | null,
  ): { lines: ScriptLine[]; cancelReason: string; disputeReason: string } {
    const { ending } = this.spec;
    const variant = this.prng.int(0, 5);
    const none = { cancelReason: '', disputeReason: '' };
    switch (ending.kind) {
      case 'completed': {
        const lines = completedScript(this.locale, variant, facts);
        if (!ending.proofOfLife) return { lines, ...none };
        const ask =
          this.locale === 'pt'
            ? 'Antes de passar a chave peço a Prova de Vida.'
            : 'Antes de pasarte los datos te pido la Prueba de Vida.';
        return {
          lines: [
            { from: 'seller', text: ask },
            { moment: 'pol_requested' },
            { moment: 'pol_result' },
            ...lines,
          ],
          ...none,
        };
      }
      case 'cancelled': {
        const { lines, reason } = cancelledScript(this.locale, variant, facts);
        return { lines, cancelReason: reason, disputeReason: '' };
      }
      case 'refused': {
        // The start of the seed's script for this failure, up to the result, then the seller calls it off.
        const seedLines = fromSeedScript(chatFor(this.locale, ending.proofOfLife, variant, facts));
        const upToResult = seedLines.slice(
          0,
          seedLines.findIndex((line) => 'moment' in line && line.moment === 'pol_result') + 1,
        );
        return {
          lines: [
            ...upToResult,
            { from: 'seller', text: refusedAfterProofOfLife[this.locale] },
            { moment: 'cancelled' },
          ],
          cancelReason:
            "The buyer's Proof of Life was rejected; the seller called the trade off before any payment.",
          disputeReason: '',
        };
      }
      case 'disputed': {
        const scenario = SCENARIOS[ending.scenario];
        const reason = scenario.reason({
          fiat: facts.fiat,
          method: facts.method,
          receiptFiat: facts.receiptFiat,
          receiptPayer: facts.receiptPayer,
          receiptAccount: facts.receiptAccount,
          reference: facts.reference,
          otherCaseId:
            receipt && receipt.tradeId !== this.spec.tradeId
              ? `trade ${receipt.tradeId}`
              : 'an earlier trade',
        });
        return {
          lines: fromSeedScript(chatFor(this.locale, ending.scenario, variant, facts)),
          cancelReason: '',
          disputeReason: reason,
        };
      }
    }
  }

  private openDispute(reason: string): void {
    const { ending, tradeId } = this.spec;
    if (ending.kind !== 'disputed') return;
    const openedBy = SCENARIOS[ending.scenario].openedBy;
    this.platform(this.wait('moment'), { type: 'dispute.opened', data: { tradeId, openedBy, reason } });
    if (ending.lateRelease) {
      // The seller released a moment before the buyer's dispute, and the release reaches the platform after it.
      this.platform(
        200,
        { type: 'trade.released', data: { tradeId } },
        { happenedBeforePreviousMs: this.prng.int(1_500, 4_000) },
      );
    }
  }

  private say(line: Extract<ScriptLine, { from: string }>, receipt: Receipt | null): void {
    const { tradeId } = this.spec;
    const evidence: string[] = [];
    if (line.attach === 'receipt' && receipt && line.from === 'buyer') {
      this.platform(this.wait('message'), {
        type: 'trade.receipt',
        data: {
          tradeId,
          uploadedBy: 'buyer',
          fileName: receipt.fileName,
          contentBase64: receipt.bytes.toString('base64'),
        },
      });
      evidence.push(receipt.sha256);
    }
    const messageId = `${tradeId}-m${++this.messageCount}`;
    this.platform(this.wait('message'), {
      type: 'trade.message',
      data: {
        tradeId,
        messageId,
        sender: line.from,
        body: line.text,
        ...(evidence.length ? { evidence } : {}),
      },
    });
  }

  private platform(
    afterMs: number,
    event: PlatformEventDraft,
    extra: Pick<Step, 'happenedBeforePreviousMs' | 'expectRefusal'> = {},
  ): void {
    const webhookId = `evt_${this.spec.tradeId}_${++this.eventCount}`;
    this.steps.push({ afterMs, delivery: { channel: 'platform', webhookId, event }, ...extra });
  }

  private wait(kind: keyof typeof WAIT): number {
    const [min, max] = WAIT[kind];
    return this.prng.int(min, max);
  }

  private opened(): PlatformEventDraft {
    const { spec, amounts } = this;
    return {
      type: 'trade.opened',
      data: {
        tradeId: spec.tradeId,
        buyer: platformParty(spec.buyer),
        seller: platformParty(spec.seller),
        asset: amounts.asset,
        amount: amounts.amount,
        fiatCurrency: spec.market.currency,
        fiatAmount: amounts.fiatAmount,
        price: amounts.price,
        paymentMethod: spec.market.method,
        depositAddress: walletAddress(spec.seller.id, amounts.asset),
        payoutAccount: this.sellerAccount,
      },
    };
  }

  private amountsFor(usdRates: Record<string, string>): TradeAmounts {
    const { spec, prng } = this;
    const asset = spec.asset ?? prng.weighted(ASSET_WEIGHTS);
    const price = marketPrice(asset, spec.market, usdRates, prng.int(-60, 60));
    if (spec.amountMinor === undefined) return tradeAmounts(asset, price, spec.usd ?? retailUsd(prng));
    const fiatMinor = fiatFor(spec.amountMinor, asset, price);
    const base = tradeAmounts(asset, price, 1);
    return {
      ...base,
      amountMinor: spec.amountMinor,
      amount: fromMinorUnits(spec.amountMinor, assetDecimals(asset)),
      fiatMinor,
      fiatAmount: fromMinorUnits(fiatMinor, FIAT_DECIMALS),
    };
  }

  /** The receipt the buyer uploads: genuine, or made up the way the dispute's scenario says. */
  private receipt(kind: Exclude<ReceiptKind, 'none'>): Receipt {
    const { spec, prng, amounts } = this;
    if (kind === 'reused' && spec.reusableReceipt) return spec.reusableReceipt;
    const { market, buyer, seller, tradeId } = spec;
    const buyerAccount = accountOf(buyer, market);
    let payerName = buyer.person.fullName;
    let payerAccount = buyerAccount.account;
    let payeeName = seller.person.fullName;
    let payeeAccount = this.sellerAccount;
    let amount = amounts.fiatAmount;
    switch (kind) {
      case 'wrong_payee': {
        const mule = personFor(`${tradeId}:mule`, market.country);
        payeeName = mule.fullName;
        payeeAccount = paymentAccount(mule, `${tradeId}:mule`, market).account;
        break;
      }
      case 'edited_amount':
        amount = forgedAmount(amounts.fiatAmount);
        break;
      case 'partial':
        amount = this.receiptAmountOf('partial');
        break;
      case 'edited_payer':
      case 'third_party': {
        const other = personFor(`${tradeId}:payer`, market.country);
        payerName = other.fullName;
        if (kind === 'third_party') payerAccount = paymentAccount(other, `${tradeId}:payer`, market).account;
        break;
      }
      case 'genuine':
      case 'reused':
        break;
    }
    const format = kind === 'genuine' || kind === 'reused' ? (prng.chance(0.8) ? 'png' : 'jpeg') : 'jpeg';
    // A wall-clock time for the receipt only: the real one is the moment the simulator sends it.
    const printedAt = new Date(Date.UTC(2026, 10, 24, 12) + prng.int(0, 86_400) * 1000);
    const receiptSpec: ReceiptSpec = {
      bank: buyerAccount.bank,
      method: market.method,
      amount,
      currency: market.currency,
      payerName,
      payerAccount,
      payeeName,
      payeeAccount,
      reference: this.reference,
      paidAt: localIso(printedAt, market.country),
      locale: this.locale,
      seed: tradeId,
    };
    const bytes = format === 'png' ? renderReceiptPng(receiptSpec) : renderReceiptJpeg(receiptSpec);
    return {
      bytes,
      fileName: receiptFileName(prng, format, printedAt, market.country),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      buyerId: buyer.id,
      tradeId,
      marketKey: market.key,
      reference: this.reference,
    };
  }

  private facts(receipt: Receipt | null, kind: ReceiptKind): ChatFacts {
    const { spec, amounts } = this;
    const { market, buyer, seller } = spec;
    const currency = market.currency;
    const receiptAmount =
      kind === 'partial' || kind === 'edited_amount' ? this.receiptAmountOf(kind) : amounts.fiatAmount;
    const shortMinor = amounts.fiatMinor - toMinorUnits(receiptAmount, FIAT_DECIMALS);
    const other = personFor(`${spec.tradeId}:payer`, market.country);
    const mule = personFor(`${spec.tradeId}:mule`, market.country);
    return {
      buyer: buyer.person.firstName,
      seller: seller.person.firstName,
      buyerName: buyer.person.displayName,
      sellerName: seller.person.displayName,
      crypto: formatCrypto(amounts.amount, amounts.asset),
      asset: amounts.asset,
      fiat: formatFiat(amounts.fiatAmount, currency),
      receiptFiat: formatFiat(receiptAmount, currency),
      shortFiat: formatFiat(fromMinorUnits(shortMinor > 0n ? shortMinor : 0n, FIAT_DECIMALS), currency),
      method: methodLabel(market.method, this.locale),
      sellerAccount: spec.payoutAccount ?? receivingDetails(market, accountOf(seller, market), seller.person),
      receiptAccount: paymentAccount(mule, `${spec.tradeId}:mule`, market).account,
      receiptPayer: other.fullName,
      reference: receipt?.reference ?? this.reference,
      openedBy: spec.ending.kind === 'disputed' ? SCENARIOS[spec.ending.scenario].openedBy : 'buyer',
    };
  }

  /** The amount the made-up receipt shows; the same draws as `receipt`, so chat and image agree. */
  private receiptAmountOf(kind: ReceiptKind): string {
    if (kind === 'edited_amount') return forgedAmount(this.amounts.fiatAmount);
    return partialFiat(this.amounts.fiatMinor, new Prng(`partial:${this.spec.tradeId}`).int(78, 93));
  }
}
