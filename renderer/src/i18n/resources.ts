// Every namespace the renderer ships, one per feature plus `common`. Kept free of i18next so that the
// translation-coverage unit test can read it in Node.
import { auditMessages } from '../features/audit/locales';
import { approvalMessages } from '../features/approval/locales';
import { caseMessages } from '../features/case/locales';
import { complianceMessages } from '../features/compliance/locales';
import { firstrunMessages } from '../features/firstrun/locales';
import { peopleMessages } from '../features/people/locales';
import { queueMessages } from '../features/queue/locales';
import { signinMessages } from '../features/signin/locales';
import { supervisionMessages } from '../features/supervision/locales';
import { commonMessages } from './common';

export const SUPPORTED_LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export const namespaces = {
  common: commonMessages,
  signin: signinMessages,
  firstrun: firstrunMessages,
  queue: queueMessages,
  case: caseMessages,
  compliance: complianceMessages,
  audit: auditMessages,
  supervision: supervisionMessages,
  approval: approvalMessages,
  people: peopleMessages,
} as const;
export type Namespace = keyof typeof namespaces;

/** The language to show for a setting: 'system' follows the system only when it is Spanish (DESIGN §6). */
export function resolveLanguage(setting: 'system' | Language, systemLanguage: string | undefined): Language {
  if (setting !== 'system') return setting;
  return systemLanguage?.toLowerCase().startsWith('es') ? 'es' : 'en';
}
