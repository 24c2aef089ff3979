// A simulated trade as plain data, before anything is sent: the steps it will take, each an event for the
// platform or a MetaMap webhook, with the wait before it. Planning is pure (a function of the seed), so a
// run is reproducible and the tests read every plan without a server.
import type { PlatformEvent } from '../../shared/api/platform-events';
import type { MetamapBody, ProofOfLifeOutcome } from './metamap';
import type { Trader } from './world';

type Untimed<E> = E extends unknown ? Omit<E, 'timestamp'> : never;

/** A platform event without its `timestamp`, which says when it happened and is set as it is sent. */
export type PlatformEventDraft = Untimed<PlatformEvent>;

export type Delivery =
  | { channel: 'platform'; webhookId: string; event: PlatformEventDraft }
  | { channel: 'metamap'; body: MetamapBody };

export interface Step {
  /** How long after the previous step this one is sent, in ms at pace 1. */
  afterMs: number;
  delivery: Delivery;
  /**
   * The event happened this long before the previous one and arrives late: a seller's release that crossed
   * the buyer's dispute on its way. Its `timestamp` is then the previous event's minus this.
   */
  happenedBeforePreviousMs?: number;
  /** The platform must refuse it: a seller releasing an escrow that a dispute has frozen. */
  expectRefusal?: boolean;
}

export type TradeOutcome = 'completed' | 'cancelled' | 'disputed';

export interface TradePlan {
  tradeId: string;
  outcome: TradeOutcome;
  buyer: Trader;
  seller: Trader;
  /** The Proof of Life the buyer is asked for, if any, and how it ends. */
  proofOfLife: ProofOfLifeOutcome | null;
  /** On the first trade of a KYT story: what the story is, for the simulator's output. */
  kytStory: string | null;
  steps: Step[];
}

export const platformBody = (event: PlatformEventDraft, timestamp: Date): PlatformEvent =>
  ({ ...event, timestamp: timestamp.toISOString() }) as PlatformEvent;

export const metamapBody = (body: MetamapBody, timestamp: Date) => ({
  ...body,
  timestamp: timestamp.toISOString(),
});
