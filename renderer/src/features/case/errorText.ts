// Turns a desk or server refusal into a sentence in the reader's language. Codes the screen knows get a
// translated explanation; anything else keeps the desk's own message rather than hiding it.
import type { TFunction } from 'i18next';
import type { ErrorCode } from '../../../../shared/api/errors';
import type { DeskError } from '../../../../shared/desk-api/schemas';

// Codes of the one list (shared/api/errors.ts): a code that is not a real one does not compile here.
const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'case_already_resolved',
  'not_case_holder',
  'escrow_on_hold',
  'case_claimed',
  'verdict_pending_approval',
  'case_not_in_review',
  'invalid_totp',
  'totp_replayed',
  'verdict_in_outbox',
  'forbidden',
  'offline',
  'unauthenticated',
  'signed_out',
]);

export function errorText(t: TFunction<'case'>, error: DeskError): string {
  if (KNOWN_CODES.has(error.code)) return t(`errors.${error.code}` as 'errors.forbidden');
  return t('errors.unknown', { message: error.message });
}
