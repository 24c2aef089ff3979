// The desk's error codes for sign-in, in the user's words (i18n/errorCodes.ts lists the ones with a text).
// Unknown codes keep the desk's own message.
import type { TFunction } from 'i18next';
import type { DeskProblem } from '../../desk';
import { errorTextKey, SIGN_IN_ERROR_CODES } from '../../i18n/errorCodes';

export function signInErrorText({ code, message }: DeskProblem, t: TFunction<'signin'>): string {
  const key = errorTextKey(SIGN_IN_ERROR_CODES, code);
  if (key === 'unknown') return t('errors.unknown', { message });
  return t(`errors.${key}`);
}

/** After these the password step has to be done again: the desk has dropped the half-finished sign-in. */
export function needsPasswordAgain({ code }: DeskProblem): boolean {
  return code === 'invalid_login_token' || code === 'sign_in_first';
}
