// The desk's error codes for sign-in, in the user's words. Unknown codes keep the desk's own message.
import type { TFunction } from 'i18next';
import { DeskCallError } from '../../desk';

const KNOWN = [
  'invalid_credentials',
  'locked_out',
  'invalid_totp',
  'totp_replayed',
  'invalid_login_token',
  'sign_in_first',
  'already_signed_in',
  'offline',
  'timeout',
  'invalid_request',
] as const;

export function signInErrorText(error: unknown, t: TFunction<'signin'>): string {
  const code = error instanceof DeskCallError ? error.code : 'unknown';
  if ((KNOWN as readonly string[]).includes(code)) return t(`errors.${code as (typeof KNOWN)[number]}`);
  return t('errors.unknown', { message: error instanceof Error ? error.message : String(error) });
}

/** After these the password step has to be done again: the desk has dropped the half-finished sign-in. */
export function needsPasswordAgain(error: unknown): boolean {
  return error instanceof DeskCallError && (error.code === 'invalid_login_token' || error.code === 'sign_in_first');
}
