// The parties of the demo disputes, created on first mention: a synthetic person, a KYC status that matches
// their onboarding check (ID photo + selfie analysed by MetaMap), an account age and a trading history.
import type { KycStatus } from '../../shared/domain/dispute';
import { syntheticPersonSpec, personFor } from './people';
import { frameKey, type EvidenceSource, type PlannedCheck, type PlannedParty } from './plan';
import { Prng } from './prng';
import type { Country } from './world';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface PartyTraits {
  kycStatus?: KycStatus;
  /** Account age in days; new accounts are a classic fraud signal. */
  accountAgeDays?: number;
  tradeCount?: number;
  priorDisputes?: number;
}

/** Sequential, readable ids: the same plan always numbers its rows the same way. */
export class IdSequence {
  private next: number;
  constructor(
    private readonly prefix: string,
    first: number,
  ) {
    this.next = first;
  }
  take(): string {
    return `${this.prefix}-${this.next++}`;
  }
}

export const metamapVerificationId = (prng: Prng) => prng.hex(24);

export class PartyRegistry {
  readonly all: PlannedParty[] = [];
  private readonly named = new Map<string, PlannedParty>();
  private readonly displayNames = new Set<string>();
  private readonly ids = new IdSequence('PTY', 100001);

  constructor(
    private readonly now: Date,
    private readonly files: Map<string, EvidenceSource>,
    private readonly checkIds: IdSequence,
  ) {}

  /** The party called `name` (created on first use), or a fresh one when no name is given. */
  party(country: Country, name?: string, traits: PartyTraits = {}): PlannedParty {
    const existing = name ? this.named.get(name) : undefined;
    if (existing) return existing;
    const created = this.create(country, traits);
    if (name) this.named.set(name, created);
    return created;
  }

  private create(country: Country, traits: PartyTraits): PlannedParty {
    const id = this.ids.take();
    const prng = new Prng(`party:${id}`);
    // Two parties with the same name would confuse a demo: draw again until the name is new.
    let seed = `demo:${id}`;
    let person = personFor(seed, country);
    for (let attempt = 1; this.displayNames.has(person.displayName); attempt++) {
      seed = `demo:${id}:${attempt}`;
      person = personFor(seed, country);
    }
    this.displayNames.add(person.displayName);
    const kycStatus = traits.kycStatus ?? (prng.chance(0.08) ? 'reviewNeeded' : 'verified');
    const ageDays = traits.accountAgeDays ?? prng.weighted<number>([
      [prng.int(20, 120), 30],
      [prng.int(120, 700), 50],
      [prng.int(700, 1800), 20],
    ]);
    const accountCreatedAt = new Date(this.now.getTime() - ageDays * DAY_MS - prng.int(0, 1439) * MINUTE_MS);
    const tradeCount = traits.tradeCount ?? prng.int(3, Math.max(4, Math.min(900, Math.round(ageDays * 0.9))));
    const priorDisputes = traits.priorDisputes ?? prng.weighted<number>([
      [0, 70],
      [1, 20],
      [prng.int(2, 3), 10],
    ]);
    const party: PlannedParty = {
      id,
      seed,
      person,
      kycStatus,
      accountCreatedAt,
      tradeCount,
      disputeCount: priorDisputes,
      onboarding: this.onboardingCheck(prng, id, person.documentType, kycStatus, accountCreatedAt),
    };
    this.files.set(`id:${id}`, { type: 'id_photo', person: syntheticPersonSpec(person, seed) });
    this.files.set(`selfie:${id}`, { type: 'frames', person: syntheticPersonSpec(person, seed), count: 1, differentPerson: false });
    this.all.push(party);
    return party;
  }

  private onboardingCheck(
    prng: Prng,
    partyId: string,
    documentType: string,
    status: KycStatus,
    accountCreatedAt: Date,
  ): PlannedCheck {
    const createdAt = new Date(accountCreatedAt.getTime() + prng.int(3, 40) * MINUTE_MS);
    const verified = status === 'verified';
    return {
      id: this.checkIds.take(),
      partyId,
      caseId: null,
      trigger: 'onboarding',
      status,
      livenessScore: verified ? prng.score(0.9, 0.99) : prng.score(0.55, 0.72),
      faceMatchScore: verified ? prng.score(0.86, 0.98) : prng.score(0.6, 0.74),
      documentType,
      idPhoto: `id:${partyId}`,
      frames: [frameKey(`selfie:${partyId}`, 0)],
      errorCode: null,
      providerVerificationId: metamapVerificationId(prng),
      requestedBy: null,
      createdAt,
      completedAt: new Date(createdAt.getTime() + prng.int(60, 300) * 1000),
    };
  }
}
