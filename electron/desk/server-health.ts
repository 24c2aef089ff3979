// The check of an organisation's server before the desk saves it (first run, "Connect to my organisation"):
// the address rule first (https, plain http only to this computer), then a real GET /v1/health with a
// timeout, whose answer must have the platform's shape. Each way it can fail has its own code, so that the
// renderer words it plainly (not https, unreachable, not a Dispute Desk server, too slow). The desk makes
// the request, not the renderer: the page's content security policy lets it talk to its own origin only.
import { health } from '../../shared/api/responses';
import type { ServerCheck } from '../../shared/desk-api/schemas';
import { checkServerUrl } from '../../shared/desk-api/server-url';
import { DeskFailure } from './handlers';

export const HEALTH_TIMEOUT_MS = 8_000;
/** A health answer is a few dozen bytes; a page that streams megabytes is not a platform server. */
const MAX_HEALTH_BYTES = 16 * 1024;

export interface HealthCheckOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export async function checkServerHealth(input: string, options: HealthCheckOptions = {}): Promise<ServerCheck> {
  const checked = checkServerUrl(input.trim());
  if (!checked.ok) throw new DeskFailure('server_url_refused', `This address cannot be used: ${checked.reason}.`);
  const serverUrl = checked.url;
  const timeoutMs = options.timeoutMs ?? HEALTH_TIMEOUT_MS;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  let body: string;
  try {
    response = await doFetch(`${serverUrl}/v1/health`, {
      headers: { Accept: 'application/json' },
      // A redirect could lead from https to somewhere else: the address must answer itself.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await readLimited(response, MAX_HEALTH_BYTES);
  } catch (error) {
    if (isTimeout(error)) {
      throw new DeskFailure('server_timeout', `${serverUrl} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    }
    if (error instanceof TooLargeError) throw notDisputeDesk(serverUrl, 'its answer is far too long');
    throw new DeskFailure('server_unreachable', `${serverUrl} could not be reached: ${reasonOf(error)}.`);
  }
  if (response.status !== 200) throw notDisputeDesk(serverUrl, `GET /v1/health answered ${response.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw notDisputeDesk(serverUrl, 'GET /v1/health did not answer JSON');
  }
  const answer = health.safeParse(parsed);
  if (!answer.success) throw notDisputeDesk(serverUrl, 'GET /v1/health did not answer {"status":"ok","version":…}');
  return { serverUrl, version: answer.data.version.slice(0, 64) };
}

function notDisputeDesk(serverUrl: string, why: string): DeskFailure {
  return new DeskFailure('server_not_dispute_desk', `${serverUrl} is not a Dispute Desk server: ${why}.`);
}

class TooLargeError extends Error {}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new TooLargeError();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** fetch's TypeError says only "fetch failed"; the reason (ECONNREFUSED, a certificate) is in its cause. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
