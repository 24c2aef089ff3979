// Every failure that leaves the desk service becomes {code, message}: a stable snake_case code for the
// renderer to branch on and a message a person can read. Failures we did not foresee are logged (name,
// message and stack only: never a request object, which would carry the token) and reported plainly.
import type { DeskError } from '../../shared/desk-api/schemas';
import { MalformedAnswerError, OfflineError, PlatformError, SignedOutError } from './api-client';
import type { DeskLogger } from './context';
import { DeskFailure } from './handlers';

/** Errors whose message was written for the user, with the code to send beside it. */
const READABLE = [DeskFailure, PlatformError, OfflineError, SignedOutError, MalformedAnswerError];

export function deskErrorOf(error: unknown, log: DeskLogger): DeskError {
  if (READABLE.some((kind) => error instanceof kind)) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  const described = error instanceof Error ? error : new Error(String(error));
  log.error('Unexpected failure in the desk service', {
    name: described.name,
    message: described.message,
    stack: described.stack,
  });
  return {
    code: 'internal',
    message: 'Something went wrong in the desk. Try again; if it keeps happening, restart the app.',
  };
}
