// KYT alerts as a Chainalysis-like monitor raises them: a rule, a level with its score band, a category
// and whether the exposure is direct (the counterparty itself) or indirect (within a few hops).
import type { KytLevel } from '../../shared/domain/dispute';
import type { Asset } from '../../shared/domain/money';
import type { KytFinding } from '../server/sql/kyt';
import type { Prng } from './prng';

export type KytRuleKey = 'sanctions' | 'darknet' | 'mixer' | 'highRiskExchange' | 'structuring' | 'stolenFunds';
export type Exposure = KytFinding['exposure'];

export const KYT_RULES: Record<KytRuleKey, { rule: string; category: string }> = {
  sanctions: { rule: 'Sanctioned entity exposure', category: 'sanctioned entity' },
  darknet: { rule: 'Darknet market exposure', category: 'darknet market' },
  mixer: { rule: 'Mixer/tumbler exposure', category: 'mixing' },
  highRiskExchange: { rule: 'High-risk exchange', category: 'high risk exchange' },
  structuring: { rule: 'Structuring/rapid in-out', category: 'behavioral' },
  stolenFunds: { rule: 'Stolen funds', category: 'stolen funds' },
};

/** Risk score bands on a 0–10 scale, one decimal. */
const SCORE_BANDS: Record<KytLevel, readonly [number, number]> = {
  SEVERE: [9, 10],
  HIGH: [7, 8.9],
  MEDIUM: [4, 6.9],
  LOW: [1, 3.9],
};

export function kytScore(prng: Prng, level: KytLevel): number {
  const [min, max] = SCORE_BANDS[level];
  return Math.round((min + prng.float() * (max - min)) * 10) / 10;
}

const BASE32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function fromAlphabet(prng: Prng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[prng.int(0, alphabet.length - 1)];
  return out;
}

/** A transaction hash in the format of the asset's usual network (USDT on TRON, the rest on their own). */
export function txHash(prng: Prng, asset: Asset): string {
  return asset === 'ETH' || asset === 'USDC' ? `0x${prng.hex(64)}` : prng.hex(64);
}

export function address(prng: Prng, asset: Asset): string {
  if (asset === 'BTC') return `bc1q${fromAlphabet(prng, BASE32, 38)}`;
  if (asset === 'USDT') return `T${fromAlphabet(prng, BASE58, 33)}`;
  return `0x${prng.hex(40)}`;
}

const shorten = (value: string) => `${value.slice(0, 10)}…${value.slice(-6)}`;

/** The alert's explanation, as a reviewer reads it in the alert list. */
export function kytDetails(prng: Prng, key: KytRuleKey, exposure: Exposure, asset: Asset, amount: string): string {
  const tx = shorten(txHash(prng, asset));
  const counterparty = shorten(address(prng, asset));
  const share = exposure === 'DIRECT' ? 100 : prng.int(8, 64);
  const hops = prng.int(2, 4);
  switch (key) {
    case 'sanctions':
      return exposure === 'DIRECT'
        ? `Escrow deposit ${tx} (${amount} ${asset}) came directly from ${counterparty}, an address of an exchange on the OFAC SDN list.`
        : `${share}% of escrow deposit ${tx} (${amount} ${asset}) traces back ${hops} hops to an OFAC SDN-listed exchange.`;
    case 'darknet':
      return `${share}% of escrow deposit ${tx} (${amount} ${asset}) traces ${exposure === 'DIRECT' ? 'directly' : `back ${hops} hops`} to a darknet market cluster (${counterparty}).`;
    case 'mixer':
      return `The buyer's withdrawal address ${counterparty} received ${share}% of its inflows from a mixing service ${exposure === 'DIRECT' ? 'directly' : `within ${hops} hops`}.`;
    case 'highRiskExchange':
      return `Counterparty address ${counterparty} belongs to an unlicensed high-risk exchange with no KYC (${share}% exposure, ${exposure.toLowerCase()}).`;
    case 'structuring':
      return `${prng.int(6, 14)} trades just under the reporting threshold in 48 h, each withdrawn to ${counterparty} within minutes of release (rapid in-out).`;
    case 'stolenFunds':
      return `Escrow deposit ${tx} (${amount} ${asset}) is ${exposure === 'DIRECT' ? 'directly' : `${hops} hops`} linked to funds reported stolen in an exchange hack (${share}% of the deposit).`;
  }
}
