// The browser host with the real desk service against the real platform server on a loopback port: a
// desk call over the bridge reaches the desk, the sign-in steps work through it, and evidence comes out
// of the host's route, while the access token never crosses to the page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../electron/server/auth/totp';
import { attachEvidence, putEvidence } from '../../electron/server/evidence/store';
import { createDeskService, type DeskService } from '../../electron/desk/service';
import { newLaunchSecret } from '../../electron/host/host-security';
import { hostEvidenceUrl, startHost, type RunningHost } from '../../electron/host/host-server';
import { addCase, addUser, createTestServer, type TestServer, type TestUser } from '../server/harness';
import { BridgeClient, get, openBridge, writeFakeRenderer } from './helpers';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let dir: string;
let server: TestServer;
let serverUrl: string;
let desk: DeskService;
let host: RunningHost;
let secret: string;
let agent: TestUser;
let evidenceSha: string;
let client: BridgeClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dd-host-desk-'));
  server = await createTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  agent = addUser(server.ctx, 'agent');
  const caseId = addCase(server.ctx);
  evidenceSha = server.ctx.write(() => {
    const stored = putEvidence(server.ctx.db, PNG, server.clock.now);
    attachEvidence(server.ctx.db, {
      sha256: stored.sha256,
      caseId,
      kind: 'receipt',
      uploader: 'buyer',
      at: server.clock.now,
    });
    return stored.sha256;
  });
  secret = newLaunchSecret();
  desk = await createDeskService({
    dataDir: join(dir, 'desk'),
    serverUrl,
    now: () => server.clock.now,
    log: { info: () => undefined, warn: () => undefined, error: (message) => console.error(message) },
    evidenceUrl: (sha256) => hostEvidenceUrl(secret, sha256),
  });
  host = await startHost({ desk, rendererRoot: writeFakeRenderer(dir), port: 0, secret });
  const opened = await openBridge(host.port, { secret });
  if (!opened.socket) throw new Error(`the host refused the bridge: ${opened.status}`);
  client = new BridgeClient(opened.socket);
});

afterAll(async () => {
  client?.socket.close();
  await host?.close();
  await desk?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the browser host with the real desk', () => {
  it('answers session.state and settings.get from the desk', async () => {
    expect(await client.invoke('session.state')).toEqual({
      ok: true,
      value: { user: null, awaiting: null, serverUrl },
    });
    const settings = await client.invoke('settings.get');
    expect(settings).toMatchObject({
      ok: true,
      value: { language: expect.any(String), theme: expect.any(String) },
    });
  });

  it('lets the desk validate inputs: a malformed call is a readable error, not a crash', async () => {
    const result = await client.invoke('session.signIn', { username: 'ana' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
  });

  it('signs in over the bridge, without the access token ever reaching the page', async () => {
    const frames: string[] = [];
    client.socket.on('message', (data) => frames.push(String(data)));
    expect(
      await client.invoke('session.signIn', { username: agent.username, password: agent.password }),
    ).toEqual({
      ok: true,
      value: { next: 'totp' },
    });
    server.clock.advance(30_000);
    const verified = await client.invoke('session.verify', {
      code: totpCodeAt(agent.totpSecret, server.clock.now),
    });
    expect(verified).toMatchObject({
      ok: true,
      value: { user: { username: agent.username, role: 'agent' } },
    });
    expect(await client.invoke('session.state')).toMatchObject({
      ok: true,
      value: { user: { username: agent.username } },
    });
    expect(frames.join('\n')).not.toMatch(/accessToken|loginToken/);
  });

  it('serves evidence through the host route, by the URL the desk hands out', async () => {
    const answer = await client.invoke('evidence.url', { sha256: evidenceSha });
    expect(answer).toEqual({ ok: true, value: { url: hostEvidenceUrl(secret, evidenceSha) } });
    const response = await get(host.port, hostEvidenceUrl(secret, evidenceSha));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.body.equals(PNG)).toBe(true);
    expect((await get(host.port, `/evidence/${evidenceSha}`)).status).toBe(401);
  });
});
