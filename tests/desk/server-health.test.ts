// The first-run check of an organisation's server (electron/desk/server-health.ts) against real HTTP servers
// on loopback, and what 'server.info' answers (electron/desk/server-handlers.ts).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serverInfo, type RunningServer } from '../../electron/desk/server-handlers';
import { checkServerHealth } from '../../electron/desk/server-health';
import { DEFAULT_SETTINGS } from '../../electron/desk/settings';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
});

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: { code: string; message: string }) => error);

describe('checkServerHealth', () => {
  it('accepts a server that answers GET /v1/health as the platform does', async () => {
    const seen: string[] = [];
    const url = await serve((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok","version":"1.0.0"}');
    });
    expect(await checkServerHealth(`${url}/`)).toEqual({ serverUrl: url, version: '1.0.0' });
    expect(seen).toEqual(['GET /v1/health']);
  });

  it.each([
    ['plain http to another machine', 'http://disputes.example'],
    ['a password in the address', 'https://ana:pw@disputes.example'],
    ['not an address', 'disputes'],
  ])('refuses %s before any request', async (_what, address) => {
    expect(await failure(checkServerHealth(address))).toMatchObject({ code: 'server_url_refused' });
  });

  it.each([
    ['another shape', 200, '{"hello":"world"}'],
    ['not JSON', 200, '<html>hello</html>'],
    ['an error status', 404, '{"status":"ok","version":"1"}'],
    ['a redirect elsewhere', 302, ''],
  ])('says a server answering %s is not a Dispute Desk server', async (_what, status, body) => {
    const url = await serve((_request, response) => {
      response.writeHead(status, status === 302 ? { Location: 'https://elsewhere.example/v1/health' } : {}).end(body);
    });
    expect(await failure(checkServerHealth(url))).toMatchObject({ code: 'server_not_dispute_desk' });
  });

  it('says an address where nothing listens is unreachable', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop()!;
    await new Promise<void>((done) => server.close(() => done()));
    expect(await failure(checkServerHealth(url))).toMatchObject({ code: 'server_unreachable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('gives up on a server that does not answer in time', async () => {
    const url = await serve(() => undefined);
    expect(await failure(checkServerHealth(url, { timeoutMs: 200 }))).toMatchObject({ code: 'server_timeout' });
  });
});

describe('serverInfo', () => {
  const bundled: RunningServer = { serverUrl: 'http://127.0.0.1:4010', kind: 'bundled', chosenAtLaunch: false, changeConfirmedOutsidePage: false };

  it('is a first run on the bundled server until a choice is stored, and the page may choose only then (browser host)', () => {
    expect(serverInfo(bundled, DEFAULT_SETTINGS)).toMatchObject({ chosen: false, changeFromPage: true, host: '127.0.0.1:4010' });
    expect(serverInfo(bundled, { ...DEFAULT_SETTINGS, serverChosen: true })).toMatchObject({ chosen: true, changeFromPage: false });
    expect(serverInfo({ ...bundled, chosenAtLaunch: true }, DEFAULT_SETTINGS)).toMatchObject({ chosen: true, changeFromPage: false });
  });

  it('lets the Electron shell change it at any time (main confirms natively), and names a server saved for the next start', () => {
    const electron = { ...bundled, changeConfirmedOutsidePage: true };
    const saved = { ...DEFAULT_SETTINGS, serverChosen: true, serverUrl: 'https://disputes.example' };
    expect(serverInfo(electron, saved)).toMatchObject({ chosen: true, changeFromPage: true, pendingServerUrl: 'https://disputes.example' });
    const remote: RunningServer = { ...electron, kind: 'remote', serverUrl: 'https://disputes.example' };
    expect(serverInfo(remote, saved)).toMatchObject({ kind: 'remote', host: 'disputes.example', pendingServerUrl: null });
  });
});
