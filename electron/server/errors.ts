// Every failure a client can see is an ApiError: a status, a stable snake_case code and a human message.
// Anything else that escapes a handler is a bug and is answered as a bare 500 without details.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const invalidRequest = (message: string) => new ApiError(400, 'invalid_request', message);
export const unauthenticated = (message = 'Sign in first.') => new ApiError(401, 'unauthenticated', message);
export const forbidden = (message = 'Your role may not do this.') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'The resource') => new ApiError(404, 'not_found', `${what} does not exist.`);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
