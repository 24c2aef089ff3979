// The browser host's HTTP server with a stand-in desk: who gets in (Host, Origin, secret) and what each
// route answers. tests/host/host-desk.test.ts drives a real desk against a real server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DESK_EVENTS, type DeskEvent, type DeskEvents } from '../../shared/desk-api/contract';
import { EVIDENCE_CONTENT_HEADERS } from '../../electron/common/security';
import type { DeskPort } from '../../electron/host/desk-port';
import { newLaunchSecret } from '../../electron/host/host-security';
import {
  SECRET_HEADER,
  hostEvidenceUrl,
  readyLine,
  startHost,
  type RunningHost,
} from '../../electron/host/host-server';
import { BridgeClient, get, openBridge, writeFakeRenderer } from './helpers';

const knownSha = 'c'.repeat(64);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Answers session.state, echoes other calls, holds one evidence file, and lets the test emit events. */
function fakeDesk() {
  const listeners = new Map<DeskEvent, Set<(payload: unknown) => void>>();
  const calls: Array<{ channel: string; input: unknown }> = [];
  const desk: DeskPort = {
    async handle(channel, input) {
      calls.push({ channel, input });
      if (channel === 'sync.now') throw new Error('the cache is locked');
      if (channel === 'session.state')
        return { ok: true, value: { user: null, awaiting: null, serverUrl: 'http://127.0.0.1:1' } };
      return { ok: true, value: { channel, input } };
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    async evidenceFile(sha256) {
      return sha256 === knownSha ? { bytes: png, mime: 'image/png' } : null;
    },
  };
  const emit = <E extends DeskEvent>(event: E, payload: DeskEvents[E]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return {
    desk,
    calls,
    emit,
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

let dir: string;
let host: RunningHost;
let secret: string;
let fake: ReturnType<typeof fakeDesk>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dd-host-'));
  secret = newLaunchSecret();
  fake = fakeDesk();
  host = await startHost({ desk: fake.desk, rendererRoot: writeFakeRenderer(dir), port: 0, secret });
});

afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the ready line and the address', () => {
  it('prints the page URL with the secret in the fragment', () => {
    expect(host.pageUrl).toBe(`http://127.0.0.1:${host.port}/#k=${secret}`);
    expect(readyLine(host.pageUrl)).toMatch(
      /^Dispute Desk is ready at http:\/\/127\.0\.0\.1:\d+\/#k=[0-9a-f]{64}$/,
    );
  });

  it('listens on loopback only, on the port it picked', () => {
    expect(host.port).toBeGreaterThan(0);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
  });
});

describe('the Host check', () => {
  it.each(['127.0.0.1', 'localhost'])('serves the renderer to %s:P without the secret', async (name) => {
    const response = await get(host.port, '/', { host: `${name}:${host.port}` });
    expect(response.status).toBe(200);
    expect(response.body.toString()).toContain('<title>Dispute Desk</title>');
  });

  it.each([
    ['a foreign name', 'evil.com'],
    ['a foreign name on the port', 'evil.com:PORT'],
    ['its address as a prefix of a foreign name', '127.0.0.1:PORT.evil.com'],
    ['a DNS-rebinding name', 'attacker:PORT'],
    ['another port', '127.0.0.1:1'],
  ])('refuses %s with 403, even with the secret', async (_reason, hostHeader) => {
    const headers = { host: hostHeader.replace('PORT', String(host.port)), [SECRET_HEADER]: secret };
    for (const path of ['/', '/assets/app.js', `/evidence/${knownSha}`]) {
      const response = await get(host.port, path, headers);
      expect(response.status, path).toBe(403);
      expect(response.body.toString()).not.toContain('Dispute Desk</title>');
    }
  });

  it('refuses a foreign Host on the WebSocket too', async () => {
    const refused = await openBridge(host.port, { host: `attacker:${host.port}`, secret });
    expect(refused.status).toBe(403);
  });
});

