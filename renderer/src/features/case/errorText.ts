// Turns a desk or server refusal into a sentence in the reader's language. Codes the screen knows get a
// translated explanation (i18n/errorCodes.ts lists them); anything else keeps the desk's own message
// rather than hiding it.
import type { TFunction } from 'i18next';
import type { DeskError } from '../../../../shared/desk-api/schemas';
import { toDeskProblem, type DeskProblem } from '../../desk';
import { CASE_ERROR_CODES, errorTextKey } from '../../i18n/errorCodes';

/** Takes a refusal as a desk call answers it, or as an outbox entry keeps it (its code not narrowed yet). */
export function errorText(t: TFunction<'case'>, error: DeskProblem | DeskError): string {
  const { code, message } = toDeskProblem(error);
  const key = errorTextKey(CASE_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}
