// The seed's random choices, all drawn from one seeded stream per seed string: the same string always
// yields the same data set (DESIGN §4), which rules out Math.random and crypto.randomUUID here.
import { seededRandom } from './render/random';

export class Prng {
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = seededRandom(seed);
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Prng.pick needs at least one item');
    return item;
  }

  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0);
    let ticket = this.next() * total;
    for (const [value, weight] of items) {
      ticket -= weight;
      if (ticket < 0) return value;
    }
    const last = items.at(-1);
    if (!last) throw new Error('Prng.weighted needs at least one item');
    return last[0];
  }

  /** `count` decimal digits, the first one not zero when `leadingNonZero`. */
  digits(count: number, leadingNonZero = false): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(i === 0 && leadingNonZero ? this.int(1, 9) : this.int(0, 9));
    return out;
  }

  hex(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += this.int(0, 15).toString(16);
    return out;
  }

  /** Two decimals in [min, max], e.g. a score. */
  score(min: number, max: number): number {
    return Math.round((min + this.next() * (max - min)) * 100) / 100;
  }
}
