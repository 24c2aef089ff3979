// Turns a desk or server refusal of a supervisor's four-eyes command into a sentence in the reader's
// language: the codes listed in APPROVAL_ERROR_CODES get their own text, anything else keeps the desk's
// message.
import type { TFunction } from 'i18next';
import type { DeskError } from '../../../../shared/desk-api/schemas';
import { toDeskProblem, type DeskProblem } from '../../desk';
import { APPROVAL_ERROR_CODES, errorTextKey } from '../../i18n/errorCodes';

export function errorText(t: TFunction<'approval'>, error: DeskProblem | DeskError): string {
  const { code, message } = toDeskProblem(error);
  const key = errorTextKey(APPROVAL_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}
