// The KYT engine: every rule of the rule set over the same indexed facts. Pure and deterministic, so
// that running it again over the same trades gives the same dedupe keys and the store adds nothing.
import { KYT_RULE_SET, type KytRuleSet } from './config';
import { indexFacts } from './facts';
import { circularAlerts } from './rules/circular';
import { disputeLossAlerts } from './rules/dispute-losses';
import { exposureAlerts } from './rules/exposure';
import { newAccountAlerts } from './rules/new-account';
import { rapidInOutAlerts } from './rules/rapid-in-out';
import { sharedPayoutAccountAlerts, sharedReceiptAlerts } from './rules/shared-instruments';
import { structuringAlerts } from './rules/structuring';
import { velocityAlerts } from './rules/velocity';
import type { AlertCandidate, KytFacts } from './types';

export function evaluateKyt(facts: KytFacts, rules: KytRuleSet = KYT_RULE_SET): AlertCandidate[] {
  const indexed = indexFacts(facts);
  return [
    ...exposureAlerts(indexed, rules.sanctions, 'sanctions'),
    ...exposureAlerts(indexed, rules.mixer, 'mixer'),
    ...exposureAlerts(indexed, rules.darknet, 'darknet'),
    ...exposureAlerts(indexed, rules.scam, 'scam'),
    ...structuringAlerts(indexed, rules.structuring),
    ...velocityAlerts(indexed, rules.velocity),
    ...newAccountAlerts(indexed, rules.newAccount),
    ...rapidInOutAlerts(indexed, rules.rapidInOut),
    ...circularAlerts(indexed, rules.circular),
    ...sharedReceiptAlerts(indexed, rules.sharedReceipt),
    ...sharedPayoutAccountAlerts(indexed, rules.sharedPayoutAccount),
    ...disputeLossAlerts(indexed, rules.disputeLosses),
  ];
}
