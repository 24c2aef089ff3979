// The desk's HTTP client of the platform API (DESIGN §2). It adds the session's bearer token, bounds every
// call with a timeout, and turns every failure into one of three typed errors: the server said no
// (PlatformError, with the envelope's status and code), the server could not be reached (OfflineError),
// or there is no session to send (SignedOutError). A 401 on a call that carried a token means the session
// is over, and is reported once to the session through `onUnauthenticated`.
//
// `call(ROUTES.x, ...)` is how the desk talks to the platform: the route contract (shared/api/routes.ts)
// gives the method, the path, whether the token goes along, and the schema every answer is checked
// against (MalformedAnswerError when it does not fit). The path-based methods below it are its transport.
import type { Readable } from 'node:stream';
import axios, { AxiosError, type AxiosInstance, type AxiosRequestConfig, type Method } from 'axios';
import type { z } from 'zod';
import { isApiErrorCode, type ApiErrorCode, type HttpStatusErrorCode } from '../../shared/api/errors';
import {
  BACKGROUND_REQUEST_HEADER,
  pathOf,
  type RouteBody,
  type RouteParams,
  type RouteResponse,
  type RouteSpec,
} from '../../shared/api/routes';
import type { ApiErrorBody } from '../../shared/api/types';

/**
 * The server answered with an error status. `code` is the envelope's code when it is one of the API's
 * (shared/api/errors.ts), else the status as `http_<status>`: a code this desk does not know is treated
 * by its status.
 */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | HttpStatusErrorCode,
    message: string,
    /** Set on the 401 of a session the server ended for inactivity: after how many idle minutes. */
    readonly idleMinutes: number | null = null,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** No answer: the server is down, unreachable, or too slow. The call may be retried later. */
export class OfflineError extends Error {
  constructor(
    readonly code: 'offline' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'OfflineError';
  }
}

/** The server answered a call with a body its route's response schema does not accept. */
export class MalformedAnswerError extends Error {
  readonly code = 'malformed_answer';
  constructor(route: Pick<RouteSpec, 'method' | 'path'>, detail: string) {
    super(`The server answered ${route.method} ${route.path} in a form the desk cannot read: ${detail}`);
    this.name = 'MalformedAnswerError';
  }
}

