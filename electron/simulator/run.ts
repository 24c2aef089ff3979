// The simulator's core: opens trades at the given rate against a platform server and plays each one's steps
// in real time, many at once, until the time is up (then lets the open trades finish) or the signal aborts
// (then stops where they are). It says what is worth a look as it goes and counts everything for the end.
import { setTimeout as sleep } from 'node:timers/promises';
import { platformEventOutcome } from '../../shared/api/platform-events';
import { DEFAULT_USD_RATES } from '../server/config';
import {
  deliver,
  DeliveryFailed,
  errorOf,
  metamapSigner,
  platformSigner,
  type RetryPolicy,
} from './delivery';
import { SimulatedMarket } from './market';
import { metamapBody, platformBody, type Step, type TradePlan } from './plan';
import { nameOf } from './world';

export interface SimulatorOptions {
  /** The platform server's base address, e.g. http://127.0.0.1:8080. */
  server: string;
  /** PLATFORM_EVENTS_SECRET: signs the exchange's events. */
  secret: string;
  /** METAMAP_WEBHOOK_SECRET: without it the market plays no Proof of Life. */
  metamapSecret?: string | null;
  /** Trades opened per minute. */
  rate: number;
  /** How long to open trades; the open ones then finish. Default: until the signal aborts. */
  durationMs?: number | null;
  seed: string;
  /** Tells this run's trades apart on the server; default: from the clock. */
  runId?: string;
  signal?: AbortSignal;
  /** Multiplies every wait inside a trade (0.5 plays trades twice as fast). Default 1. */
  pace?: number;
  /** Each notable event as a line of text (a dispute with its case, a KYT story, a failed Proof of Life). */
  onLine?: (line: string) => void;
  retry?: RetryPolicy;
  /** Conversion rates the server uses; default the demo's. */
  usdRates?: Record<string, string>;
}

export interface SimulatorSummary {
  trades: number;
  completed: number;
  cancelled: number;
  disputes: number;
  /** Cases the platform opened for this run's disputes. */
  caseIds: string[];
  failedLiveness: number;
  kytStories: number;
  /** Events the platform refused because the escrow had already moved or is frozen (409): part of the market. */
  refused: number;
  /** Events delivered (platform and MetaMap), retries not counted. */
  events: number;
  errors: number;
}

export class ServerUnreachable extends Error {
  readonly code = 'server_unreachable';
  constructor(server: string, why: string) {
    super(`The platform server at ${server} does not answer GET /v1/health (${why}).`);
    this.name = 'ServerUnreachable';
  }
}

/** Refusals that are the market's own business: the escrow moved already, or a dispute or hold froze it. */
const MARKET_REFUSALS = new Set(['escrow_already_settled', 'escrow_frozen', 'escrow_on_hold']);

