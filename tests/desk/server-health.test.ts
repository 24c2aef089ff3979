// The first-run check of an organisation's server (electron/desk/server-health.ts) against real HTTP servers
// on loopback, and what 'server.info' answers (electron/desk/server-handlers.ts): in the browser host, the
// page may choose only while nothing is chosen and nobody has signed in since the desk started.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serverInfo, type RunningServer } from '../../electron/desk/server-handlers';
import { checkServerHealth } from '../../electron/desk/server-health';
import { DEFAULT_SETTINGS } from '../../electron/desk/settings';
import { addDeskUser, openDesk, signIn, startLiveServer, type LiveServer, type TestDesk } from './fixtures/live-desk';

const servers: Server[] = [];
const live: { server: LiveServer; desk: TestDesk }[] = [];
afterEach(async () => {
  for (const { server, desk } of live.splice(0)) {
    await desk.desk.close();
    await server.close();
  }
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

  it('takes the choice from the page once someone signed in in this run, chosen or not (browser host)', () => {
    expect(serverInfo(bundled, DEFAULT_SETTINGS, true)).toMatchObject({ chosen: false, changeFromPage: false });
    // Electron confirms natively whatever the page has shown.
    expect(serverInfo({ ...bundled, changeConfirmedOutsidePage: true }, DEFAULT_SETTINGS, true)).toMatchObject({ changeFromPage: true });
  });
});

describe("'server.change' in the browser host", () => {
  it('is refused after a sign-in on a desk whose server was never chosen, and saves nothing', async () => {
    const server = await startLiveServer();
    const desk = await openDesk(server.url, { serverKind: 'bundled', serverIdentity: 'bundled' });
    live.push({ server, desk });
    // A fresh install: the page may choose (here it checks the address against the live server).
    expect(await desk.desk.handle('server.info')).toMatchObject({ ok: true, value: { chosen: false, changeFromPage: true } });
    expect(await desk.desk.handle('server.check', { serverUrl: server.url })).toMatchObject({ ok: true });

    // The desk signs in without a choice stored; the page has now shown what this server sent.
    await signIn(desk.desk, addDeskUser(server));
    expect(await desk.desk.handle('server.info')).toMatchObject({ ok: true, value: { chosen: false, changeFromPage: false } });
    expect(await desk.desk.handle('server.change', { serverUrl: server.url })).toMatchObject({
      ok: false,
      error: { code: 'server_change_refused' },
    });
    await desk.desk.handle('session.signOut');
    expect(await desk.desk.handle('server.change', { serverUrl: server.url })).toMatchObject({
      ok: false,
      error: { code: 'server_change_refused' },
    });
    expect(await desk.desk.handle('settings.get')).toMatchObject({ ok: true, value: { serverUrl: null, serverChosen: false } });
  });
});