export class SignedOutError extends Error {
  readonly code = 'signed_out';
  constructor(message = 'You are signed out. Sign in again to continue.') {
    super(message);
    this.name = 'SignedOutError';
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  /** The session's access token, read on every call; null when signed out. */
  token(): string | null;
  /** A call sent with `token` came back 401: that session is over. */
  onUnauthenticated(token: string, error: PlatformError): void;
  /**
   * Whether the user is at the desk now. A GET made while they are not goes as a background request
   * (`X-Background-Request: 1`): it does not slide the server's idle timeout. Absent: always present.
   */
  userPresent?(): boolean;
  timeoutMs?: number;
}

export interface CallOptions {
  /** false for the calls made before there is a session (sign-in, health). */
  auth?: boolean;
  params?: Record<string, string | number>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

type QueryOf<R extends RouteSpec> = R['query'] extends z.ZodType
  ? { [K in keyof z.input<R['query']>]?: string | number }
  : never;

/** A call of a route of the contract. Path parameters are filled in and percent-encoded. */
export type RouteCall<R extends RouteSpec> = Omit<CallOptions, 'params'> &
  (keyof RouteParams<R> extends never ? { params?: undefined } : { params: RouteParams<R> }) &
  (R['body'] extends z.ZodType ? { body: RouteBody<R> } : { body?: undefined }) & { query?: QueryOf<R> };

export interface PlatformApi {
  readonly baseUrl: string;
  /**
   * Calls a route of the contract and checks the answer against its response schema. The token goes
   * along unless the route is public (or `auth: false` says it is sent by hand).
   */
  call<R extends RouteSpec>(route: R, call: RouteCall<R>): Promise<RouteResponse<R>>;
  /** Like `call`, for answers the caller checks itself (the sync page, read field by field for speed). */
  callUnchecked<R extends RouteSpec>(route: R, call: RouteCall<R>): Promise<unknown>;
  get<T>(path: string, options?: CallOptions): Promise<T>;
  post<T>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  delete<T>(path: string, body?: unknown, options?: CallOptions): Promise<T>;
  /** A binary body (evidence files) with its Content-Type. */
  getBytes(path: string, options?: CallOptions): Promise<{ bytes: Buffer; mime: string }>;
  /** A long-lived streaming body (the /v1/events stream); no timeout once the headers arrived. */
  openStream(path: string, options: CallOptions & { signal: AbortSignal }): Promise<Readable>;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

const isEnvelope = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  typeof (body as ApiErrorBody).error?.code === 'string' &&
  typeof (body as ApiErrorBody).error?.message === 'string';

/** The idle minutes of a 401 that says the session ended for inactivity (`reason: "idle_timeout"`), or null. */
function idleMinutesOf(error: ApiErrorBody['error']): number | null {
  const { reason, idleMinutes } = error as { reason?: unknown; idleMinutes?: unknown };
  if (reason !== 'idle_timeout') return null;
  return Number.isInteger(idleMinutes) && (idleMinutes as number) > 0 ? (idleMinutes as number) : null;
}

function errorFromBody(status: number, body: unknown): PlatformError {
  if (isEnvelope(body)) {
    const { code, message } = body.error;
    const idleMinutes = status === 401 ? idleMinutesOf(body.error) : null;
    return new PlatformError(status, isApiErrorCode(code) ? code : `http_${status}`, message, idleMinutes);
  }
  return new PlatformError(status, `http_${status}`, `The server answered with status ${status}.`);
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** A byte download's error answer arrives as bytes (getBytes asks for an ArrayBuffer): read its envelope. */
function bodyOf(data: unknown): unknown {
  if (!(data instanceof ArrayBuffer) && !Buffer.isBuffer(data)) return data;
  try {
    return JSON.parse(Buffer.from(data as ArrayBuffer).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Maps anything axios throws to the typed errors above; non-axios errors pass through unchanged. */
export function toApiError(error: unknown, baseUrl: string): unknown {
  if (!(error instanceof AxiosError)) return error;
  if (error.response) return errorFromBody(error.response.status, bodyOf(error.response.data));
  if (axios.isCancel(error) || error.code === 'ERR_CANCELED') return error;
  if (error.code && TIMEOUT_CODES.has(error.code)) {
    return new OfflineError('timeout', `The server at ${baseUrl} did not answer in time.`);
  }
  return new OfflineError('offline', `The server at ${baseUrl} cannot be reached.`);
}

async function readText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function createApiClient(options: ApiClientOptions): PlatformApi {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http: AxiosInstance = axios.create({
    baseURL: baseUrl,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // A desk may sync a large page; the server clamps pages at 500 cases, so this only guards against junk.
    maxContentLength: 256 * 1024 * 1024,
    transitional: { clarifyTimeoutError: true },
  });

  function headersFor(method: Method, call: CallOptions): { headers: Record<string, string>; token: string | null } {
    const headers = { ...call.headers };
    if (call.auth === false) return { headers, token: null };
    const token = options.token();
    if (!token) throw new SignedOutError();
    headers.authorization = `Bearer ${token}`;
    if (method.toUpperCase() === 'GET' && options.userPresent?.() === false) headers[BACKGROUND_REQUEST_HEADER] = '1';
    return { headers, token };
  }

  function failed(error: unknown, token: string | null): never {
    const mapped = toApiError(error, baseUrl);
    if (token && mapped instanceof PlatformError && mapped.status === 401)
      options.onUnauthenticated(token, mapped);
    throw mapped;
  }

  async function request<T>(
    method: Method,
    path: string,
    call: CallOptions,
    config: AxiosRequestConfig = {},
  ) {
    const { headers, token } = headersFor(method, call);
    try {
      const response = await http.request<T>({
        method,
        url: path,
        headers,
        params: call.params,
        signal: call.signal,
        ...(call.timeoutMs === undefined ? {} : { timeout: call.timeoutMs }),
        ...config,
      });
      return response;
    } catch (error) {
      return failed(error, token);
    }
  }

  async function send<R extends RouteSpec>(route: R, call: RouteCall<R>): Promise<unknown> {
    const { params, body, query, ...options } = call as RouteCall<RouteSpec> & {
      params?: Record<string, string>;
      query?: Record<string, string | number>;
    };
    const path = pathOf(route, params);
    const sent: CallOptions = {
      ...(route.access === 'public' ? { auth: false } : {}),
      ...options,
      ...(query ? { params: query } : {}),
    };
    const config: AxiosRequestConfig =
      route.method === 'GET' ? {} : { data: body ?? (route.method === 'POST' ? {} : undefined) };
    return (await request<unknown>(route.method, path, sent, config)).data;
  }

  return {
    baseUrl,
    async call<R extends RouteSpec>(route: R, call: RouteCall<R>) {
      const answer = await send(route, call);
      // A 204 has no body; axios reads it as an empty string.
      const parsed = route.response.safeParse(answer === '' ? undefined : answer);
      if (!parsed.success) {
        throw new MalformedAnswerError(route, parsed.error.issues[0]?.message ?? 'not the expected shape');
      }
      return parsed.data as RouteResponse<R>;
    },
    callUnchecked: send,
    async get<T>(path: string, call: CallOptions = {}) {
      return (await request<T>('GET', path, call)).data;
    },
    async post<T>(path: string, body?: unknown, call: CallOptions = {}) {
      return (await request<T>('POST', path, call, { data: body ?? {} })).data;
    },
    async delete<T>(path: string, body?: unknown, call: CallOptions = {}) {
      return (await request<T>('DELETE', path, call, body === undefined ? {} : { data: body })).data;
    },
    async getBytes(path: string, call: CallOptions = {}) {
      const response = await request<ArrayBuffer>('GET', path, call, { responseType: 'arraybuffer' });
      const mime = String(response.headers['content-type'] ?? 'application/octet-stream');
      // Under Node, axios answers the body it gathered as a Buffer: handed on as it is, not copied again.
      const data: unknown = response.data;
      return { bytes: Buffer.isBuffer(data) ? data : Buffer.from(response.data), mime };
    },
    async openStream(path: string, call: CallOptions & { signal: AbortSignal }) {
      const { headers, token } = headersFor('GET', call);
      // The stream itself has no timeout (it is meant to stay open), but its headers must come in time.
      const connection = new AbortController();
      const abort = () => connection.abort();
      call.signal.addEventListener('abort', abort, { once: true });
      let timedOut = false;
      const headersDue = setTimeout(
        () => {
          timedOut = true;
          connection.abort();
        },
        call.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
      try {
        const response = await http.request<Readable>({
          method: 'GET',
          url: path,
          headers: { ...headers, accept: 'text/event-stream' },
          signal: connection.signal,
          responseType: 'stream',
          timeout: 0,
          // The error body of a stream request is itself a stream: read it here to get the envelope.
          validateStatus: () => true,
        });
        if (response.status === 200) return response.data;
        const text = await readText(response.data);
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // Not the envelope: errorFromBody reports the bare status.
        }
        throw errorFromBody(response.status, body);
      } catch (error) {
        if (timedOut) throw new OfflineError('timeout', `The server at ${baseUrl} did not answer in time.`);
        return failed(error, token);
      } finally {
        clearTimeout(headersDue);
      }
    },
  };
}
