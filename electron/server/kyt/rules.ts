// The KYT rule set as the reviewer reads it (GET /v1/kyt/rules and an alert's `ruleConfig`), from the
// engine's versioned configuration.
import type { KytRule } from '../../../shared/api/types';
import { KYT_RULE_SET, type RuleConfig } from './engine/config';

function toKytRule(rule: RuleConfig<string, object>): KytRule {
  return {
    id: rule.id,
    version: rule.version,
    title: rule.title,
    category: rule.category,
    description: rule.description,
    measures: rule.measures,
    bands: rule.bands.map((band) => ({ ...band })),
    // Every param of the rule set is a number (windows, limits, percentages): see engine/config.ts.
    params: { ...(rule.params as Record<string, number>) },
  };
}

/** The rules in force, in the configuration's order. */
export const kytRules = (): KytRule[] => Object.values(KYT_RULE_SET).map(toKytRule);

/**
 * The rule as it stood in the version that raised an alert. Only the current version of each rule is
 * kept in configuration, so an alert raised by an older version gets null (as does one raised by hand,
 * `manual`, or from before the engine, `legacy`): the reviewer then sees the alert's own details only.
 */
export function ruleConfigAsRaised(ruleId: string, version: number): KytRule | null {
  const rule = Object.values(KYT_RULE_SET).find((candidate) => candidate.id === ruleId);
  return rule && rule.version === version ? toKytRule(rule) : null;
}
