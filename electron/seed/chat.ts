// The negotiation chat of a seeded trade: lines anchored to the trade's moments (created, marked as paid,
// dispute opened) so the case builder can place them in time, and the platform's own system events.
import type { ChatLocale } from './world';

export const SCENARIO_KINDS = [
  'paid_not_released',
  'seller_unresponsive',
  'buyer_unresponsive',
  'underpayment',
  'fake_receipt',
  'edited_amount',
  'edited_payer',
  'reused_receipt',
  'third_party',
  'mutual_cancellation',
  'face_mismatch',
  'selfie_fraud',
] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export type Anchor = 'created' | 'paid' | 'opened';
export type SystemEvent =
  | 'created'
  | 'paid'
  | 'opened'
  | 'pol_requested'
  | 'pol_verified'
  | 'pol_face_mismatch'
  | 'pol_fraud'
  | 'hold'
  | 'released'
  | 'refunded';

export interface ChatLine {
  from: 'buyer' | 'seller' | 'system';
  at: Anchor;
  /** Minutes after the anchor. */
  minutes: number;
  text: string;
  /** The message carries the buyer's receipt (or, from the seller, a statement). */
  attach?: 'receipt' | 'statement';
  /** For the platform's own lines: which event it reports. */
  event?: SystemEvent;
}

/** What a chat talks about, already formatted the way the parties would write it. */
export interface ChatFacts {
  buyer: string;
  seller: string;
  buyerName: string;
  sellerName: string;
  /** "250 USDT" */
  crypto: string;
  asset: string;
  /** The trade's fiat amount, e.g. "Bs. 9.125,00". */
  fiat: string;
  /** The amount the receipt shows, when it differs from the trade. */
  receiptFiat: string;
  /** What is missing in an underpayment. */
  shortFiat: string;
  method: string;
  /** The seller's receiving details: "Banesco 0414-5551234 / V-18.456.231, María Pérez". */
  sellerAccount: string;
  /** Where a fake receipt says the money went. */
  receiptAccount: string;
  /** Who a receipt says paid, when it is not the buyer. */
  receiptPayer: string;
  reference: string;
  openedBy: 'buyer' | 'seller';
}

export type Script = (facts: ChatFacts) => ChatLine[];

/** Facts with nothing in them: a script run on them still tells when its lines are said. */
export const EMPTY_FACTS: ChatFacts = {
  buyer: '',
  seller: '',
  buyerName: '',
  sellerName: '',
  crypto: '',
  asset: '',
  fiat: '',
  receiptFiat: '',
  shortFiat: '',
  method: '',
  sellerAccount: '',
  receiptAccount: '',
  receiptPayer: '',
  reference: '',
  openedBy: 'buyer',
};

export const buyerSays = (at: Anchor, minutes: number, text: string, attach?: ChatLine['attach']): ChatLine =>
  attach ? { from: 'buyer', at, minutes, text, attach } : { from: 'buyer', at, minutes, text };
export const sellerSays = (at: Anchor, minutes: number, text: string, attach?: ChatLine['attach']): ChatLine =>
  attach ? { from: 'seller', at, minutes, text, attach } : { from: 'seller', at, minutes, text };

/** A platform event as the parties see it in their chat, in their language. */
export function systemText(locale: ChatLocale, event: SystemEvent, facts: ChatFacts): string {
  const opener = facts.openedBy === 'buyer' ? facts.buyerName : facts.sellerName;
  const texts: Record<ChatLocale, Record<SystemEvent, string>> = {
    es: {
      created: `Orden creada. ${facts.crypto} del vendedor quedan bloqueados en custodia (escrow) hasta su liberación.`,
      paid: `${facts.buyerName} marcó la orden como pagada (${facts.fiat} por ${facts.method}).`,
      opened: `${opener} abrió una disputa. La custodia sigue bloqueada hasta que un agente de Ccoins decida.`,
      pol_requested: `${facts.sellerName} solicitó una Prueba de Vida a ${facts.buyerName}.`,
      pol_verified: `Prueba de Vida de ${facts.buyerName}: verificada.`,
      pol_face_mismatch: `Prueba de Vida de ${facts.buyerName}: rechazada. El rostro no coincide con el documento registrado.`,
      pol_fraud: `Prueba de Vida de ${facts.buyerName}: rechazada. Se detectó un intento de fraude en la selfie.`,
      hold: 'La custodia de esta orden está en revisión de cumplimiento. Te avisaremos cuando termine.',
      released: `Disputa resuelta: ${facts.crypto} liberados a ${facts.buyerName}.`,
      refunded: `Disputa resuelta: ${facts.crypto} devueltos a ${facts.sellerName}.`,
    },
    pt: {
      created: `Pedido criado. ${facts.crypto} do vendedor ficam bloqueados em custódia (escrow) até a liberação.`,
      paid: `${facts.buyerName} marcou o pedido como pago (${facts.fiat} via ${facts.method}).`,
      opened: `${opener} abriu uma disputa. A custódia continua bloqueada até um agente da Ccoins decidir.`,
      pol_requested: `${facts.sellerName} solicitou uma Prova de Vida a ${facts.buyerName}.`,
      pol_verified: `Prova de Vida de ${facts.buyerName}: verificada.`,
      pol_face_mismatch: `Prova de Vida de ${facts.buyerName}: rejeitada. O rosto não corresponde ao documento cadastrado.`,
      pol_fraud: `Prova de Vida de ${facts.buyerName}: rejeitada. Tentativa de fraude detectada na selfie.`,
      hold: 'A custódia deste pedido está em análise de compliance. Avisaremos quando terminar.',
      released: `Disputa resolvida: ${facts.crypto} liberados para ${facts.buyerName}.`,
      refunded: `Disputa resolvida: ${facts.crypto} devolvidos para ${facts.sellerName}.`,
    },
  };
  return texts[locale][event];
}

export function systemSays(locale: ChatLocale, event: SystemEvent, at: Anchor, minutes: number, facts: ChatFacts): ChatLine {
  return { from: 'system', at, minutes, text: systemText(locale, event, facts), event };
}

/** The dispute agent's first message to both parties once they have claimed the case. */
export function agentGreeting(locale: ChatLocale, agentFirstName: string, facts: ChatFacts): string {
  return locale === 'pt'
    ? `Olá ${facts.buyer} e ${facts.seller}, aqui é ${agentFirstName}, da equipe de disputas da Ccoins. Já estou analisando este pedido. ${facts.buyer}, envie o comprovante baixado do app do banco (PDF, não print). ${facts.seller}, preciso do extrato de hoje com as entradas.`
    : `Hola ${facts.buyer} y ${facts.seller}, soy ${agentFirstName} del equipo de disputas de Ccoins y ya estoy revisando esta orden. ${facts.buyer}, por favor sube el comprobante descargado del banco (PDF, no captura). ${facts.seller}, necesito un extracto de hoy donde se vean los movimientos.`;
}
