// The renderer's side of the browser bridge (renderer/src/desk/bridge) against the real host: window.desk
// as the page sees it, over a real WebSocket, with the launch secret read from the URL fragment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskBridge, DeskEvent, DeskEvents } from '../../shared/desk-api/contract';
import type { DeskPort } from '../../electron/host/desk-port';
import { newLaunchSecret } from '../../electron/host/host-security';
import { startHost, type RunningHost } from '../../electron/host/host-server';
import { secretFromFragment, takeLaunchSecret } from '../../renderer/src/desk/bridge/launchSecret';
import { createSocketBridge, type SocketFactory } from '../../renderer/src/desk/bridge/socketBridge';
import { writeFakeRenderer } from './helpers';

describe('secretFromFragment', () => {
  const secret = 'ab'.repeat(32);

  it('reads the secret of the ready URL', () => {
    expect(secretFromFragment(`#k=${secret}`)).toEqual({ secret, remainingHash: '' });
    expect(secretFromFragment(`#k=${secret}&/cases/D-1001`)).toEqual({
      secret,
      remainingHash: '#/cases/D-1001',
    });
  });

  it.each(['', '#', '#k=', '#k=short', `#x=${secret}`, `#k=${secret}"><script>`, `?k=${secret}`])(
    'finds none in %s',
    (hash) => {
      expect(secretFromFragment(hash)).toBeNull();
    },
  );
});

describe('takeLaunchSecret', () => {
  function fakePage(hash: string) {
    const address = { pathname: '/', search: '', hash };
    const replaced: string[] = [];
    const stored = new Map<string, string>();
    const history = {
      state: null,
      replaceState: (_state: unknown, _title: string, url: string) => replaced.push(url),
    };
    const storage = {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    };
    return { address, history, storage, replaced };
  }
  const secret = 'cd'.repeat(32);

  it('takes the secret out of the address bar and keeps it for a reload of this tab', () => {
    const page = fakePage(`#k=${secret}`);
    expect(
      takeLaunchSecret(page.address as Location, page.history as unknown as History, page.storage as Storage),
    ).toBe(secret);
    expect(page.replaced).toEqual(['/']);
    const reloaded = { ...page, address: { ...page.address, hash: '' } };
    expect(
      takeLaunchSecret(
        reloaded.address as Location,
        page.history as unknown as History,
        page.storage as Storage,
      ),
    ).toBe(secret);
  });

  it('gives nothing to a page opened without it', () => {
    const page = fakePage('');
    expect(takeLaunchSecret(page.address as Location, page.history as unknown as History, null)).toBeNull();
    expect(page.replaced).toEqual([]);
  });
});

describe('createSocketBridge against the host', () => {
  let dir: string;
  let host: RunningHost;
  let secret: string;
  const listeners = new Map<DeskEvent, Set<(payload: unknown) => void>>();
  const desk: DeskPort = {
    handle: async (channel, input) =>
      channel === 'settings.get'
        ? { ok: true, value: { language: 'system', theme: 'system', serverUrl: null } }
        : {
            ok: false,
            error: { code: 'invalid_input', message: `no ${channel} here: ${JSON.stringify(input)}` },
          },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    evidenceFile: async () => null,
  };
  function emit<E extends DeskEvent>(event: E, payload: DeskEvents[E]): void {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  }

  /** The browser's WebSocket, as the page's origin opens it (a browser always sends its Origin). */
  const browserSocket =
    (origin: string): SocketFactory =>
    (url, protocols) =>
      new WebSocket(url, protocols, { origin }) as unknown as globalThis.WebSocket;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dd-bridge-'));
    secret = newLaunchSecret();
    host = await startHost({ desk, rendererRoot: writeFakeRenderer(dir), port: 0, secret });
  });

  afterEach(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function bridge(withSecret = secret): DeskBridge {
    return createSocketBridge({
      url: `ws://127.0.0.1:${host.port}/desk`,
      secret: withSecret,
      createSocket: browserSocket(host.origin),
      reconnectDelayMs: () => 60_000,
    });
  }

  it('invokes desk calls and returns their results', async () => {
    const desk = bridge();
    expect(await desk.invoke('settings.get')).toEqual({
      ok: true,
      value: { language: 'system', theme: 'system', serverUrl: null },
    });
    expect(await desk.invoke('case.get', { caseId: 'D-1001' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'no case.get here: {"caseId":"D-1001"}' },
    });
  });

  it('delivers events to the listeners that are still subscribed', async () => {
    const desk = bridge();
    const received: unknown[] = [];
    const stop = desk.on('sync.status', (status) => received.push(status));
    const arrived = new Promise((resolve) => desk.on('sync.status', resolve));
    // A call answered proves the socket is attached before the event goes out.
    await desk.invoke('settings.get');
    const status = {
      state: 'idle',
      progress: null,
      lastSyncedAt: null,
      cachedCases: 3,
      error: null,
    } as const;
    emit('sync.status', status);
    expect(await arrived).toEqual(status);
    expect(received).toEqual([status]);
    stop();
  });

  it('answers every call with bridge_closed when the host refuses the secret', async () => {
    const desk = bridge(newLaunchSecret());
    expect(await desk.invoke('settings.get')).toMatchObject({ ok: false, error: { code: 'bridge_closed' } });
  });
});
