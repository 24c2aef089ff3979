// What the outbox and the drafts need from the rest of the desk, as small interfaces that the API client
// (../api-client.ts) and the session (../session.ts) satisfy, so that these modules and their tests do
// not depend on how those are built.
import type { ErrorCode } from '../../../shared/api/errors';
import type { Role } from '../../../shared/domain/dispute';
import { PlatformError, SignedOutError, type PlatformApi } from '../api-client';

/** The user signed in to this desk (or null). Commands and drafts belong to their user id. */
export interface SignedInUser {
  id: string;
  role: Role;
}

/** Authenticated calls to the platform API: the client adds the base URL and the access token. */
export type PlatformCalls = Pick<PlatformApi, 'call'>;

/**
 * Why a call failed, as far as a retry is concerned: the server answered (with its status and error
 * code), there was no session to send it with, or the server could not be reached (no connection, a
 * timeout, an answer lost on the way back).
 */
export type CallFailure =
  | { kind: 'answered'; status: number; code: ErrorCode; message: string }
  | { kind: 'signed_out' }
  | { kind: 'unreachable'; message: string };

/**
 * Reads a failure thrown by the API client. Anything that is not an answer of the server counts as
 * "not reached": a command is retried rather than dropped when in doubt.
 */
export function callFailureOf(error: unknown): CallFailure {
  if (error instanceof PlatformError) {
    return { kind: 'answered', status: error.status, code: error.code, message: error.message };
  }
  if (error instanceof SignedOutError) return { kind: 'signed_out' };
  return { kind: 'unreachable', message: error instanceof Error ? error.message : String(error) };
}