describe('static files', () => {
  it('carry the security headers', async () => {
    const response = await get(host.port, '/');
    expect(response.headers['content-security-policy']).toContain(
      `connect-src 'self' desk-evidence: ws://127.0.0.1:${host.port}`,
    );
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('serves assets and nothing outside the renderer folder', async () => {
    expect((await get(host.port, '/assets/app.js')).status).toBe(200);
    for (const path of [
      '/../outside.txt',
      '/assets/../../outside.txt',
      '/%2e%2e/outside.txt',
      '/..%2foutside.txt',
      '/missing.js',
    ]) {
      const response = await get(host.port, path);
      expect(response.status, path).toBe(404);
      expect(response.body.toString()).not.toContain('must never be served');
    }
  });
});

describe('evidence', () => {
  it('refuses a request without the secret (401) or with a wrong one (403)', async () => {
    expect((await get(host.port, `/evidence/${knownSha}`)).status).toBe(401);
    expect(
      (await get(host.port, `/evidence/${knownSha}`, { [SECRET_HEADER]: newLaunchSecret() })).status,
    ).toBe(403);
    expect((await get(host.port, `/evidence/${knownSha}?t=${'0'.repeat(64)}`)).status).toBe(403);
    // A token opens only the file it was made for.
    const otherToken = hostEvidenceUrl(secret, 'd'.repeat(64)).split('?t=')[1];
    expect((await get(host.port, `/evidence/${knownSha}?t=${otherToken}`)).status).toBe(403);
  });

  it('serves the file by its per-file URL and by the secret header, with the evidence headers', async () => {
    for (const response of [
      await get(host.port, hostEvidenceUrl(secret, knownSha)),
      await get(host.port, `/evidence/${knownSha}`, { [SECRET_HEADER]: secret }),
    ]) {
      expect(response.status).toBe(200);
      expect(response.body.equals(png)).toBe(true);
      expect(response.headers['content-type']).toBe('image/png');
      expect(response.headers['content-security-policy']).toBe(
        EVIDENCE_CONTENT_HEADERS['Content-Security-Policy'],
      );
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('answers 404 for a file the desk does not have', async () => {
    expect((await get(host.port, hostEvidenceUrl(secret, 'e'.repeat(64)))).status).toBe(404);
  });

  it.each([
    '/evidence/../../etc/passwd',
    '/evidence/..%2f..%2fetc%2fpasswd',
    '/evidence/%2e%2e%2f%2e%2e%2foutside.txt',
    `/evidence/${knownSha}/../../outside.txt`,
    `/evidence/${knownSha.toUpperCase()}`,
  ])('refuses traversal and malformed names: %s', async (path) => {
    const response = await get(host.port, path, { [SECRET_HEADER]: secret });
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('must never be served');
  });
});

describe('the bridge WebSocket', () => {
  it('refuses a missing secret (401), a wrong one (403), a foreign or missing Origin (403) and other paths (404)', async () => {
    expect((await openBridge(host.port, { secret: null })).status).toBe(401);
    expect((await openBridge(host.port, { secret: newLaunchSecret() })).status).toBe(403);
    expect((await openBridge(host.port, { secret: secret.slice(0, -1) })).status).toBe(403);
    expect((await openBridge(host.port, { secret, origin: 'https://evil.com' })).status).toBe(403);
    expect(
      (await openBridge(host.port, { secret, origin: `http://127.0.0.1:${host.port}.evil.com` })).status,
    ).toBe(403);
    expect((await openBridge(host.port, { secret, origin: null })).status).toBe(403);
    expect((await openBridge(host.port, { secret, path: '/other' })).status).toBe(404);
    expect(fake.calls).toEqual([]);
  });

  it('accepts the right secret from either of its own origins and answers calls by id', async () => {
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) {
      const opened = await openBridge(host.port, { secret, origin });
      if (!opened.socket) throw new Error(`refused with ${opened.status}`);
      expect(opened.socket.protocol).toBe('dispute-desk.v1');
      const client = new BridgeClient(opened.socket);
      const [state, echo] = await Promise.all([
        client.invoke('session.state'),
        client.invoke('settings.set', { language: 'es' }),
      ]);
      expect(state).toEqual({
        ok: true,
        value: { user: null, awaiting: null, serverUrl: 'http://127.0.0.1:1' },
      });
      expect(echo).toEqual({ ok: true, value: { channel: 'settings.set', input: { language: 'es' } } });
      opened.socket.close();
    }
  });

  it('answers an unknown channel without asking the desk, and a desk that throws with an error result', async () => {
    const opened = await openBridge(host.port, { secret });
    const client = new BridgeClient(opened.socket!);
    expect(await client.invoke('__proto__')).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await client.invoke('session.steal')).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await client.invoke('sync.now')).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(fake.calls.map((call) => call.channel)).toEqual(['sync.now']);
    opened.socket!.close();
  });

  it('closes the socket on a malformed frame', async () => {
    const opened = await openBridge(host.port, { secret });
    const client = new BridgeClient(opened.socket!);
    const closed = client.closed();
    opened.socket!.send('{"type":"invoke","id":"one","channel":"session.state"}');
    expect((await closed).code).toBe(1008);
  });

  it('pushes desk events to every connected page', async () => {
    const first = new BridgeClient((await openBridge(host.port, { secret })).socket!);
    const second = new BridgeClient((await openBridge(host.port, { secret })).socket!);
    // A call answered proves each socket is attached before the event is emitted.
    await Promise.all([first.invoke('session.state'), second.invoke('session.state')]);
    const arrivals = Promise.all([first.nextEvent(), second.nextEvent()]);
    fake.emit('session.expired', { reason: 'The session ended.' });
    for (const frame of await arrivals) {
      expect(frame).toEqual({
        type: 'event',
        event: 'session.expired',
        payload: { reason: 'The session ended.' },
      });
    }
    first.socket.close();
    second.socket.close();
  });

  it('lets go of the desk when it closes', async () => {
    expect(fake.listenerCount()).toBe(DESK_EVENTS.length);
    await host.close();
    expect(fake.listenerCount()).toBe(0);
    host = await startHost({ desk: fakeDesk().desk, rendererRoot: join(dir, 'renderer'), port: 0, secret });
  });
});
