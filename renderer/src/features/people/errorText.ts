// A refusal on the People screen in the reader's language: its own codes get their text, anything else
// keeps the desk's message.
import type { TFunction } from 'i18next';
import type { DeskError } from '../../../../shared/desk-api/schemas';
import { toDeskProblem, type DeskProblem } from '../../desk';
import { errorTextKey, PEOPLE_ERROR_CODES } from '../../i18n/errorCodes';

export function errorText(t: TFunction<'people'>, error: DeskProblem | DeskError): string {
  const { code, message } = toDeskProblem(error);
  const key = errorTextKey(PEOPLE_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}
