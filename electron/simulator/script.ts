// A trade's chat as the simulator plays it: what the parties write, in order, and the moments of the trade
// between their lines (marked as paid, released, a dispute opened...). The disputes reuse the demo seed's
// scripts (electron/seed/chat-scripts.ts); trades that go well or are called off have their own, here.
import type { ChatFacts, ChatLine, SystemEvent } from '../seed/chat';
import type { ChatLocale } from '../seed/world';

export type Moment = 'paid' | 'released' | 'cancelled' | 'opened' | 'pol_requested' | 'pol_result';

export type ScriptLine =
  { from: 'buyer' | 'seller'; text: string; attach?: 'receipt' | 'statement' } | { moment: Moment };

const MOMENT_OF: Partial<Record<SystemEvent, Moment>> = {
  paid: 'paid',
  opened: 'opened',
  released: 'released',
  refunded: 'cancelled',
  pol_requested: 'pol_requested',
  pol_verified: 'pol_result',
  pol_face_mismatch: 'pol_result',
  pol_fraud: 'pol_result',
};

/**
 * A seed script as lines and moments. The platform writes its own system lines, so those become the
 * moments they report; the seed's "order created" line goes, as `trade.opened` always comes first.
 */
export function fromSeedScript(lines: readonly ChatLine[]): ScriptLine[] {
  return lines.flatMap((line): ScriptLine[] => {
    if (line.from === 'system') {
      const moment = line.event ? MOMENT_OF[line.event] : undefined;
      return moment ? [{ moment }] : [];
    }
    return [
      line.attach
        ? { from: line.from, text: line.text, attach: line.attach }
        : { from: line.from, text: line.text },
    ];
  });
}

const b = (text: string, attach?: 'receipt'): ScriptLine =>
  attach ? { from: 'buyer', text, attach } : { from: 'buyer', text };
const s = (text: string): ScriptLine => ({ from: 'seller', text });
const paid: ScriptLine = { moment: 'paid' };
const released: ScriptLine = { moment: 'released' };
const cancelled: ScriptLine = { moment: 'cancelled' };

type Script = (f: ChatFacts) => ScriptLine[];

/** Trades that go the way they should: paid, receipt, released. */
const COMPLETED: Record<ChatLocale, Script[]> = {
  es: [
    (f) => [
      b(`Hola ${f.seller}, ¿me pasas los datos para el ${f.method}?`),
      s(`Hola! ${f.sellerAccount}. Monto exacto ${f.fiat}.`),
      b(`Listo, enviado. Ref. ${f.reference}`, 'receipt'),
      paid,
      s('Recibido, ya libero.'),
      released,
      b('Llegó, gracias! 👍'),
    ],
    (f) => [
      s(`Buenas ${f.buyer}. Datos: ${f.sellerAccount}. Solo cuentas a tu nombre.`),
      b('Perfecto, ya pago.'),
      b('Hecho, aquí el comprobante.', 'receipt'),
      paid,
      s('Déjame verificar...'),
      s(`Confirmado ${f.fiat}. Liberando ${f.crypto}.`),
      released,
      b('Recibidos. Un placer.'),
    ],
    (f) => [
      b('Buenas, compro. ¿Sigues disponible?'),
      s(`Sí, dale. ${f.sellerAccount}`),
      b(`Transferido ${f.fiat}`, 'receipt'),
      paid,
      released,
      s('Listo, liberado. Gracias por la compra.'),
    ],
  ],
  pt: [
    (f) => [
      b(`Oi ${f.seller}, me passa a chave ${f.method}?`),
      s(`Oi! ${f.sellerAccount}. Valor exato ${f.fiat}.`),
      b(`Pronto, enviado. ID ${f.reference}`, 'receipt'),
      paid,
      s('Caiu aqui, liberando.'),
      released,
      b('Recebi, valeu! 👍'),
    ],
    (f) => [
      s(`Olá ${f.buyer}. Chave: ${f.sellerAccount}. Só de conta no seu nome.`),
      b('Beleza, pagando.'),
      b('Feito, segue o comprovante.', 'receipt'),
      paid,
      s(`Confirmado ${f.fiat}. Liberando ${f.crypto}.`),
      released,
      b('Chegou. Obrigado!'),
    ],
  ],
};

/** Trades called off before any money moved: the escrow goes back to the seller. */
const CANCELLED: Record<ChatLocale, { script: Script; reason: string }[]> = {
  es: [
    {
      script: (f) => [
        b(`Hola, voy a pagar por ${f.method}.`),
        s(`Ok, ${f.sellerAccount}.`),
        b('Disculpa, mi banco me está rechazando la transferencia. Mejor cancelo.'),
        s('Sin problema.'),
        cancelled,
      ],
      reason: "The buyer's bank refused the transfer; the buyer cancelled before paying.",
    },
    {
      script: (f) => [
        s(`Hola ${f.buyer}, datos: ${f.sellerAccount}. Tienes 15 minutos.`),
        s('¿Sigues ahí?'),
        cancelled,
      ],
      reason: 'The payment window expired without a payment.',
    },
    {
      script: () => [b('Perdón, me equivoqué de monto. Cancelo y abro otra orden.'), s('Dale.'), cancelled],
      reason: 'The buyer opened the order with the wrong amount and cancelled it.',
    },
  ],
  pt: [
    {
      script: (f) => [
        b(`Oi, vou pagar via ${f.method}.`),
        s(`Ok, ${f.sellerAccount}.`),
        b('Desculpa, o banco recusou meu Pix. Vou cancelar.'),
        s('Tranquilo.'),
        cancelled,
      ],
      reason: "The buyer's bank refused the transfer; the buyer cancelled before paying.",
    },
    {
      script: (f) => [
        s(`Oi ${f.buyer}, chave: ${f.sellerAccount}. Tem 15 minutos.`),
        s('Ainda está aí?'),
        cancelled,
      ],
      reason: 'The payment window expired without a payment.',
    },
  ],
};

export function completedScript(locale: ChatLocale, variant: number, facts: ChatFacts): ScriptLine[] {
  const scripts = COMPLETED[locale];
  return scripts[variant % scripts.length]!(facts);
}

export function cancelledScript(
  locale: ChatLocale,
  variant: number,
  facts: ChatFacts,
): { lines: ScriptLine[]; reason: string } {
  const scripts = CANCELLED[locale];
  const chosen = scripts[variant % scripts.length]!;
  return { lines: chosen.script(facts), reason: chosen.reason };
}

/** What the seller writes when a failed Proof of Life makes them call the trade off instead of disputing it. */
export const refusedAfterProofOfLife: Record<ChatLocale, string> = {
  es: 'La Prueba de Vida fue rechazada. No sigo con esta orden, cancela por favor.',
  pt: 'A Prova de Vida foi recusada. Não vou seguir com este pedido, cancela por favor.',
};

/** The seller who releases after all once a dispute is open (the platform refuses: only a verdict moves it now). */
export const releaseAnyway: Record<ChatLocale, string> = {
  es: 'Ya me llegó el pago, intento liberar.',
  pt: 'O pagamento caiu, vou tentar liberar.',
};
