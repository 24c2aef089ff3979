// The rule set as versioned configuration, in the manner of Tazama's typology bands: each rule measures
// one value (a count, a ratio, a distance in hops) and its bands map ranges of that value to an alert
// level. Changing a threshold means a new version, and every alert records the version that raised it,
// so a reviewer can always tell which limits were in force.
import type { KytLevel } from '../../../../shared/domain/dispute';
import type { RiskCategory } from './types';

/** `lower` is inclusive, `upper` exclusive; a null upper has no limit. */
export interface Band {
  level: KytLevel;
  lower: number;
  upper: number | null;
}

export interface RuleConfig<Id extends string = string, Params = Record<string, number>> {
  id: Id;
  version: number;
  title: string;
  category: string;
  /** What the rule watches, for the reviewer reading the rule list. */
  description: string;
  /** What the bands measure, e.g. "trades in the window". */
  measures: string;
  bands: readonly Band[];
  params: Params;
}

const exposureRule = <Id extends string>(
  id: Id,
  title: string,
  category: RiskCategory,
  what: string,
  direct: KytLevel,
  indirect: KytLevel,
): RuleConfig<Id, { maxHops: number }> => ({
  id,
  version: 1,
  title,
  category,
  description: `The escrow deposit came from, or the payout went to, ${what}: directly, or within a few on-chain hops.`,
  measures: 'hops between the trade address and the listed address (1 = direct)',
  bands: [
    { level: direct, lower: 1, upper: 2 },
    { level: indirect, lower: 2, upper: 4 },
  ],
  params: { maxHops: 3 },
});

export const KYT_RULE_SET = {
  sanctions: exposureRule(
    'sanctions_exposure',
    'Sanctioned address exposure',
    'sanctions',
    'an address on a sanctions list',
    'SEVERE',
    'HIGH',
  ),
  mixer: exposureRule('mixer_exposure', 'Mixer exposure', 'mixer', 'a mixing service', 'HIGH', 'MEDIUM'),
  darknet: exposureRule(
    'darknet_exposure',
    'Darknet market exposure',
    'darknet',
    'a darknet market',
    'SEVERE',
    'HIGH',
  ),
  scam: exposureRule(
    'scam_exposure',
    'Scam address exposure',
    'scam',
    'an address reported for scams',
    'HIGH',
    'MEDIUM',
  ),
  structuring: {
    id: 'structuring',
    version: 1,
    title: 'Structuring',
    category: 'behavioral',
    description: 'Repeated trades worth just under the reporting threshold within a short window.',
    measures: 'trades just under the threshold in the window',
    bands: [
      { level: 'MEDIUM', lower: 3, upper: 5 },
      { level: 'HIGH', lower: 5, upper: null },
    ],
    params: { thresholdUsd: 10_000, nearBelowPercent: 10, windowHours: 48 },
  },
  velocity: {
    id: 'velocity',
    version: 1,
    title: 'Trade velocity',
    category: 'behavioral',
    description: 'Many trades by one party within a day.',
    measures: 'trades in the window',
    bands: [
      { level: 'LOW', lower: 8, upper: 12 },
      { level: 'MEDIUM', lower: 12, upper: 20 },
      { level: 'HIGH', lower: 20, upper: null },
    ],
    params: { windowHours: 24 },
  },
  newAccount: {
    id: 'new_account_high_value',
    version: 1,
    title: 'New account trading high value',
    category: 'behavioral',
    description: 'An account younger than the limit trades a high amount.',
    measures: 'the trade in US dollars',
    bands: [
      { level: 'MEDIUM', lower: 5_000, upper: 20_000 },
      { level: 'HIGH', lower: 20_000, upper: null },
    ],
    params: { maxAccountAgeDays: 30 },
  },
  rapidInOut: {
    id: 'rapid_in_out',
    version: 1,
    title: 'Rapid in-out',
    category: 'behavioral',
    description: 'A party buys an asset and sells most of it again within minutes.',
    measures: 'minutes between the purchase and the sale',
    bands: [
      { level: 'HIGH', lower: 0, upper: 15 },
      { level: 'MEDIUM', lower: 15, upper: 60 },
    ],
    params: { minSharePercent: 80 },
  },
  circular: {
    id: 'circular_trading',
    version: 1,
    title: 'Circular trading',
    category: 'behavioral',
    description: 'The same two accounts trade back and forth in both directions.',
    measures: 'round trips between the two accounts in the window',
    bands: [
      { level: 'MEDIUM', lower: 2, upper: 4 },
      { level: 'HIGH', lower: 4, upper: null },
    ],
    params: { windowDays: 7 },
  },
  sharedReceipt: {
    id: 'shared_receipt',
    version: 1,
    title: 'Receipt used by different people',
    category: 'fraud',
    description: 'The same payment receipt file (sha256) was uploaded for trades by different buyers.',
    measures: 'different buyers who uploaded the file',
    bands: [{ level: 'HIGH', lower: 2, upper: null }],
    params: {},
  },
  sharedPayoutAccount: {
    id: 'shared_payout_account',
    version: 1,
    title: 'Payout account used by different people',
    category: 'fraud',
    description: 'One receiving account was given by different sellers.',
    measures: 'different sellers who gave the account',
    bands: [
      { level: 'MEDIUM', lower: 2, upper: 3 },
      { level: 'HIGH', lower: 3, upper: null },
    ],
    params: {},
  },
  disputeLosses: {
    id: 'dispute_loss_ratio',
    version: 1,
    title: 'Dispute-loss ratio',
    category: 'fraud',
    description: 'A party loses most of the disputes it is part of.',
    measures: 'share of decided disputes the party lost',
    bands: [
      { level: 'MEDIUM', lower: 0.5, upper: 0.75 },
      { level: 'HIGH', lower: 0.75, upper: null },
    ],
    params: { minDecidedDisputes: 3 },
  },
} satisfies Record<string, RuleConfig>;

export type KytRuleSet = typeof KYT_RULE_SET;

/** The band the value falls in, or null when it is below every band (the rule does not fire). */
export function bandFor(value: number, bands: readonly Band[]): Band | null {
  return bands.find((band) => value >= band.lower && (band.upper === null || value < band.upper)) ?? null;
}

/** Risk score on Chainalysis' 0–10 scale: one figure per level, so that equal facts score equally. */
export const LEVEL_SCORES: Record<KytLevel, number> = { SEVERE: 9.5, HIGH: 8, MEDIUM: 5.5, LOW: 2.5 };
