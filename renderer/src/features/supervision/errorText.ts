// Turns a desk or server refusal into a sentence in the reader's language: the codes the supervision
// workspace knows get its own text (i18n/errorCodes.ts), anything else keeps the desk's message.
import type { TFunction } from 'i18next';
import type { DeskError } from '../../../../shared/desk-api/schemas';
import { toDeskProblem, type DeskProblem } from '../../desk';
import { errorTextKey, SUPERVISION_ERROR_CODES } from '../../i18n/errorCodes';

export function errorText(t: TFunction<'supervision'>, error: DeskProblem | DeskError): string {
  const { code, message } = toDeskProblem(error);
  const key = errorTextKey(SUPERVISION_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}
