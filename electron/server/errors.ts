// Every failure a client can see is an ApiError: a status, a stable snake_case code and a human message.
// Anything else that escapes a handler is a bug and is answered as a bare 500 without details. Codes come
// from the one list in shared/api/errors.ts: a code missing there does not compile here.
import { API_ERRORS, type ApiErrorCode } from '../../shared/api/errors';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Headers sent with the error (a 429's Retry-After); none unless a subclass says so. */
  headers(): Record<string, string> {
    return {};
  }

  /** Fields a client may act on beside the code and message (an idle sign-out's reason); none by default. */
  protected details(): Record<string, string | number> {
    return {};
  }

  toBody(): { error: { code: ApiErrorCode; message: string } } {
    return { error: { ...this.details(), code: this.code, message: this.message } };
  }
}

/** An ApiError with its code's usual status; `status` only where the code means another (a step-up's 403). */
export const apiError = (code: ApiErrorCode, message: string, status: number = API_ERRORS[code]) =>
  new ApiError(status, code, message);

export const invalidRequest = (message: string) => apiError('invalid_request', message);
export const unauthenticated = (message = 'Sign in first.') => apiError('unauthenticated', message);
export const forbidden = (message = 'Your role may not do this.') => apiError('forbidden', message);
export const notFound = (what = 'The resource') => apiError('not_found', `${what} does not exist.`);
export const conflict = (code: ApiErrorCode, message: string) => apiError(code, message, 409);

/**
 * The disk filling up (SQLITE_FULL) or failing (SQLITE_IOERR_*) under a write: 503, as the server took no
 * position. SQLite rolls the whole transaction back, so nothing of the request was stored (no move, no audit
 * entry, no idempotency record) and the same request may be sent again. Null for any other error.
 */
export function storageFailure(error: unknown): ApiError | null {
  const code = (error as { code?: unknown })?.code;
  if (code === 'SQLITE_FULL') {
    return apiError('storage_full', "The server's storage is full; nothing was saved. Try again later.");
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) {
    return apiError('storage_unavailable', "The server's storage failed; nothing was saved. Try again later.");
  }
  return null;
}
