// The traders of the simulated market: people of the demo seed's world (electron/seed), each with a
// country, the payment account they use there and a standing on the exchange. Regulars come back: most
// trades go to someone already seen, so a busy trader's history builds up the way the KYT rules read it.
import type { KycStatus } from '../../shared/domain/dispute';
import type { PlatformParty } from '../../shared/api/platform-events';
import { paymentAccount, personFor, type PaymentAccount, type Person } from '../seed/people';
import type { Prng } from '../seed/prng';
import type { Country, Market } from '../seed/world';

const DAY_MS = 86_400_000;

/** How many traders a market grows to before it only draws regulars. */
const POPULATION = 400;

export interface Trader {
  id: string;
  /** Seed of the person, their accounts and their face. */
  seed: string;
  person: Person;
  kycStatus: KycStatus;
  accountCreatedAt: Date;
}

export function platformParty(trader: Trader): PlatformParty {
  return {
    id: trader.id,
    displayName: trader.person.displayName,
    country: trader.person.country,
    kycStatus: trader.kycStatus,
    accountCreatedAt: trader.accountCreatedAt.toISOString(),
  };
}

export const accountOf = (trader: Trader, market: Market): PaymentAccount =>
  paymentAccount(trader.person, trader.seed, market);

export const nameOf = (trader: Trader) => `${trader.person.displayName} (${trader.id})`;

export class TraderPool {
  private readonly byCountry = new Map<Country, Trader[]>();
  private readonly names = new Set<string>();
  private count = 0;

  /**
   * `seed` names the world: the same seed gives the same traders under the same ids, so that a second run
   * with it meets the same people again. Account ages are counted back from `start`.
   */
  constructor(
    private readonly seed: string,
    private readonly start: Date,
  ) {}

  /** A trader of `country`: a regular most of the time, a newcomer while the market is still small. */
  draw(prng: Prng, country: Country, except: readonly Trader[] = []): Trader {
    const known = (this.byCountry.get(country) ?? []).filter((trader) => !except.includes(trader));
    const newcomer = prng.chance(Math.max(0.15, 1 - known.length / POPULATION));
    if (!newcomer && known.length > 0) return prng.pick(known);
    return this.newTrader(prng, country);
  }

  /** A newcomer; `accountAgeDays` makes a young account (the new-account KYT rule watches them). */
  newTrader(prng: Prng, country: Country, accountAgeDays?: number): Trader {
    const id = `P-${this.seed}-${String(++this.count).padStart(4, '0')}`;
    let seed = `sim:${this.seed}:${id}`;
    let person = personFor(seed, country);
    // Two traders with the same name would confuse a demo: draw again until the name is new.
    for (let attempt = 1; this.names.has(person.displayName); attempt++) {
      seed = `sim:${this.seed}:${id}:${attempt}`;
      person = personFor(seed, country);
    }
    this.names.add(person.displayName);
    const ageDays =
      accountAgeDays ??
      prng.weighted<number>([
        [prng.int(3, 29), 10],
        [prng.int(30, 365), 50],
        [prng.int(365, 1800), 40],
      ]);
    const trader: Trader = {
      id,
      seed,
      person,
      kycStatus: prng.chance(0.06) ? 'reviewNeeded' : 'verified',
      accountCreatedAt: new Date(this.start.getTime() - ageDays * DAY_MS - prng.int(0, 1439) * 60_000),
    };
    const list = this.byCountry.get(country);
    if (list) list.push(trader);
    else this.byCountry.set(country, [trader]);
    return trader;
  }
}
