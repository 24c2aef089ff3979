// The desk's HTTP client against small local servers that misbehave on purpose: the error envelope
// becomes a typed error with status and code, no answer becomes "offline" or "timeout", and a 401 on a
// call that carried the session's token is reported once as the end of that session.
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createApiClient,
  MalformedAnswerError,
  OfflineError,
  PlatformError,
  SignedOutError,
} from '../../electron/desk/api-client';
import { ROUTES } from '../../shared/api/routes';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function closedPort(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const json =
  (status: number, body: unknown): http.RequestListener =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

function client(baseUrl: string, token: string | null = 'session-token', timeoutMs = 2_000) {
  const refused: string[] = [];
  const api = createApiClient({
    baseUrl,
    token: () => token,
    onUnauthenticated: (used) => refused.push(used),
    timeoutMs,
  });
  return { api, refused };
}

describe('the API client', () => {
  it('sends the bearer token and returns the parsed body', async () => {
    let authorization: string | undefined;
    const url = await serve((request, response) => {
      authorization = request.headers.authorization;
      json(200, { ok: true })(request, response);
    });
    expect(await client(`${url}/`).api.get('/v1/me')).toEqual({ ok: true });
    expect(authorization).toBe('Bearer session-token');
  });

  it('turns the error envelope into a PlatformError with its status and code', async () => {
    const url = await serve(
      json(409, { error: { code: 'case_claimed', message: 'Another agent holds this case.' } }),
    );
    const error = await client(url)
      .api.post('/v1/cases/X/claim')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({
      status: 409,
      code: 'case_claimed',
      message: 'Another agent holds this case.',
    });
  });

  it('names a bare error status when the body is not the envelope', async () => {
    const url = await serve((_request, response) => response.writeHead(502).end('<html>bad gateway</html>'));
    await expect(client(url).api.get('/v1/health', { auth: false })).rejects.toMatchObject({
      status: 502,
      code: 'http_502',
    });
  });

  it('reports a closed port as offline and a silent server as a timeout', async () => {
    const offline = await client(await closedPort())
      .api.get('/v1/health')
      .catch((caught: unknown) => caught);
    expect(offline).toBeInstanceOf(OfflineError);
    expect(offline).toMatchObject({ code: 'offline', message: expect.stringMatching(/cannot be reached/) });
    const silent = await serve(() => {});
    const slow = await client(silent, 'token', 100)
      .api.get('/v1/health')
      .catch((caught: unknown) => caught);
    expect(slow).toBeInstanceOf(OfflineError);
    expect(slow).toMatchObject({ code: 'timeout' });
  });

  it('reports a 401 on a call with the token as the end of that session, and not otherwise', async () => {
    const url = await serve(json(401, { error: { code: 'unauthenticated', message: 'Sign in again.' } }));
    const { api, refused } = client(url);
    await expect(api.get('/v1/me')).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(refused).toEqual(['session-token']);
    await expect(api.post('/v1/auth/totp', { code: '1' }, { auth: false })).rejects.toMatchObject({
      status: 401,
    });
    expect(refused).toEqual(['session-token']);
  });

  it('sends nothing without a session', async () => {
    let requests = 0;
    const url = await serve((request, response) => {
      requests += 1;
      json(200, {})(request, response);
    });
    await expect(client(url, null).api.get('/v1/sync')).rejects.toBeInstanceOf(SignedOutError);
    expect(requests).toBe(0);
  });

  it('opens a stream, reads the envelope of a refused one, and times out one whose headers never come', async () => {
    const url = await serve((request, response) => {
      if (request.url === '/ok') {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(': hello\n\n');
      } else if (request.url === '/refused') {
        json(401, { error: { code: 'unauthenticated', message: 'Sign in again.' } })(request, response);
      }
    });
    const { api, refused } = client(url, 'token', 200);
    const signal = new AbortController().signal;
    const stream = await api.openStream('/ok', { signal });
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(text).toBe(': hello\n\n');
    await expect(api.openStream('/refused', { signal })).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
    expect(refused).toEqual(['token']);
    await expect(api.openStream('/never', { signal })).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('calls of the route contract', () => {
  const ME = { id: 'USR-1', username: 'ana', displayName: 'Ana', role: 'agent' };

  it('fills in and encodes path parameters, sends the query, and returns the answer as its schema reads it', async () => {
    const seen: { method?: string; url?: string; authorization?: string }[] = [];
    const url = await serve((request, response) => {
      seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
      json(200, { ...ME, extra: 'not in the contract' })(request, response);
    });
    const { api } = client(url);
    expect(await api.call(ROUTES.me, {})).toEqual(ME);
    await api.callUnchecked(ROUTES.sync, { query: { after: 7, limit: 50 } });
    await api.call(ROUTES.claimCase, { params: { id: 'DSP 1/2' }, body: {} }).catch(() => null);
    expect(seen.map(({ method, url: path }) => `${method} ${path}`)).toEqual([
      'GET /v1/me',
      'GET /v1/sync?after=7&limit=50',
      'POST /v1/cases/DSP%201%2F2/claim',
    ]);
    expect(seen.every((request) => request.authorization === 'Bearer session-token')).toBe(true);
  });

  it('never lets a parameter of dots walk the path up to another route', async () => {
    let requests = 0;
    const url = await serve((request, response) => {
      requests += 1;
      json(200, {})(request, response);
    });
    const { api } = client(url);
    for (const id of ['..', '.', '']) {
      await expect(api.call(ROUTES.claimCase, { params: { id }, body: {} })).rejects.toThrow(/is not a id/);
    }
    expect(requests).toBe(0);
  });

  it('sends no token on a public route', async () => {
    let authorization: string | undefined = 'unset';
    const url = await serve((request, response) => {
      authorization = request.headers.authorization;
      json(200, { status: 'totp_required', loginToken: 'login-token' })(request, response);
    });
    const answer = await client(url).api.call(ROUTES.login, {
      body: { username: 'ana', password: 'secret' },
    });
    expect(answer).toEqual({ status: 'totp_required', loginToken: 'login-token' });
    expect(authorization).toBeUndefined();
  });

  it('refuses an answer that does not fit the contract as malformed_answer', async () => {
    const url = await serve(json(200, { id: 'USR-1', role: 'pirate' }));
    const error = await client(url)
      .api.call(ROUTES.me, {})
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MalformedAnswerError);
    expect(error).toMatchObject({ code: 'malformed_answer', message: expect.stringMatching(/GET \/v1\/me/) });
  });

  it('names an error code this desk does not know by its status, keeping the message', async () => {
    const url = await serve(json(409, { error: { code: 'from_a_newer_server', message: 'Something new.' } }));
    await expect(client(url).api.call(ROUTES.me, {})).rejects.toMatchObject({
      status: 409,
      code: 'http_409',
      message: 'Something new.',
    });
  });
});