/** Checks that the server answers before a run starts. */
export async function checkServer(server: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${server}/v1/health`, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const why =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new ServerUnreachable(server, why);
  }
  if (!response.ok) throw new ServerUnreachable(server, `HTTP ${response.status}`);
}

export async function runSimulator(options: SimulatorOptions): Promise<SimulatorSummary> {
  const server = options.server.replace(/\/$/, '');
  await checkServer(server);
  const start = new Date();
  const market = new SimulatedMarket({
    seed: options.seed,
    runId: options.runId ?? start.getTime().toString(36),
    start,
    usdRates: options.usdRates ?? DEFAULT_USD_RATES,
    proofOfLife: Boolean(options.metamapSecret),
  });
  const summary: SimulatorSummary = {
    trades: 0,
    completed: 0,
    cancelled: 0,
    disputes: 0,
    caseIds: [],
    failedLiveness: 0,
    kytStories: 0,
    refused: 0,
    events: 0,
    errors: 0,
  };
  const player = new TradePlayer(server, options, summary);
  const intervalMs = 60_000 / options.rate;
  const endsAt =
    options.durationMs === undefined || options.durationMs === null
      ? Infinity
      : start.getTime() + options.durationMs;
  const running = new Set<Promise<void>>();
  for (let next = start.getTime(); next < endsAt && !options.signal?.aborted; next += intervalMs) {
    const wait = next - Date.now();
    if (wait > 0 && !(await sleep(wait, true, { signal: options.signal }).catch(() => false))) break;
    if (Date.now() >= endsAt) break;
    const plan = market.nextTrade();
    summary.trades++;
    if (plan.kytStory) {
      summary.kytStories++;
      player.say(`kyt       ${plan.kytStory} (${plan.tradeId})`);
    }
    const trade = player.play(plan);
    running.add(trade);
    void trade.finally(() => running.delete(trade));
  }
  await Promise.all(running);
  return summary;
}

/** Plays trades: each one's steps in order, each step after its wait, and keeps the summary. */
class TradePlayer {
  private readonly pace: number;

  constructor(
    private readonly server: string,
    private readonly options: SimulatorOptions,
    private readonly summary: SimulatorSummary,
  ) {
    this.pace = options.pace ?? 1;
  }

  say(line: string): void {
    this.options.onLine?.(line);
  }

  async play(plan: TradePlan): Promise<void> {
    let previous = new Date();
    let openedAt: Date | null = null;
    for (const step of plan.steps) {
      const waited = await sleep(step.afterMs * this.pace, true, { signal: this.options.signal }).catch(
        () => false,
      );
      if (!waited) return;
      const now = new Date();
      // A late event still happened after its trade opened (the platform refuses a settlement dated
      // earlier), however fast the pace has packed the steps.
      const happenedAt: Date = step.happenedBeforePreviousMs
        ? new Date(
            Math.max(previous.getTime() - step.happenedBeforePreviousMs, (openedAt ?? previous).getTime()),
          )
        : now;
      openedAt ??= happenedAt;
      previous = happenedAt;
      const carryOn = await this.send(plan, step, happenedAt);
      if (!carryOn) return;
    }
  }

  /** Sends one step; false when the trade cannot go on (an error the rest of its steps would only repeat). */
  private async send(plan: TradePlan, step: Step, happenedAt: Date): Promise<boolean> {
    const { delivery } = step;
    const isPlatform = delivery.channel === 'platform';
    const label = isPlatform ? delivery.event.type : `metamap ${delivery.body.eventName}`;
    const url = isPlatform ? `${this.server}/v1/platform/events` : `${this.server}/v1/webhooks/metamap`;
    const body = JSON.stringify(
      isPlatform ? platformBody(delivery.event, happenedAt) : metamapBody(delivery.body, happenedAt),
    );
    const sign = isPlatform
      ? platformSigner(this.options.secret, delivery.webhookId)
      : metamapSigner(this.options.metamapSecret ?? '');
    let answer;
    try {
      answer = await deliver(url, body, sign, {
        signal: this.options.signal,
        ...(this.options.retry ? { retry: this.options.retry } : {}),
      });
    } catch (error) {
      if (this.options.signal?.aborted) return false;
      this.summary.errors++;
      this.say(
        `error     ${plan.tradeId} ${label}: ${error instanceof DeliveryFailed ? error.message : String(error)}`,
      );
      return false;
    }
    this.summary.events++;
    if (answer.status === 409 && MARKET_REFUSALS.has(errorOf(answer.body).code)) {
      this.summary.refused++;
      this.say(`refused   ${plan.tradeId} ${label}: 409 ${errorOf(answer.body).code}`);
      return true;
    }
    if (answer.status < 200 || answer.status >= 300) {
      const { code, message } = errorOf(answer.body);
      this.summary.errors++;
      this.say(`error     ${plan.tradeId} ${label}: ${answer.status} ${code} ${message}`.trimEnd());
      return false;
    }
    if (isPlatform) this.applied(plan, step, answer.body);
    else if (delivery.body.identityStatus === 'rejected') {
      this.summary.failedLiveness++;
      const failure =
        plan.proofOfLife === 'selfie_fraud' ? 'selfie fraud attempt' : 'face does not match the ID';
      this.say(`liveness  ${nameOf(plan.buyer)} failed Proof of Life (${failure}) on ${plan.tradeId}`);
    }
    return true;
  }

  private applied(plan: TradePlan, step: Step, body: unknown): void {
    if (step.delivery.channel !== 'platform') return;
    const outcome = platformEventOutcome.safeParse(body);
    const { event } = step.delivery;
    switch (event.type) {
      case 'trade.released':
        if (!step.expectRefusal) this.summary.completed++;
        break;
      case 'trade.cancelled':
        this.summary.cancelled++;
        break;
      case 'dispute.opened': {
        this.summary.disputes++;
        const caseId = outcome.success ? outcome.data.caseId : null;
        if (caseId) this.summary.caseIds.push(caseId);
        this.say(
          `dispute   ${caseId ?? '(no case id)'} on ${plan.tradeId}, opened by the ${event.data.openedBy}: ${shorten(event.data.reason, 110)}`,
        );
        break;
      }
    }
  }
}

const shorten = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
